import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from roomsets.kit.db import Base, StrEnumType, UtcDateTime, utcnow


class EntryOption(enum.StrEnum):
    DEFAULT = "DEFAULT"
    ACCOUNT = "ACCOUNT"
    CUSTOM_RULES = "CUSTOM_RULES"
    STARTING_POINT = "STARTING_POINT"


class SocialPermissionType(enum.StrEnum):
    PUBLIC = "PUBLIC"
    COMPANY_AND_CONNECTIONS = "COMPANY_AND_CONNECTIONS"
    CONNECTIONS = "CONNECTIONS"
    COMPANY = "COMPANY"


class RoomSet(Base):
    """A "Scootaverse": a set of connected rooms with one host."""

    __tablename__ = "room_sets"
    __table_args__ = (
        Index("ix_room_sets_host_created", "host_user_id", "created_at"),
        Index("ix_room_sets_host_group_former_count", "host_user_id", "group_former_count"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    entry_option: Mapped[EntryOption] = mapped_column(StrEnumType(EntryOption), default=EntryOption.DEFAULT)
    group_former_count: Mapped[int] = mapped_column(Integer, default=0)
    anyone_can_start: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_guest_users: Mapped[bool] = mapped_column(Boolean, default=False)
    host_admitted: Mapped[bool] = mapped_column(Boolean, default=False)
    social_permission_type: Mapped[SocialPermissionType] = mapped_column(
        StrEnumType(SocialPermissionType), default=SocialPermissionType.PUBLIC
    )
    # Circular with socials.room_set_id, hence created after both tables (use_alter).
    starting_point_social_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("socials.id", ondelete="SET NULL", use_alter=True)
    )
    host_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Bumped by every write to the set; the ETag and optimistic concurrency use it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by database triggers whenever anything R1 renders of the set changes (its rooms,
    # people, counts, questions, themes); the render cache keys the set's bytes by it.
    render_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class RoomSetAlternateHost(Base):
    __tablename__ = "room_set_alternate_hosts"

    room_set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("room_sets.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# Names sort case-insensitively, the same on SQLite and PostgreSQL.
Index("ix_room_sets_host_lower_name", RoomSet.host_user_id, func.lower(RoomSet.name))
