"""Joins and leaves racing each other, as real concurrent requests against a running server.

The server is uvicorn in a subprocess on a free loopback port, on the test database, so
every request is its own transaction on its own connection. Run on both engines: PostgreSQL
is where real races happen, and on SQLite it proves that a join takes the write lock before
it reads (SQLite runs reads outside the transaction until the first write).
"""

import asyncio
import collections
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import live_server as serve
from tests.factories import make_caller, make_callers, make_room_set, rooms_of

USERS = 50
PLACES = 10


@pytest.fixture
def live_server(database, db) -> Iterator[str]:
    # Up to 10 connections: the test server shares PostgreSQL with other test runs.
    with serve(database, db_pool_size="5") as url:
        yield url


async def all_at_once(url: str, requests: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    """POST every (path, headers) at the same time, each on its own connection."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        responses = await asyncio.gather(*(http.post(path, headers=headers) for path, headers in requests))
    for response in responses:
        assert response.status_code == 200, response.text
    return list(responses)


async def everyone(url: str, headers: dict[str, str], room) -> list[dict]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        response = await http.get(f"/api/v1/social/{room.id}/attendees", headers=headers, params={"size": 1000})
    assert response.status_code == 200, response.text
    return response.json()


def positions(attendees: list[dict]) -> list[int]:
    return sorted(a["queuePosition"] for a in attendees if a["status"] == "WAITING")


async def test_fifty_users_racing_for_ten_places(live_server, db):
    host, host_headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    (room,) = await rooms_of(db, room_set)
    room.max_participants = PLACES
    callers = await make_callers(db, USERS)
    await db.commit()

    answers = [r.json() for r in await all_at_once(live_server, [(f"/api/v1/social/{room.id}/join", h) for _, h in callers])]
    assert collections.Counter(a["status"] for a in answers) == {"JOINED": PLACES, "WAITING": USERS - PLACES}
    assert positions(answers) == list(range(1, USERS - PLACES + 1))
    listed = await everyone(live_server, host_headers, room)
    assert positions(listed) == list(range(1, USERS - PLACES + 1))
    assert all(a["queueLength"] == USERS - PLACES for a in listed)

    inside = [headers for (_, headers), a in zip(callers, answers, strict=True) if a["status"] == "JOINED"]
    head = {a["attendeeUserId"] for a in listed if a["status"] == "WAITING" and a["queuePosition"] <= PLACES}
    left = await all_at_once(live_server, [(f"/api/v1/social/{room.id}/leave", h) for h in inside])
    assert {r.json()["status"] for r in left} == {"LEFT"}

    listed = await everyone(live_server, host_headers, room)
    status = collections.Counter(a["status"] for a in listed)
    assert status == {"JOINED": PLACES, "WAITING": USERS - 2 * PLACES, "LEFT": PLACES}
    assert {a["attendeeUserId"] for a in listed if a["status"] == "JOINED"} == head
    assert positions(listed) == list(range(1, USERS - 2 * PLACES + 1))


async def test_racing_joins_of_two_rooms_leave_each_user_in_one(live_server, db):
    host, host_headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=2)
    first, second = await rooms_of(db, room_set)
    callers = await make_callers(db, 25)
    await db.commit()

    def where_everyone_is(first_list, second_list) -> dict[str, list[str]]:
        rooms = collections.defaultdict(list)
        for room, listed in ((first, first_list), (second, second_list)):
            for a in listed:
                if a["status"] in ("JOINED", "WAITING"):
                    rooms[a["attendeeUserId"]].append(str(room.id))
        return rooms

    # Every user asks for both rooms at the same time.
    requests = [(f"/api/v1/social/{room.id}/join", h) for _, h in callers for room in (first, second)]
    await all_at_once(live_server, requests)
    placed = where_everyone_is(await everyone(live_server, host_headers, first), await everyone(live_server, host_headers, second))
    assert sorted(placed) == sorted(str(user.id) for user, _ in callers)
    assert all(len(rooms) == 1 for rooms in placed.values()), placed

    # Then everyone swaps rooms at once: departures and arrivals cross in both directions.
    target = {user_id: (second if rooms == [str(first.id)] else first) for user_id, rooms in placed.items()}
    swaps = await all_at_once(
        live_server, [(f"/api/v1/social/{target[str(user.id)].id}/join", h) for user, h in callers]
    )
    assert all(r.json()["socialChanged"] for r in swaps)
    moved = where_everyone_is(await everyone(live_server, host_headers, first), await everyone(live_server, host_headers, second))
    assert moved == {user_id: [str(room.id)] for user_id, room in target.items()}

    async with httpx.AsyncClient(base_url=live_server, timeout=60) as http:
        mine = (await http.get("/api/v1/social/room/set/mine", headers=host_headers)).json()[0]
    present = [s["socialMeta"]["numberCurrentlyPresent"] for s in mine["socials"]]
    assert sum(present) == len(callers)
