"""Who may do what: every room set, room and user endpoint × every kind of caller.

One table, `MATRIX`: a row per endpoint, a column per caller, the expected status in
each cell. The set under test is COMPANY_AND_CONNECTIONS with two rooms, hosted by a
user of company Acme. Add an endpoint by adding a row.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from roomsets.rooms.models import Social
from roomsets.sets.models import SocialPermissionType
from roomsets.users import service as users
from tests.factories import make_caller, make_invite, make_key, make_room_set

ROLES = ["host", "alternate", "invitee", "company", "connection", "stranger", "guest", "no_key", "revoked"]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    params: dict[str, str] | None = None


SET = "/api/v1/social/room/set"
ROOM = "/api/v1/social"

#                  host alt  inv  comp conn strg gst  nokey revoked
MATRIX: list[tuple[str, Call, tuple[int, ...]]] = [
    ("R1 mine", Call("GET", f"{SET}/mine"),
     (200, 200, 200, 200, 200, 200, 200, 401, 401)),
    ("R2 copy", Call("POST", f"{SET}/copy", params={"socialRoomSetId": "{set}"}),
     (201, 201, 201, 201, 201, 404, 404, 401, 401)),
    ("R3 create", Call("POST", SET, json={"name": "New"}),
     (201, 201, 201, 201, 201, 201, 201, 401, 401)),
    ("R4 get", Call("GET", f"{SET}/{{set}}"),
     (200, 200, 200, 200, 200, 404, 404, 401, 401)),
    ("R5 update", Call("POST", f"{SET}/update", json={"socialRoomSetId": "{set}", "name": "Renamed"}),
     (200, 200, 403, 403, 403, 404, 404, 401, 401)),
    ("R5 alternate hosts", Call("POST", f"{SET}/update", json={"socialRoomSetId": "{set}", "alternateHostUserIds": []}),
     (200, 403, 403, 403, 403, 404, 404, 401, 401)),
    ("R6 delete", Call("DELETE", f"{SET}/{{set}}"),
     (204, 403, 403, 403, 403, 404, 404, 401, 401)),
    ("S1 create room", Call("POST", ROOM, json={"socialRoomSetId": "{set}", "name": "Annex"}),
     (201, 201, 403, 403, 403, 404, 404, 401, 401)),
    ("S2 get room", Call("GET", f"{ROOM}/{{room}}"),
     (200, 200, 200, 200, 200, 404, 404, 401, 401)),
    ("S3 update room", Call("POST", f"{ROOM}/update", json={"socialId": "{room}", "name": "Renamed"}),
     (200, 200, 403, 403, 403, 404, 404, 401, 401)),
    ("S4 delete room", Call("DELETE", f"{ROOM}/{{second_room}}"),
     (204, 204, 403, 403, 403, 404, 404, 401, 401)),
    ("S5 saved rooms", Call("GET", f"{ROOM}/saved"),
     (200, 200, 200, 200, 200, 200, 200, 401, 401)),
    ("S6 save room", Call("POST", f"{ROOM}/{{room}}/save"),
     (204, 204, 204, 204, 204, 404, 404, 401, 401)),
    ("S6 unsave room", Call("DELETE", f"{ROOM}/{{room}}/save"),
     (204, 204, 204, 204, 204, 404, 404, 401, 401)),
    ("U1 company users", Call("GET", "/api/v1/company/{company}/users"),
     (200, 404, 404, 200, 404, 404, 404, 401, 401)),
    ("U2 me", Call("GET", "/api/v1/user/me"),
     (200, 200, 200, 200, 200, 200, 200, 401, 401)),
]

CASES = [(name, call, role, expected[i]) for name, call, expected in MATRIX for i, role in enumerate(ROLES)]


def test_every_row_has_a_status_for_every_role():
    assert all(len(expected) == len(ROLES) for _, _, expected in MATRIX)


async def _world(db) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The set under test and one set of headers per role."""
    host, host_headers = await make_caller(db, company_name="Acme")
    alternate, alternate_headers = await make_caller(db)
    invitee, invitee_headers = await make_caller(db)
    _, company_headers = await make_caller(db, company_name="Acme")
    connection, connection_headers = await make_caller(db)
    _, stranger_headers = await make_caller(db, company_name="Other")
    _, guest_headers = await make_caller(db, guest=True)
    revoked_key = await make_key(db, host)
    await users.revoke_key(db, revoked_key[:12])

    permission = SocialPermissionType.COMPANY_AND_CONNECTIONS
    room_set = await make_room_set(db, host, rooms=2, alternate_hosts=[alternate], social_permission_type=permission)
    rooms = list(await db.scalars(select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at)))
    for room in rooms:
        room.social_permission_type = permission
    await make_invite(db, rooms[0].id, invitee)
    # The connection shares another of the host's sets, as an invitee.
    other = await make_room_set(db, host, social_permission_type=SocialPermissionType.CONNECTIONS)
    await make_invite(db, other.starting_point_social_id, connection)
    await db.commit()
    names = {
        "set": str(room_set.id),
        "room": str(rooms[0].id),
        "second_room": str(rooms[1].id),
        "company": str(host.company_id),
    }
    headers = {
        "host": host_headers,
        "alternate": alternate_headers,
        "invitee": invitee_headers,
        "company": company_headers,
        "connection": connection_headers,
        "stranger": stranger_headers,
        "guest": guest_headers,
        "no_key": {},
        "revoked": {"X-API-Key": revoked_key},
    }
    return names, headers


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, str):
        return value.format(**names) if "{" in value else value
    return value


@pytest.mark.parametrize(("endpoint", "call", "role", "expected"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
async def test_permission_matrix(client, db, endpoint, call, role, expected):
    names, headers = await _world(db)
    response = await client.request(
        call.method,
        _fill(call.path, names),
        json=_fill(call.json, names),
        params=_fill(call.params, names),
        headers=headers[role],
    )
    assert response.status_code == expected, f"{endpoint} as {role}: {response.status_code} {response.text}"
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"


# Who may read a set by its socialPermissionType alone (not host, alternate host or invitee).
#                        company member, connection, stranger, guest
READABLE = {
    SocialPermissionType.PUBLIC: (True, True, True, True),
    SocialPermissionType.COMPANY: (True, False, False, False),
    SocialPermissionType.CONNECTIONS: (False, True, False, False),
    SocialPermissionType.COMPANY_AND_CONNECTIONS: (True, True, False, False),
}
READERS = ["company", "connection", "stranger", "guest"]
READ_CASES = [(p, role, READABLE[p][i]) for p in SocialPermissionType for i, role in enumerate(READERS)]


@pytest.mark.parametrize(("permission", "role", "readable"), READ_CASES, ids=[f"{p.value}-{r}" for p, r, _ in READ_CASES])
async def test_reading_by_permission_type(client, db, permission, role, readable):
    host, _ = await make_caller(db, company_name="Acme")
    callers = {
        "company": await make_caller(db, company_name="Acme"),
        "connection": await make_caller(db),
        "stranger": await make_caller(db, company_name="Other"),
        "guest": await make_caller(db, guest=True),
    }
    room_set = await make_room_set(db, host, social_permission_type=permission)
    room = await db.get(Social, room_set.starting_point_social_id)
    room.social_permission_type = permission
    shared = await make_room_set(db, callers["connection"][0], social_permission_type=SocialPermissionType.COMPANY)
    await make_invite(db, shared.starting_point_social_id, host)
    await db.commit()
    headers = callers[role][1]
    expected = 200 if readable else 404
    assert (await client.get(f"{SET}/{room_set.id}", headers=headers)).status_code == expected
    assert (await client.get(f"{ROOM}/{room.id}", headers=headers)).status_code == expected


async def test_a_room_alternate_host_changes_that_room_but_not_the_set(client, db):
    host, _ = await make_caller(db)
    helper, helper_headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=1, room_alternate_hosts=[helper], social_permission_type=SocialPermissionType.COMPANY)
    await db.commit()
    room_id = str(room_set.starting_point_social_id)
    ok = await client.post(f"{ROOM}/update", json={"socialId": room_id, "name": "Mine too"}, headers=helper_headers)
    assert ok.status_code == 200
    denied = await client.post(f"{SET}/update", json={"socialRoomSetId": str(room_set.id), "name": "No"}, headers=helper_headers)
    assert denied.status_code == 403
    hosts = await client.post(f"{ROOM}/update", json={"socialId": room_id, "alternateHostUserIds": []}, headers=helper_headers)
    assert hosts.status_code == 403


async def test_an_invitee_of_a_room_sees_its_set_whatever_the_permission_type(client, db):
    host, _ = await make_caller(db, company_name="Acme")
    invitee, headers = await make_caller(db, company_name="Other")
    room_set = await make_room_set(db, host, social_permission_type=SocialPermissionType.COMPANY)
    room = await db.get(Social, room_set.starting_point_social_id)
    room.social_permission_type = SocialPermissionType.COMPANY
    await make_invite(db, room.id, invitee)
    await db.commit()
    assert (await client.get(f"{SET}/{room_set.id}", headers=headers)).status_code == 200
    assert (await client.get(f"{ROOM}/{room.id}", headers=headers)).status_code == 200
    assert (await client.get(f"{SET}/{uuid.uuid4()}", headers=headers)).status_code == 404
