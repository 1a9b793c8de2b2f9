import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from roomsets.kit.db import Base, JsonColumn, StrEnumType, UtcDateTime, utcnow


class BadgeVisibility(enum.StrEnum):
    ALL = "ALL"
    ACCOUNT_USERS = "ACCOUNT_USERS"
    HOSTS = "HOSTS"
    INTERNAL = "INTERNAL"


class InputType(enum.StrEnum):
    TEXT = "TEXT"
    PARAGRAPH = "PARAGRAPH"
    SINGLE_SELECT = "SINGLE_SELECT"
    MULTI_SELECT = "MULTI_SELECT"
    NUMBER = "NUMBER"


class BadgeQuestion(Base):
    __tablename__ = "badge_questions"
    __table_args__ = (Index("ix_badge_questions_room_set_position", "room_set_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    room_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_sets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[BadgeVisibility] = mapped_column(StrEnumType(BadgeVisibility), default=BadgeVisibility.ALL)
    input_type: Mapped[InputType] = mapped_column(StrEnumType(InputType), default=InputType.TEXT)


class BadgeAnswer(Base):
    __tablename__ = "badge_answers"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("badge_questions.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[str | None] = mapped_column(Text)
    multi_values: Mapped[list[str] | None] = mapped_column(JsonColumn)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
