"""R1's render cache: each room set's rendered JSON, kept as bytes, keyed by its render version.

Why it is correct: `room_sets.render_version` is bumped by database triggers in the same
transaction as any write to what a set renders (migration 0002), and R1 reads the version
of every set on its page from the database on every request. A write on any instance is
therefore seen by the next R1 on every instance: the version it reads differs from the
cached one, and the set is rendered again. A fragment rendered from data newer than the
version it is stored under is only ever served to a request that read that older version.

What is not in the bytes: the caller's `myBadgeData` (spliced in per request from the
caller's answers) and time (`isValid` turns false at a room's `endDateTime`, so a fragment
expires at the first end time after it was rendered).

Memory: users and themes recur across many sets (the same host in all of their sets, a
built-in theme in thousands of rooms), so their bytes are shared between fragments and
counted once. The cache holds at most `max_bytes`, evicting the least recently used set.
"""

import re
import secrets
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from roomsets.badging.schemas import BadgeData
from roomsets.sets.schemas import SocialRoomSet
from roomsets.themes.schemas import Theme
from roomsets.users.schemas import User

BADGES = TypeAdapter(list[BadgeData])
# A per-process random token marks the places where shared or per-caller parts go. Text
# from users is JSON-escaped and cannot carry the token: it is never shown to anyone.
_TOKEN = secrets.token_hex(16)
_SLOT = re.compile(b'"' + _TOKEN.encode() + rb':(\d+)"')
# Rough cost of a Python bytes object and a list slot, added to the bytes themselves.
_OVERHEAD = 40

Answer = tuple[str | None, list[str] | None]


@dataclass(slots=True, frozen=True)
class Fragment:
    """One set, rendered: byte chunks where `None` stands for the caller's myBadgeData."""

    set_id: Any
    version: int
    expires_at: datetime | None
    chunks: tuple[bytes | None, ...]
    badge_slots: tuple[int, ...]
    shared: frozenset[bytes]
    questions: tuple[BadgeData, ...]
    unanswered: bytes
    size: int
    # The last answers spliced in and their bytes: R1 lists the caller's own sets, so one
    # caller (the host) asks for a set again and again.
    last: list[Any] = field(default_factory=lambda: [None, b""], compare=False)

    def parts(self, answers: Mapping[str, Answer] | None) -> list[bytes]:
        """The set's chunks with the myBadgeData of a caller whose answers (by title) are given."""
        parts = list(self.chunks)
        if self.badge_slots:
            badges = self.unanswered if not answers else self._spliced(answers)
            for i in self.badge_slots:
                parts[i] = badges
        return parts  # type: ignore[return-value]

    def _spliced(self, answers: Mapping[str, Answer]) -> bytes:
        key = sorted((title, value, tuple(multi) if multi is not None else None) for title, (value, multi) in answers.items())
        if self.last[0] != key:
            self.last[:] = [key, self.badges(answers)]
        return self.last[1]

    def badges(self, answers: Mapping[str, Answer]) -> bytes:
        answered = []
        for question in self.questions:
            value, multi_values = answers.get(question.title, (None, None))
            answered.append(question.model_copy(update={"value": value, "multi_values": multi_values}))
        return BADGES.dump_json(answered)


def _json(model: Any, warnings: bool = True) -> bytes:
    return model.__pydantic_serializer__.to_json(model, by_alias=True, warnings=warnings)


def fragment(room_set: SocialRoomSet, version: int, now: datetime) -> Fragment:
    """Cut a rendered set into chunks, users and themes apart, its caller's answers left out."""
    parts: list[bytes | None] = [None]  # slot 0: myBadgeData
    slots: dict[Any, str] = {}

    def slot(key: Any, render: Any) -> str:
        if key not in slots:
            parts.append(render())
            slots[key] = f"{_TOKEN}:{len(parts) - 1}"
        return slots[key]

    def user(model: User) -> str:
        return slot(("user", model.user_id), lambda: _json(model))

    def theme(model: Theme | None) -> str | None:
        if model is None:
            return None
        return slot(("theme", model.social_theme_id), lambda: _json(model))

    badges = f"{_TOKEN}:0"
    socials = [
        social.model_copy(
            update={
                "user": user(social.user),
                "updated_by_user": user(social.updated_by_user),
                "alternate_hosts": [user(u) for u in social.alternate_hosts],
                "theme": theme(social.theme),
                "my_badge_data": badges,
            }
        )
        for social in room_set.socials
    ]
    templated = room_set.model_copy(
        update={
            "host_user": user(room_set.host_user),
            "alternate_hosts": [user(u) for u in room_set.alternate_hosts],
            "socials": socials,
        }
    )
    # The placeholders are strings where models are declared: no warnings for that.
    raw = _json(templated, warnings=False)
    pieces = _SLOT.split(raw)
    chunks: list[bytes | None] = []
    badge_slots: list[int] = []
    shared: set[bytes] = set()
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if piece:
                chunks.append(piece)
            continue
        part = parts[int(piece)]
        if part is None:
            badge_slots.append(len(chunks))
        else:
            shared.add(part)
        chunks.append(part)
    questions = tuple(
        q.model_copy(update={"value": None, "multi_values": None})
        for q in (room_set.socials[0].my_badge_data if room_set.socials else ())
    )
    unanswered = BADGES.dump_json(list(questions))
    ends = [s.end_date_time for s in room_set.socials if s.end_date_time is not None and s.end_date_time > now]
    own = sum(len(c) + _OVERHEAD for c in chunks if c is not None and c not in shared)
    return Fragment(
        set_id=room_set.social_room_set_id,
        version=version,
        expires_at=min(ends, default=None),
        chunks=tuple(chunks),
        badge_slots=tuple(badge_slots),
        shared=frozenset(shared),
        questions=questions,
        unanswered=unanswered,
        size=own + 3 * len(unanswered) + _OVERHEAD * (len(chunks) + 4),
    )


class RenderCache:
    """Fragments by set id, least recently used evicted first; shared parts counted once."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._fragments: OrderedDict[Any, Fragment] = OrderedDict()
        # Shared chunk -> (the one kept copy, how many fragments use it).
        self._shared: dict[bytes, list[Any]] = {}
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._fragments)

    def get(self, set_id: Any, version: int, now: datetime) -> Fragment | None:
        found = self._fragments.get(set_id)
        if found is None or found.version != version or (found.expires_at is not None and now >= found.expires_at):
            self.misses += 1
            return None
        self._fragments.move_to_end(set_id)
        self.hits += 1
        return found

    def put(self, item: Fragment) -> Fragment:
        """Keep `item` (if it fits) and return it with its shared chunks deduplicated."""
        if item.size > self.max_bytes:
            return item
        kept = self._fragments.get(item.set_id)
        if kept is not None:
            if kept.version > item.version:  # a racing request rendered a newer state first
                return item
            self._forget(item.set_id)
        item = self._share(item)
        self._fragments[item.set_id] = item
        self.bytes += item.size
        while self.bytes > self.max_bytes and self._fragments:
            self._forget(next(iter(self._fragments)))
        return item

    def _share(self, item: Fragment) -> Fragment:
        canonical: dict[bytes, bytes] = {}
        for chunk in item.shared:
            held = self._shared.get(chunk)
            if held is None:
                held = self._shared[chunk] = [chunk, 0]
                self.bytes += len(chunk) + _OVERHEAD
            held[1] += 1
            canonical[chunk] = held[0]
        chunks = tuple(canonical.get(c, c) if c is not None else None for c in item.chunks)
        return replace(item, chunks=chunks, shared=frozenset(canonical.values()))

    def _forget(self, set_id: Any) -> None:
        item = self._fragments.pop(set_id)
        self.bytes -= item.size
        for chunk in item.shared:
            held = self._shared[chunk]
            held[1] -= 1
            if held[1] == 0:
                del self._shared[chunk]
                self.bytes -= len(chunk) + _OVERHEAD


def join_sets(rendered: Iterable[tuple[Fragment, Mapping[str, Answer] | None]]) -> bytes:
    """A JSON array of sets, each with its caller's answers, copied into one bytes object once."""
    out = [b"["]
    for fragment_, answers in rendered:
        if len(out) > 1:
            out.append(b",")
        out.extend(fragment_.parts(answers))
    out.append(b"]")
    return b"".join(out)
