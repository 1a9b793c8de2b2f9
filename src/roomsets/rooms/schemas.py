import uuid

from pydantic import Field

from roomsets.badging.schemas import BadgeData
from roomsets.kit.schemas import UtcDateTime, WireModel
from roomsets.rooms.models import Platform
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
