import uuid

from pydantic import Field

from roomsets.kit.schemas import RequestModel, WireModel
from roomsets.rooms.schemas import Description, Name, PartialUpdate, Social, SocialCreate
from roomsets.sets.models import EntryOption, SocialPermissionType
from roomsets.users.schemas import User


class SocialRoomSet(WireModel):
    """A "Scootaverse": a set of connected rooms."""

    social_room_set_id: uuid.UUID
    name: str
    description: str | None
    entry_option: EntryOption
    group_former_count: int
    anyone_can_start: bool
    allow_guest_users: bool
    host_admitted: bool
    social_permission_type: SocialPermissionType
    starting_point_social_id: uuid.UUID | None
    host_user: User
    socials: list[Social]
    alternate_hosts: list[User]


class SocialRoomSetCreate(RequestModel):
    """A new room set; the caller becomes its host. Read-only keys (ids, `hostUser`) are ignored."""

    name: Name
    description: Description | None = None
    entry_option: EntryOption = EntryOption.DEFAULT
    group_former_count: int = Field(0, ge=0, le=1000)
    anyone_can_start: bool = True
    allow_guest_users: bool = False
    host_admitted: bool = False
    social_permission_type: SocialPermissionType = SocialPermissionType.PUBLIC
    socials: list[SocialCreate] = Field(
        default_factory=list,
        max_length=1000,
        description="The set's rooms, in order; with none, one room named after the set is made.",
    )
    starting_point_index: int | None = Field(
        None,
        ge=0,
        description="Which of `socials` (0-based) is the starting point; default the first. "
        "`startingPointSocialId` cannot name a room that does not exist yet and is ignored here.",
    )
    alternate_host_user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class SocialRoomSetUpdate(PartialUpdate):
    """A partial update of a room set; read-only keys (`hostUser`, `socials`, ...) are ignored."""

    social_room_set_id: uuid.UUID
    name: Name | None = None
    description: Description | None = None
    entry_option: EntryOption | None = None
    group_former_count: int | None = Field(None, ge=0, le=1000)
    anyone_can_start: bool | None = None
    allow_guest_users: bool | None = None
    host_admitted: bool | None = None
    social_permission_type: SocialPermissionType | None = None
    starting_point_social_id: uuid.UUID | None = Field(None, description="Must be a room of this set.")
    alternate_host_user_ids: list[uuid.UUID] | None = Field(
        None, max_length=100, description="Replaces the alternate hosts; only the host may change them."
    )
