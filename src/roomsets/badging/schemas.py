from typing import Annotated

from pydantic import Field, StringConstraints

from roomsets.badging import models
from roomsets.badging.models import BadgeVisibility, InputType
from roomsets.kit.schemas import RequestModel, WireModel


class BadgeData(WireModel):
    """One badge question of a room set with the caller's answer (null when unanswered)."""

    title: str
    value: str | None
    multi_values: list[str] | None
    options: list[str]
    description: str | None
    required: bool
    featured: bool
    visibility: BadgeVisibility
    input_type: InputType

    @classmethod
    def from_question(
        cls, question: models.BadgeQuestion, value: str | None, multi_values: list[str] | None
    ) -> "BadgeData":
        """The question with one user's answer (both null when unanswered); trusted rows."""
        return cls.model_construct(
            title=question.title,
            value=value,
            multi_values=multi_values,
            options=question.options,
            description=question.description,
            required=question.required,
            featured=question.featured,
            visibility=question.visibility,
            input_type=question.input_type,
        )


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=225)]


class BadgeQuestionCreate(RequestModel):
    """One badge question of a set, as the host writes it (B2). The title is its key."""

    title: Title
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    options: Annotated[list[Option], Field(max_length=100)] = []
    required: bool = False
    featured: bool = False
    visibility: BadgeVisibility = BadgeVisibility.ALL
    input_type: InputType = InputType.TEXT


class BadgeAnswerCreate(RequestModel):
    """The caller's answer to the question with this `title` (B3); `value` and `multiValues`
    both null (or an empty `multiValues`) clears the answer."""

    title: str
    value: str | None = None
    multi_values: Annotated[list[str], Field(max_length=100)] | None = None
