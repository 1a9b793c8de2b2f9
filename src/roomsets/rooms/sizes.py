"""The named room sizes Scoot offers: width × height in px and default max participants."""

import enum
from dataclasses import dataclass


class RoomSize(enum.StrEnum):
    MINI = "Mini"
    SMALL = "Small"
    MEDIUM = "Medium"
    LARGE = "Large"
    X_LARGE = "X-Large"
    JUMBO = "Jumbo"


@dataclass(frozen=True)
class Dimensions:
    width: int
    height: int
    max_participants: int


SIZES: dict[RoomSize, Dimensions] = {
    RoomSize.MINI: Dimensions(2000, 2000, 10),
    RoomSize.SMALL: Dimensions(4000, 4000, 25),
    RoomSize.MEDIUM: Dimensions(8000, 8000, 75),
    RoomSize.LARGE: Dimensions(12000, 12000, 125),
    RoomSize.X_LARGE: Dimensions(16000, 16000, 200),
    RoomSize.JUMBO: Dimensions(20000, 20000, 300),
}
