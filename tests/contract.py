"""The contract documents, read from docs/reference/ (copied into the project)."""

import json
import re
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference"


@cache
def seed_example() -> list[dict]:
    """The JSON example of Scoot's "Get My Room Sets" page."""
    text = (REFERENCE / "scoot-get-my-room-sets.txt").read_text()
    start = text.index("[\n{")
    depth = 0
    for end, char in enumerate(text[start:], start):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
        if depth == 0:
            return json.loads(text[start : end + 1])
    raise ValueError("no JSON example in the seed")


def seed_objects() -> dict[str, dict]:
    room_set = seed_example()[0]
    social = room_set["socials"][0]
    theme = social["theme"]
    return {
        "SocialRoomSet": room_set,
        "Social": social,
        "User": room_set["hostUser"],
        "Theme": theme,
        "Tile": theme["tiles"][0],
        "UploadStatus": theme["uploadStatus"],
        "SocialMeta": social["socialMeta"],
        "BadgeData": social["myBadgeData"][0],
    }


def _keys(paragraph: str) -> set[str]:
    keys = set()
    for part in paragraph.split("·"):
        match = re.search(r"`([A-Za-z]+)`", part)
        if match:
            keys.add(match.group(1))
    return keys


@cache
def spec_objects() -> dict[str, set[str]]:
    """Each object's keys as API.md section 2 lists them."""
    text = (REFERENCE / "API.md").read_text()
    section = text[text.index("## 2. Objects") : text.index("## 3. Endpoints")]
    objects: dict[str, set[str]] = {}
    for block in section.split("\n### ")[1:]:
        heading, _, body = block.partition("\n")
        name = heading.split()[0]
        paragraphs = [p.replace("\n", " ") for p in body.strip().split("\n\n")]
        objects[name] = _keys(paragraphs[0])
        for paragraph in paragraphs[1:]:
            label = re.match(r"(\w+):", paragraph)
            if label:
                objects[label.group(1)] = _keys(paragraph[label.end() :])
    return objects
