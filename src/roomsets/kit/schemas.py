"""The one JSON shape of the wire: camelCase keys, lowercase UUIDs, UTC times with `Z`."""

from datetime import UTC, datetime
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    FutureDatetime,
    NaiveDatetime,
    PastDatetime,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.alias_generators import to_camel


def format_utc(value: datetime) -> str:
    # Not strftime("%Y"): it writes the year 3 as "3", not the "0003" ISO 8601 needs.
    v = value.astimezone(UTC)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"


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


DATETIME_TYPES = {datetime, AwareDatetime, NaiveDatetime, PastDatetime, FutureDatetime}


def _plain_types(annotation: Any) -> set[type]:
    """The bare types an annotation admits (`int | None` → {int, NoneType})."""
    if get_origin(annotation) in (Union, UnionType):
        return set().union(*(_plain_types(arg) for arg in get_args(annotation)))
    if get_origin(annotation) is Annotated:
        return _plain_types(get_args(annotation)[0])
    return {annotation} if isinstance(annotation, type) else set()


class RequestModel(WireModel):
    """Base of request bodies: JSON types are taken as they are, never coerced.

    Pydantic would turn `0` into `false`, `false` into `0` and `0` into 1970-01-01; a
    client sending those has a bug it should hear about, so they are refused (422).
    Strings still become UUIDs, enums and date-times, as JSON has no such types.
    """

    @field_validator("*", mode="before")
    @classmethod
    def _exact_json_types(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or info.field_name is None:
            return value
        types = _plain_types(cls.model_fields[info.field_name].annotation) - {type(None)}
        if types == {bool} and not isinstance(value, bool):
            raise ValueError("must be true or false")
        if types == {int} and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("must be a whole number")
        if types and types <= DATETIME_TYPES and not isinstance(value, str | datetime):
            raise ValueError("must be an ISO 8601 date-time string such as 2023-11-07T05:31:56Z")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _representable_in_utc(cls, value: Any) -> Any:
        # 0001-01-01T00:00:00+01:00 is valid ISO 8601 but has no UTC equivalent in Python.
        if isinstance(value, datetime) and value.tzinfo is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValueError("is out of the range of dates this service can store") from None
        return value
