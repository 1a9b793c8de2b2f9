"""Load without loss (`make reliability`): a mixed read/write load, then a full audit.

Clients send R1 reads, creates (R3, S1), updates (R5), joins and leaves (S9) and invites
(S7) to `roomsets serve --workers 2` on a PostgreSQL database of its own (created, then
dropped), rate limiting off. Every answer is counted and every acknowledged write kept in
a ledger; at the end the database must hold exactly what the answers said, and no
structural rule may be broken (see `audit`). Loopback only; clients, connections and the
duration are bounded; it stops by itself.

    python -m bench.reliability                  # 60 s, 8 clients
    python -m bench.reliability --duration 10    # a smoke run

The same machinery serves tests/test_crash_safety.py (a server killed mid-load) and
tests/test_load_without_loss.py (a short run of this load).
"""

import argparse
import asyncio
import collections
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.procs import ROOT, Server

RESULTS = ROOT / "bench" / "results" / "reliability.json"
ADMIN_URL = os.environ.get("ROOMSETS_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
SECRET = "reliability-secret"

# Operation weights per profile: `crash` writes only (reads prove nothing after a kill).
MIXES = {
    "load": {"read": 30, "create_set": 8, "update_set": 10, "create_room": 5, "invite": 10, "join": 27, "leave": 10},
    "crash": {"create_set": 15, "update_set": 15, "create_room": 10, "invite": 10, "join": 35, "leave": 15},
}
WRITES = {"create_set", "update_set", "create_room", "invite", "join", "leave"}


# -- who sends what -----------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    user_id: str
    headers: dict[str, str]


async def make_callers(engine: AsyncEngine, secret: str, count: int, prefix: str) -> list[Caller]:
    from roomsets.kit.db import create_sessionmaker
    from roomsets.users import service as users

    callers = []
    async with create_sessionmaker(engine)() as session:
        for n in range(count):
            user = await users.create_user(
                session, email=f"{prefix}{n}-{secrets.token_hex(3)}@example.test", first_name="Load", last_name=f"No{n}"
            )
            key = (await users.create_key(session, secret, user)).key
            callers.append(Caller(str(user.id), {"X-API-Key": key}))
        await session.commit()
    return callers


# -- the ledger: what the answers said ----------------------------------------------------


@dataclass
class SetState:
    set_id: str
    host: str
    names: set[str]  # the acknowledged name, plus any sent without an answer since
    starts: set[str]
    rooms: dict[str, int] = field(default_factory=dict)  # acknowledged rooms: maxParticipants
    unanswered_rooms: int = 0


IN_JOINED = "JOINED"
IN_WAITING = "WAITING"
OUT = ("out",)


@dataclass
class Ledger:
    sets: dict[str, SetState] = field(default_factory=dict)
    # Creates sent without an answer: (host, name) — they may or may not exist.
    unanswered_creates: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[tuple[str, str]] = field(default_factory=list)  # (set, room) acknowledged, for joins
    invites: set[tuple[str, str]] = field(default_factory=set)  # (room, user) acknowledged
    unanswered_invites: set[tuple[str, str]] = field(default_factory=set)
    # (user, set) -> the states the user may be in now: ("in", room, status) or ("out",).
    presence: dict[tuple[str, str], set[tuple[str, ...]]] = field(default_factory=dict)
    answers: collections.Counter[str] = field(default_factory=collections.Counter)
    status: collections.Counter[int] = field(default_factory=collections.Counter)
    acknowledged_writes: int = 0
    unanswered: int = 0
    server_errors: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)

    def where(self, user: str, set_id: str) -> set[tuple[str, ...]]:
        return self.presence.get((user, set_id), {OUT})


def joined_states(room: str, status: str) -> set[tuple[str, ...]]:
    # Someone acknowledged as waiting may since have been let in by another's leave.
    return {("in", room, IN_JOINED)} if status == IN_JOINED else {("in", room, IN_WAITING), ("in", room, IN_JOINED)}


class Unanswered(Exception):
    pass


class Workload:
    """`clients` clients, each with its own host and members, so each one's writes are
    sequential and the ledger can say exactly what each acknowledged write left behind."""

    def __init__(
        self,
        url: str,
        hosts: list[Caller],
        members: list[list[Caller]],
        *,
        seed: int,
        mix: str,
        stop_on_transport_error: bool,
    ) -> None:
        self.url = url
        self.hosts = hosts
        self.members = members
        self.everyone = [m for group in members for m in group]
        self.seed = seed
        self.weights = MIXES[mix]
        self.stop_on_transport_error = stop_on_transport_error
        self.ledger = Ledger()
        self.sequence = 0
        self.stopping = False

    async def run(self, duration: float | None = None) -> Ledger:
        """Until `duration` has passed, or (crash runs) until the server is gone."""
        deadline = None if duration is None else time.monotonic() + duration
        limits = httpx.Limits(max_connections=len(self.hosts) * 2, max_keepalive_connections=len(self.hosts) * 2)
        async with httpx.AsyncClient(base_url=self.url, limits=limits, timeout=30) as http:
            await asyncio.gather(
                *(self._client(http, i, random.Random(f"{self.seed}-{i}"), deadline) for i in range(len(self.hosts)))
            )
        return self.ledger

    async def _client(self, http: httpx.AsyncClient, index: int, rng: random.Random, deadline: float | None) -> None:
        names, weights = zip(*self.weights.items(), strict=True)
        # Every client starts with a set of its own, so updates and invites have a target.
        first = True
        while not self.stopping and (deadline is None or time.monotonic() < deadline):
            operation = "create_set" if first else rng.choices(names, weights)[0]
            first = False
            try:
                await getattr(self, operation)(http, index, rng)
            except Unanswered:
                if self.stop_on_transport_error:
                    return

    async def _send(self, http: httpx.AsyncClient, operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            self.ledger.unanswered += operation in WRITES
            self.ledger.transport_errors.append(f"{operation} {method} {path}: {exc.__class__.__name__}")
            raise Unanswered from exc
        self.ledger.answers[operation] += 1
        self.ledger.status[response.status_code] += 1
        if response.status_code >= 500:
            self.ledger.server_errors.append(f"{operation} {method} {path}: {response.status_code} {response.text[:300]}")
        elif response.status_code >= 300:
            self.ledger.refusals.append(f"{operation} {method} {path}: {response.status_code} {response.text[:300]}")
        elif operation in WRITES:
            self.ledger.acknowledged_writes += 1
        return response

    def _name(self, kind: str, index: int) -> str:
        self.sequence += 1
        return f"{kind} {index}-{self.sequence}"

    def _own_sets(self, index: int) -> list[SetState]:
        return [s for s in self.ledger.sets.values() if s.host == self.hosts[index].user_id]

    # -- operations -------------------------------------------------------------------------

    async def read(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        params = {"page": 0, "size": rng.choice([5, 20, 100]), "sort": rng.choice(["name,asc", "dateCreated,desc"])}
        await self._send(http, "read", "GET", "/api/v1/social/room/set/mine", params=params, headers=self.hosts[index].headers)

    async def create_set(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        host = self.hosts[index]
        name = self._name("Set", index)
        maxima = [rng.randint(1, 3) for _ in range(rng.randint(1, 4))]
        start = rng.randrange(len(maxima))
        body = {
            "name": name,
            "socials": [{"name": f"{name} room {i}", "maxParticipants": m} for i, m in enumerate(maxima)],
            "startingPointIndex": start,
        }
        try:
            response = await self._send(http, "create_set", "POST", "/api/v1/social/room/set", json=body, headers=host.headers)
        except Unanswered:
            self.ledger.unanswered_creates.append((host.user_id, name))
            raise
        if response.status_code != 201:
            return
        data = response.json()
        rooms = {s["name"]: s["socialId"] for s in data["socials"]}
        state = SetState(
            data["socialRoomSetId"], host.user_id, {name}, {rooms[f"{name} room {start}"]},
            {rooms[f"{name} room {i}"]: m for i, m in enumerate(maxima)},
        )
        self.ledger.sets[state.set_id] = state
        self.ledger.rooms.extend((state.set_id, room) for room in state.rooms)

    async def update_set(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        own = self._own_sets(index)
        if not own:
            return await self.create_set(http, index, rng)
        state = rng.choice(own)
        name, start = self._name("Renamed", index), rng.choice(sorted(state.rooms))
        body = {"socialRoomSetId": state.set_id, "name": name, "startingPointSocialId": start}
        try:
            response = await self._send(http, "update_set", "POST", "/api/v1/social/room/set/update", json=body, headers=self.hosts[index].headers)
        except Unanswered:
            state.names.add(name)
            state.starts.add(start)
            raise
        if response.status_code == 200:
            state.names, state.starts = {name}, {start}

    async def create_room(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        own = self._own_sets(index)
        if not own:
            return await self.create_set(http, index, rng)
        state = rng.choice(own)
        maximum = rng.randint(1, 3)
        body = {"socialRoomSetId": state.set_id, "name": self._name("Room", index), "maxParticipants": maximum}
        try:
            response = await self._send(http, "create_room", "POST", "/api/v1/social", json=body, headers=self.hosts[index].headers)
        except Unanswered:
            state.unanswered_rooms += 1
            raise
        if response.status_code == 201:
            room = response.json()["socialId"]
            state.rooms[room] = maximum
            self.ledger.rooms.append((state.set_id, room))

    async def invite(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        own = self._own_sets(index)
        if not own:
            return await self.create_set(http, index, rng)
        room = rng.choice(sorted(rng.choice(own).rooms))
        user = rng.choice(self.everyone).user_id
        path = f"/api/v1/social/invite/{room}"
        try:
            response = await self._send(http, "invite", "POST", path, json=[{"invitedUserId": user}], headers=self.hosts[index].headers)
        except Unanswered:
            self.ledger.unanswered_invites.add((room, user))
            raise
        if response.status_code != 200:
            return
        (item,) = response.json()
        if item["error"] is None:
            self.ledger.invites.add((room, user))
        elif (room, user) not in self.ledger.invites | self.ledger.unanswered_invites:
            self.ledger.refusals.append(f"invite {room} {user}: refused although never invited: {item['error']}")

    async def join(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        if not self.ledger.rooms:
            return await self.create_set(http, index, rng)
        member = rng.choice(self.members[index])
        set_id, room = rng.choice(self.ledger.rooms)
        key = (member.user_id, set_id)
        try:
            response = await self._send(http, "join", "POST", f"/api/v1/social/{room}/join", headers=member.headers)
        except Unanswered:
            self.ledger.presence[key] = self.ledger.where(*key) | joined_states(room, IN_WAITING)
            raise
        if response.status_code == 200:
            data = response.json()
            if data["socialId"] != room or data["status"] not in (IN_JOINED, IN_WAITING):
                self.ledger.refusals.append(f"join {room}: answered {data['socialId']} {data['status']}")
            self.ledger.presence[key] = joined_states(room, data["status"])

    async def leave(self, http: httpx.AsyncClient, index: int, rng: random.Random) -> None:
        inside = [
            (member, set_id, states)
            for member in self.members[index]
            for (user, set_id), states in self.ledger.presence.items()
            if user == member.user_id and OUT not in states and len({s[1] for s in states}) == 1
        ]
        if not inside:
            return await self.join(http, index, rng)
        member, set_id, states = rng.choice(sorted(inside, key=lambda t: (t[0].user_id, t[1])))
        room = next(iter(states))[1]
        key = (member.user_id, set_id)
        try:
            response = await self._send(http, "leave", "POST", f"/api/v1/social/{room}/leave", headers=member.headers)
        except Unanswered:
            self.ledger.presence[key] = states | {OUT}
            raise
        if response.status_code == 200:
            self.ledger.presence[key] = {OUT}


# -- the audit ----------------------------------------------------------------------------


async def _all(http: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 0
    while True:
        response = await http.get(path, params={**params, "page": page, "size": 1000}, headers=headers)
        if response.status_code != 200:
            raise AssertionError(f"GET {path}: {response.status_code} {response.text[:300]}")
        items.extend(response.json())
        if len(items) >= int(response.headers["X-Total-Count"]):
            return items
        page += 1


async def structural_problems(engine: AsyncEngine) -> list[str]:
    """Rules no write may break, half-applied or not, read straight from the tables."""
    from roomsets.participation.models import SocialAttendee
    from roomsets.rooms.models import Social
    from roomsets.sets.models import RoomSet

    problems: list[str] = []
    async with engine.connect() as db:
        sets = {str(r.id): r for r in (await db.execute(select(RoomSet.id, RoomSet.starting_point_social_id))).all()}
        rooms = {
            str(r.id): r
            for r in (
                await db.execute(
                    select(Social.id, Social.room_set_id, Social.max_participants, Social.host_admitted, Social.session_id)
                )
            ).all()
        }
        attendees = (
            await db.execute(
                select(
                    SocialAttendee.id, SocialAttendee.social_id, SocialAttendee.room_set_id, SocialAttendee.user_id,
                    SocialAttendee.status, SocialAttendee.queue_position, SocialAttendee.is_present,
                    SocialAttendee.is_host, SocialAttendee.first_joined_at,
                )
            )
        ).all()
    rooms_of: dict[str, set[str]] = collections.defaultdict(set)
    for room_id, room in rooms.items():
        if str(room.room_set_id) not in sets:
            problems.append(f"room {room_id}: its set {room.room_set_id} is gone")
        rooms_of[str(room.room_set_id)].add(room_id)
    for set_id, room_set in sets.items():
        if not rooms_of[set_id]:
            problems.append(f"set {set_id}: has no room")
        if room_set.starting_point_social_id is None or str(room_set.starting_point_social_id) not in rooms_of[set_id]:
            problems.append(f"set {set_id}: starting point {room_set.starting_point_social_id} is not one of its rooms")
    joined: collections.Counter[str] = collections.Counter()
    guests_joined: collections.Counter[str] = collections.Counter()
    queues: dict[str, list[int]] = collections.defaultdict(list)
    active: collections.Counter[tuple[str, str]] = collections.Counter()
    for a in attendees:
        room_id, status = str(a.social_id), str(a.status)
        room = rooms.get(room_id)
        if room is None or str(room.room_set_id) != str(a.room_set_id):
            problems.append(f"attendee {a.id}: set {a.room_set_id} is not the set of room {room_id}")
        if (status == IN_WAITING) != (a.queue_position is not None):
            problems.append(f"attendee {a.id}: {status} with queuePosition {a.queue_position}")
        if (status == IN_JOINED) != bool(a.is_present):
            problems.append(f"attendee {a.id}: {status} with isPresent {a.is_present}")
        if status == IN_JOINED and a.first_joined_at is None:
            problems.append(f"attendee {a.id}: JOINED but never arrived")
        if status == IN_JOINED:
            joined[room_id] += 1
            guests_joined[room_id] += not a.is_host
        if status == IN_WAITING:
            queues[room_id].append(a.queue_position)
        if status in (IN_JOINED, IN_WAITING):
            active[(str(a.user_id), str(a.room_set_id))] += 1
    for room_id, room in rooms.items():
        if guests_joined[room_id] > room.max_participants:
            problems.append(f"room {room_id}: {guests_joined[room_id]} JOINED, maxParticipants {room.max_participants}")
        positions = sorted(p for p in queues[room_id] if p is not None)
        if positions != list(range(1, len(positions) + 1)):
            problems.append(f"room {room_id}: queue positions {positions}")
        if queues[room_id] and not room.host_admitted and joined[room_id] < room.max_participants:
            problems.append(f"room {room_id}: {len(queues[room_id])} waiting while {joined[room_id]} of {room.max_participants} places are taken")
        if (joined[room_id] > 0) != (room.session_id is not None):
            problems.append(f"room {room_id}: {joined[room_id]} inside, session {room.session_id}")
    for (user, set_id), count in active.items():
        if count > 1:
            problems.append(f"user {user}: in {count} rooms or queues of set {set_id}")
    return problems


async def ledger_problems(ledger: Ledger, engine: AsyncEngine, url: str, hosts: list[Caller]) -> tuple[list[str], dict[str, int]]:
    """What the acknowledged answers said against what the database and the API hold now."""
    from roomsets.participation.models import SocialAttendee, SocialInvite
    from roomsets.rooms.models import Social
    from roomsets.sets.models import RoomSet

    problems: list[str] = []
    checked: collections.Counter[str] = collections.Counter()
    async with engine.connect() as db:
        db_sets = {str(r.id): r for r in (await db.execute(select(RoomSet.id, RoomSet.name, RoomSet.host_user_id, RoomSet.starting_point_social_id))).all()}
        db_rooms: dict[str, set[str]] = collections.defaultdict(set)
        for r in (await db.execute(select(Social.id, Social.room_set_id))).all():
            db_rooms[str(r.room_set_id)].add(str(r.id))
        db_invites = {(str(r.social_id), str(r.invited_user_id)) for r in (await db.execute(select(SocialInvite.social_id, SocialInvite.invited_user_id))).all()}
        db_presence: dict[tuple[str, str], tuple[str, ...]] = {}
        for r in (
            await db.execute(
                select(SocialAttendee.user_id, SocialAttendee.room_set_id, SocialAttendee.social_id, SocialAttendee.status)
                .where(SocialAttendee.status.in_([IN_JOINED, IN_WAITING]))
            )
        ).all():
            db_presence[(str(r.user_id), str(r.room_set_id))] = ("in", str(r.social_id), str(r.status))
        ever_joined = dict(
            (str(room), n)
            for room, n in (
                await db.execute(
                    select(SocialAttendee.social_id, func.count())
                    .where(SocialAttendee.first_joined_at.is_not(None))
                    .group_by(SocialAttendee.social_id)
                )
            ).all()
        )

    # Sets and rooms, from the tables.
    for state in ledger.sets.values():
        checked["sets"] += 1
        row = db_sets.get(state.set_id)
        if row is None:
            problems.append(f"set {state.set_id}: acknowledged (201) but missing")
            continue
        if row.name not in state.names:
            problems.append(f"set {state.set_id}: name {row.name!r}, acknowledged {sorted(state.names)}")
        if str(row.starting_point_social_id) not in state.starts:
            problems.append(f"set {state.set_id}: starting point {row.starting_point_social_id}, acknowledged {sorted(state.starts)}")
        missing = set(state.rooms) - db_rooms[state.set_id]
        extra = db_rooms[state.set_id] - set(state.rooms)
        checked["rooms"] += len(state.rooms)
        if missing:
            problems.append(f"set {state.set_id}: acknowledged rooms missing: {sorted(missing)}")
        if len(extra) > state.unanswered_rooms:
            problems.append(f"set {state.set_id}: rooms nobody was told about: {sorted(extra)}")
    unexplained = collections.Counter((str(r.host_user_id), r.name) for sid, r in db_sets.items() if sid not in ledger.sets)
    unexplained.subtract(collections.Counter(ledger.unanswered_creates))
    for (host, name), n in unexplained.items():
        if n > 0:
            problems.append(f"set {name!r} of host {host}: exists but no create was acknowledged or left unanswered")

    # Invites.
    checked["invites"] = len(ledger.invites)
    for missing in sorted(ledger.invites - db_invites):
        problems.append(f"invite of {missing[1]} to room {missing[0]}: acknowledged but missing")
    for extra in sorted(db_invites - ledger.invites - ledger.unanswered_invites):
        problems.append(f"invite of {extra[1]} to room {extra[0]}: exists but was never acknowledged")

    # Who is where.
    keys = set(ledger.presence) | set(db_presence)
    for key in sorted(keys):
        checked["attendances"] += 1
        now = db_presence.get(key, OUT)
        if now not in ledger.where(*key):
            problems.append(f"user {key[0]} in set {key[1]}: {now}, acknowledged {sorted(ledger.where(*key))}")

    # Through the API: each host's R1 lists its sets; each room's counts agree with S8/S11.
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for host in hosts:
            listed = await _all(http, "/api/v1/social/room/set/mine", host.headers)
            listed_ids = {s["socialRoomSetId"] for s in listed}
            for state in ledger.sets.values():
                if state.host == host.user_id and state.set_id not in listed_ids:
                    problems.append(f"R1 of host {host.user_id}: acknowledged set {state.set_id} not listed")
            for room_set in listed:
                state = ledger.sets.get(room_set["socialRoomSetId"])
                if state is not None and room_set["name"] not in state.names:
                    problems.append(f"R1: set {state.set_id} named {room_set['name']!r}, acknowledged {sorted(state.names)}")
                for room in room_set["socials"]:
                    checked["rooms via API"] += 1
                    meta, room_id = room["socialMeta"], room["socialId"]
                    invites = await _all(http, f"/api/v1/social/{room_id}/invites", host.headers)
                    present = await _all(http, f"/api/v1/social/{room_id}/attendees", host.headers, isPresent="true")
                    if meta["numberOfInvites"] != len(invites):
                        problems.append(f"room {room_id}: numberOfInvites {meta['numberOfInvites']}, S8 lists {len(invites)}")
                    if meta["numberCurrentlyPresent"] != len(present):
                        problems.append(f"room {room_id}: numberCurrentlyPresent {meta['numberCurrentlyPresent']}, S11 lists {len(present)}")
                    if meta["numberOfAttendees"] != ever_joined.get(room_id, 0):
                        problems.append(f"room {room_id}: numberOfAttendees {meta['numberOfAttendees']}, {ever_joined.get(room_id, 0)} ever joined")
                    acknowledged = {u for r, u in ledger.invites if r == room_id}
                    if not acknowledged <= {i["invitedUserId"] for i in invites}:
                        problems.append(f"room {room_id}: S8 misses acknowledged invites")
    return problems, dict(checked)


# -- the benchmark ------------------------------------------------------------------------


async def create_database() -> str:
    name = f"roomsets_reliability_{secrets.token_hex(4)}"
    admin = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    admin = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def run_load(
    database_url: str, *, duration: float, clients: int, members: int, seed: int, workers: int = 2, secret: str = SECRET
) -> dict[str, Any]:
    """Users, a server, the load, the audit; the result as a JSON-ready dict."""
    from roomsets.kit.db import create_engine

    engine = create_engine(database_url)
    load_before = os.getloadavg()[0]
    try:
        hosts = await make_callers(engine, secret, clients, "host")
        groups = [await make_callers(engine, secret, members, f"member{i}-") for i in range(clients)]
        with Server(database_url, workers=workers, secret=secret) as server:
            workload = Workload(server.url, hosts, groups, seed=seed, mix="load", stop_on_transport_error=False)
            started = time.monotonic()
            ledger = await workload.run(duration)
            elapsed = time.monotonic() - started
            audit_started = time.monotonic()
            problems = await structural_problems(engine)
            found, checked = await ledger_problems(ledger, engine, server.url, hosts)
            problems += found
            audit_seconds = time.monotonic() - audit_started
    finally:
        await engine.dispose()
    sent = sum(ledger.answers.values()) + len(ledger.transport_errors)
    return {
        "seed": seed,
        # The machine's own load matters on a shared box: throughput is not the point here.
        "cpus": os.cpu_count(),
        "loadAverageBefore": round(load_before, 2),
        "workers": workers,
        "clients": clients,
        "membersPerClient": members,
        "seconds": round(elapsed, 1),
        "requestsSent": sent,
        "requestsPerSecond": round(sent / elapsed, 1) if elapsed else 0,
        "answersByOperation": dict(sorted(ledger.answers.items())),
        "answersByStatus": {str(k): v for k, v in sorted(ledger.status.items())},
        "acknowledgedWrites": ledger.acknowledged_writes,
        "serverErrors": len(ledger.server_errors),
        "unexpectedRefusals": len(ledger.refusals),
        "transportErrors": len(ledger.transport_errors),
        "checked": checked,
        "auditSeconds": round(audit_seconds, 1),
        "writesLostOrWrong": len(problems),
        "problems": problems[:50],
        "serverErrorSamples": ledger.server_errors[:10],
        "refusalSamples": ledger.refusals[:10],
        "transportErrorSamples": ledger.transport_errors[:10],
    }


def passed(result: dict[str, Any]) -> bool:
    return not (result["serverErrors"] or result["unexpectedRefusals"] or result["transportErrors"] or result["writesLostOrWrong"])


def summary_lines(result: dict[str, Any]) -> Iterable[str]:
    yield f"load without loss: {result['seconds']} s, {result['workers']} workers, {result['clients']} clients, seed {result['seed']}"
    yield f"  machine              {result['cpus']} CPUs, load average {result['loadAverageBefore']} before the run"
    yield f"  requests sent        {result['requestsSent']} ({result['requestsPerSecond']}/s)"
    yield "  by operation         " + ", ".join(f"{k} {v}" for k, v in result["answersByOperation"].items())
    yield "  by status            " + ", ".join(f"{k}: {v}" for k, v in result["answersByStatus"].items())
    yield f"  acknowledged writes  {result['acknowledgedWrites']}"
    yield f"  5xx answers          {result['serverErrors']}"
    yield f"  unexpected 4xx       {result['unexpectedRefusals']}"
    yield f"  transport errors     {result['transportErrors']}"
    yield "  audited              " + ", ".join(f"{k} {v}" for k, v in result["checked"].items()) + f" ({result['auditSeconds']} s)"
    yield f"  writes lost or wrong {result['writesLostOrWrong']}"
    for problem in result["problems"][:10]:
        yield f"    - {problem}"
    yield "  PASSED" if passed(result) else "  FAILED"


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from roomsets.migrate import upgrade_async

    url = await create_database()
    try:
        await upgrade_async(url)
        return await run_load(
            url, duration=args.duration, clients=args.clients, members=args.members, seed=args.seed, workers=args.workers
        )
    finally:
        await drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--members", type=int, default=8, help="joining users per client (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("ROOMSETS_RELIABILITY_SEED", random.randrange(2**31))))
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    for line in summary_lines(result):
        print(line)
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **result}, indent=2) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    sys.exit(0 if passed(result) else 1)


if __name__ == "__main__":
    main()
