import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from roomsets.kit.db import Base, JsonColumn, StrEnumType, UtcDateTime, utcnow
from roomsets.sets.models import EntryOption


class AttendeeStatus(enum.StrEnum):
    WAITING = "WAITING"
    JOINED = "JOINED"
    REJECTED = "REJECTED"
    LEFT = "LEFT"


class EntryFlow(enum.StrEnum):
    SPIRAL = "SPIRAL"
    GRID = "GRID"


class SocialInvite(Base):
    __tablename__ = "social_invites"
    __table_args__ = (UniqueConstraint("social_id", "invited_user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    social_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("socials.id", ondelete="CASCADE"))
    invited_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    invited_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    did_attend: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SocialAttendee(Base):
    """One user's place in one room: one row per (room, user), updated as they come and go.

    `first_joined_at` is set on the first JOINED and never cleared, so "distinct users who
    ever joined" is a count of rows where it is set.
    """

    __tablename__ = "social_attendees"
    __table_args__ = (
        UniqueConstraint("social_id", "user_id"),
        Index("ix_social_attendees_social_status", "social_id", "status"),
        Index("ix_social_attendees_room_set_user", "room_set_id", "user_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    social_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("socials.id", ondelete="CASCADE"))
    room_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_sets.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendeeStatus] = mapped_column(StrEnumType(AttendeeStatus))
    is_host: Mapped[bool] = mapped_column(Boolean, default=False)
    is_present: Mapped[bool] = mapped_column(Boolean, default=False)
    arrived_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_joined_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    queue_position: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(64))
    ring_color: Mapped[str | None] = mapped_column(String(9))
    token_id: Mapped[str | None] = mapped_column(String(64))
    stream_connection_id: Mapped[str | None] = mapped_column(String(64))
    presenter_video_quality: Mapped[str | None] = mapped_column(String(16))
    social_changed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_websocket_url: Mapped[str | None] = mapped_column(String(2048))
    favorite_user_ids: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EntryConfiguration(Base):
    """The entry rules of a room set; rooms point at it through `socials.configuration_id`."""

    __tablename__ = "entry_configurations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    room_set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("room_sets.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str | None] = mapped_column(String(255))
    entry_option: Mapped[EntryOption] = mapped_column(StrEnumType(EntryOption), default=EntryOption.DEFAULT)
    group_spawn_size: Mapped[int] = mapped_column(Integer, default=0)
    group_former_count: Mapped[int] = mapped_column(Integer, default=0)
    starting_point_x: Mapped[int | None] = mapped_column(Integer)
    starting_point_y: Mapped[int | None] = mapped_column(Integer)
    entry_flow: Mapped[EntryFlow] = mapped_column(StrEnumType(EntryFlow), default=EntryFlow.SPIRAL)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JsonColumn, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
