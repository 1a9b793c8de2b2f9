"""The one JSON shape of the wire: camelCase keys, lowercase UUIDs, UTC times with `Z`."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel


def format_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


UtcDateTime = Annotated[
    datetime,
    PlainSerializer(format_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2023-11-07T05:31:56Z"}),
]


class WireModel(BaseModel):
    """Base of every request and response body.

    Attributes are snake_case; the wire name is the camelCase alias, with explicit
    aliases where Scoot's keys are irregular (`profileImageURI`, `colorButtonBG`).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        from_attributes=True,
    )
