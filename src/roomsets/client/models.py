"""The objects of the API, as the client returns and sends them.

These are the server's own wire models (one definition of each shape, used by the server,
its OpenAPI document and this client), re-exported under one roof for client users.
"""

from roomsets.badging.models import BadgeVisibility, InputType
from roomsets.badging.schemas import BadgeAnswerCreate, BadgeData, BadgeQuestionCreate
from roomsets.kit.errors import Problem, ProblemFieldError
from roomsets.participation.models import AttendeeStatus, EntryFlow
from roomsets.participation.schemas import (
    EntryConfiguration,
    EntryConfigurationCreate,
    EntryRule,
    InvitedUserRef,
    SocialAttendee,
    SocialInvite,
    SocialInviteCreate,
)
from roomsets.rooms.models import Platform
from roomsets.rooms.schemas import Social, SocialCreate, SocialMeta, SocialUpdate
from roomsets.rooms.sizes import RoomSize
from roomsets.sets.models import EntryOption, SocialPermissionType
from roomsets.sets.schemas import SocialRoomSet, SocialRoomSetCreate, SocialRoomSetUpdate
from roomsets.themes.models import ThemeType, UploadState
from roomsets.themes.schemas import Theme, ThemeCreate, ThemeCustomCreate, Tile, UploadStatus
from roomsets.users.schemas import User

__all__ = [
    "AttendeeStatus",
    "BadgeAnswerCreate",
    "BadgeData",
    "BadgeQuestionCreate",
    "BadgeVisibility",
    "EntryConfiguration",
    "EntryConfigurationCreate",
    "EntryFlow",
    "EntryOption",
    "EntryRule",
    "InputType",
    "InvitedUserRef",
    "Platform",
    "Problem",
    "ProblemFieldError",
    "RoomSize",
    "Social",
    "SocialAttendee",
    "SocialCreate",
    "SocialInvite",
    "SocialInviteCreate",
    "SocialMeta",
    "SocialPermissionType",
    "SocialRoomSet",
    "SocialRoomSetCreate",
    "SocialRoomSetUpdate",
    "SocialUpdate",
    "Theme",
    "ThemeCreate",
    "ThemeCustomCreate",
    "ThemeType",
    "Tile",
    "UploadState",
    "UploadStatus",
    "User",
]
