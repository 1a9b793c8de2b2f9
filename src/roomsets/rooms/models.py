import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from roomsets.kit.db import Base, StrEnumType, UtcDateTime, utcnow
from roomsets.sets.models import SocialPermissionType


class Platform(enum.StrEnum):
    SCOOT = "SCOOT"


class Social(Base):
    """A room of a room set. `session_id` is the live session; no session means closed."""

    __tablename__ = "socials"
    __table_args__ = (Index("ix_socials_room_set_created", "room_set_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    room_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_sets.id", ondelete="CASCADE"))
    creator_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    meta_id: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[str | None] = mapped_column(String(64))
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    anyone_can_start: Mapped[bool] = mapped_column(Boolean, default=True)
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_guest_users: Mapped[bool] = mapped_column(Boolean, default=False)
    social_permission_type: Mapped[SocialPermissionType] = mapped_column(
        StrEnumType(SocialPermissionType), default=SocialPermissionType.PUBLIC
    )
    platform: Mapped[Platform] = mapped_column(StrEnumType(Platform), default=Platform.SCOOT)
    max_participants: Mapped[int] = mapped_column(Integer, default=75)
    starting_width: Mapped[int] = mapped_column(Integer, default=8000)
    starting_height: Mapped[int] = mapped_column(Integer, default=8000)
    host_admitted: Mapped[bool] = mapped_column(Boolean, default=False)
    theme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    configuration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("entry_configurations.id", ondelete="SET NULL"), index=True
    )
    playlist_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    artifact_set_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    start_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)


class SocialAlternateHost(Base):
    __tablename__ = "social_alternate_hosts"

    social_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("socials.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SavedSocial(Base):
    __tablename__ = "saved_socials"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    social_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("socials.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
