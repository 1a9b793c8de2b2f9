import uuid
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, StringConstraints

from roomsets.badging.schemas import BadgeData
from roomsets.kit.errors import Invalid
from roomsets.kit.schemas import RequestModel, UtcDateTime, WireModel
from roomsets.rooms.models import Platform
from roomsets.rooms.sizes import RoomSize
from roomsets.sets.models import SocialPermissionType
from roomsets.themes.schemas import Theme
from roomsets.users.schemas import User


class SocialMeta(WireModel):
    """Derived counts and media endpoints of a room; never written by clients."""

    social_meta_id: uuid.UUID
    number_of_invites: int
    number_of_attendees: int = Field(description="Distinct users who ever joined the room.")
    number_currently_present: int
    audio_host: str | None
    audio_element_url: str | None = Field(alias="audioElementURL")
    peer_connection_url: str | None = Field(alias="peerConnectionURL")


class Social(WireModel):
    """A room."""

    social_id: uuid.UUID
    social_room_set_id: uuid.UUID
    user_id: uuid.UUID = Field(description="The room's creator.")
    company_id: uuid.UUID | None
    name: str
    description: str | None
    social_uri: str = Field(alias="socialURI", description="The room's join link.")
    session_id: str | None = Field(description="The live session; null when the room is idle.")
    is_open: bool
    recurring: bool
    anyone_can_start: bool
    is_valid: bool = Field(description="False once the room's endDateTime has passed.")
    free: bool
    allow_guest_users: bool
    user: User
    social_permission_type: SocialPermissionType
    platform: Platform
    max_participants: int
    starting_width: int
    starting_height: int
    host_admitted: bool
    theme_id: uuid.UUID | None
    configuration_id: uuid.UUID | None
    theme: Theme | None
    playlist_id: uuid.UUID | None
    artifact_set_id: uuid.UUID | None
    start_date_time: UtcDateTime | None
    end_date_time: UtcDateTime | None
    date_created: UtcDateTime
    company_name: str | None
    social_meta: SocialMeta
    connected_room: bool = Field(description="True when the room's set has more than one room.")
    updated_by_user: User
    updated_date_time: UtcDateTime
    alternate_hosts: list[User]
    my_badge_data: list[BadgeData] = Field(description="The caller's answers for this room's set.")


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
"""A name of a set or room: trimmed, 1–255 characters."""
Description = Annotated[str, StringConstraints(max_length=10_000)]
RoomLength = Annotated[int, Field(ge=100, le=20_000, description="Pixels, 100–20000.")]
Participants = Annotated[int, Field(ge=1, le=1000, description="1–1000.")]


class PartialUpdate(RequestModel):
    """A partial-update body: absent keys leave a field unchanged, `null` clears a nullable one."""

    def changes(self, *, exclude: set[str], nullable: set[str]) -> dict[str, Any]:
        """The attributes the caller sent, by attribute name; `null` for a non-nullable one is invalid."""
        changed = {}
        for name in self.model_fields_set - exclude:
            value = getattr(self, name)
            if value is None and name not in nullable:
                field = type(self).model_fields[name]
                raise Invalid(field.alias or name, "may not be null")
            changed[name] = value
        return changed


class SocialCreate(RequestModel):
    """A new room. Absent settings are taken from the room's set (permission type, guests,
    host admission, who may start it); the size from `size`, then from the explicit numbers."""

    social_room_set_id: uuid.UUID | None = Field(
        None, description="Required for POST /api/v1/social; ignored inside a room set's `socials`."
    )
    name: Name
    description: Description | None = None
    size: RoomSize | None = Field(
        None, description="A named size setting width, height and maxParticipants; explicit numbers win."
    )
    starting_width: RoomLength | None = None
    starting_height: RoomLength | None = None
    max_participants: Participants | None = None
    recurring: bool = False
    anyone_can_start: bool | None = None
    free: bool = True
    allow_guest_users: bool | None = None
    social_permission_type: SocialPermissionType | None = None
    platform: Platform = Platform.SCOOT
    host_admitted: bool | None = None
    theme_id: uuid.UUID | None = None
    playlist_id: uuid.UUID | None = None
    artifact_set_id: uuid.UUID | None = None
    start_date_time: AwareDatetime | None = None
    end_date_time: AwareDatetime | None = None
    alternate_host_user_ids: list[uuid.UUID] = Field(
        default_factory=list, description="The room's own alternate hosts (only the set's host may set them)."
    )


class SocialUpdate(PartialUpdate):
    """A partial update of a room; read-only keys (ids, dates, `user`, `socialMeta`, ...) are ignored."""

    social_id: uuid.UUID
    name: Name | None = None
    description: Description | None = None
    starting_width: RoomLength | None = None
    starting_height: RoomLength | None = None
    max_participants: Participants | None = None
    recurring: bool | None = None
    anyone_can_start: bool | None = None
    free: bool | None = None
    allow_guest_users: bool | None = None
    social_permission_type: SocialPermissionType | None = None
    platform: Platform | None = None
    host_admitted: bool | None = None
    theme_id: uuid.UUID | None = None
    playlist_id: uuid.UUID | None = None
    artifact_set_id: uuid.UUID | None = None
    start_date_time: AwareDatetime | None = None
    end_date_time: AwareDatetime | None = None
    alternate_host_user_ids: list[uuid.UUID] | None = Field(
        None, description="Replaces the room's own alternate hosts (only the set's host may)."
    )
