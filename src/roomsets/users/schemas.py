import uuid

from pydantic import Field

from roomsets.kit.schemas import UtcDateTime, WireModel
from roomsets.users import models


class User(WireModel):
    user_id: uuid.UUID
    name: str
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    email_address: str
    email_verified: bool
    preload: bool
    mobile_phone: str | None
    mobile_phone_verified: bool
    mobile_phone_verified_web: bool
    profile_id: str | None
    profile_image_uri: str | None = Field(alias="profileImageURI")
    profile_image_id: uuid.UUID | None
    profile_image_background: str | None
    time_zone: str = Field(description="IANA time zone name.")
    registered_date_time: UtcDateTime
    active: bool
    acted_as: bool

    @classmethod
    def from_model(cls, user: models.User) -> "User":
        # Rows from our own database are trusted: construct without validating (R1 renders
        # hundreds of these per page).
        return cls.model_construct(
            user_id=user.id,
            name=user.name,
            first_name=user.first_name,
            middle_name=user.middle_name,
            last_name=user.last_name,
            email_address=user.email,
            email_verified=user.email_verified,
            preload=user.preload,
            mobile_phone=user.mobile_phone,
            mobile_phone_verified=user.mobile_phone_verified,
            mobile_phone_verified_web=user.mobile_phone_verified_web,
            profile_id=user.profile_id,
            profile_image_uri=user.profile_image_uri,
            profile_image_id=user.profile_image_id,
            profile_image_background=user.profile_image_background,
            time_zone=user.time_zone,
            registered_date_time=user.registered_at,
            active=user.active,
            acted_as=user.acted_as,
        )
