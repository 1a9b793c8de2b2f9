"""Every table, imported in one place so Alembic and tests see the whole schema."""

from roomsets.badging.models import BadgeAnswer, BadgeQuestion
from roomsets.kit.db import Base
from roomsets.participation.models import EntryConfiguration, SocialAttendee, SocialInvite
from roomsets.rooms.models import SavedSocial, Social, SocialAlternateHost
from roomsets.sets.models import RoomSet, RoomSetAlternateHost
from roomsets.themes.models import Theme, ThemeTile
from roomsets.users.models import ApiKey, Company, User

__all__ = [
    "ApiKey",
    "BadgeAnswer",
    "BadgeQuestion",
    "Base",
    "Company",
    "EntryConfiguration",
    "RoomSet",
    "RoomSetAlternateHost",
    "SavedSocial",
    "Social",
    "SocialAlternateHost",
    "SocialAttendee",
    "SocialInvite",
    "Theme",
    "ThemeTile",
    "User",
]
