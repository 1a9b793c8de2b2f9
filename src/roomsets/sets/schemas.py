import uuid

from roomsets.kit.schemas import WireModel
from roomsets.rooms.schemas import Social
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
