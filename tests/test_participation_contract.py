"""The participation wire models carry exactly the keys API.md section 2 lists."""

import pytest
from pydantic import BaseModel

from roomsets.participation.schemas import EntryConfiguration, SocialAttendee, SocialInvite
from tests.contract import spec_objects

MODELS: dict[str, type[BaseModel]] = {
    "SocialInvite": SocialInvite,
    "SocialAttendee": SocialAttendee,
    "EntryConfiguration": EntryConfiguration,
}


@pytest.mark.parametrize("name", list(MODELS))
def test_model_keys_are_exactly_the_spec_keys(name: str) -> None:
    keys = {field.alias or attribute for attribute, field in MODELS[name].model_fields.items()}
    assert keys == spec_objects()[name]
