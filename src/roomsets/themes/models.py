import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from roomsets.kit.db import Base, StrEnumType, UtcDateTime, utcnow


class ThemeType(enum.StrEnum):
    LAYERED = "LAYERED"
    SINGLE_IMAGE = "SINGLE_IMAGE"
    SINGLE_COLOR = "SINGLE_COLOR"


class UploadState(enum.StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class TileLayer(enum.StrEnum):
    SINGLE = "SINGLE"
    FAR = "FAR"
    MID = "MID"
    NEAR = "NEAR"


class Theme(Base):
    """How a room looks. Image columns hold storage keys; URIs are built when rendered.

    A theme with no owner is built in and usable by everyone; a custom theme is usable
    by its owner and the owner's company. The upload_* columns are its UploadStatus.
    """

    __tablename__ = "themes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    type: Mapped[ThemeType] = mapped_column(StrEnumType(ThemeType))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    color_primary: Mapped[str | None] = mapped_column(String(9))
    color_secondary: Mapped[str | None] = mapped_column(String(9))
    color_background: Mapped[str | None] = mapped_column(String(9))
    color_gradient_background: Mapped[str | None] = mapped_column(String(9))
    color_button_text: Mapped[str | None] = mapped_column(String(9))
    color_button_bg: Mapped[str | None] = mapped_column(String(9))
    image_far_key: Mapped[str | None] = mapped_column(String(512))
    image_mid_key: Mapped[str | None] = mapped_column(String(512))
    image_near_key: Mapped[str | None] = mapped_column(String(512))
    preview_key: Mapped[str | None] = mapped_column(String(512))
    minimap_key: Mapped[str | None] = mapped_column(String(512))
    image_width: Mapped[int | None] = mapped_column(Integer)
    image_height: Mapped[int | None] = mapped_column(Integer)
    template_id: Mapped[str | None] = mapped_column(String(64))
    default_artifact_set_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    multi_size: Mapped[bool] = mapped_column(Boolean, default=False)
    add_to_minimap: Mapped[bool] = mapped_column(Boolean, default=True)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    upload_request_status_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    upload_request_id: Mapped[str | None] = mapped_column(String(64))
    upload_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    upload_status: Mapped[UploadState | None] = mapped_column(StrEnumType(UploadState))
    upload_progress: Mapped[int | None] = mapped_column(Integer)
    upload_failure_reason: Mapped[str | None] = mapped_column(Text)
    upload_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    upload_ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ThemeTile(Base):
    __tablename__ = "theme_tiles"
    __table_args__ = (Index("ix_theme_tiles_theme_position", "theme_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    theme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    layer: Mapped[TileLayer] = mapped_column(StrEnumType(TileLayer))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(512))
    x: Mapped[int] = mapped_column(Integer)
    y: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
