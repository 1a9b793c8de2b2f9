"""Each wire model carries exactly the keys of the seed plus the spec's additions."""

import pytest
from pydantic import BaseModel

from roomsets.badging.schemas import BadgeData
from roomsets.rooms.schemas import Social, SocialMeta
from roomsets.sets.schemas import SocialRoomSet
from roomsets.themes.schemas import Theme, Tile, UploadStatus
from roomsets.users.schemas import User
from tests.contract import seed_objects, spec_objects

MODELS: dict[str, type[BaseModel]] = {
    "SocialRoomSet": SocialRoomSet,
    "Social": Social,
    "User": User,
    "Theme": Theme,
    "Tile": Tile,
    "UploadStatus": UploadStatus,
    "SocialMeta": SocialMeta,
    "BadgeData": BadgeData,
}


def wire_keys(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


@pytest.mark.parametrize("name", list(MODELS))
def test_model_has_every_key_of_the_seed(name: str) -> None:
    assert set(seed_objects()[name]) <= wire_keys(MODELS[name])


@pytest.mark.parametrize("name", list(MODELS))
def test_model_keys_are_exactly_the_spec_keys(name: str) -> None:
    assert wire_keys(MODELS[name]) == spec_objects()[name] | set(seed_objects()[name])
