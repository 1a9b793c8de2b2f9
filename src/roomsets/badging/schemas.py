from roomsets.badging.models import BadgeVisibility, InputType
from roomsets.kit.schemas import WireModel


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
