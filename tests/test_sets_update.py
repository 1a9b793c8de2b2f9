"""R4 `GET /api/v1/social/room/set/{id}` and R5 `POST /api/v1/social/room/set/update`."""

import asyncio
import uuid

import httpx
import pytest

from tests.conftest import BASE_URL
from tests.factories import api_create_set, make_caller, make_user

SETS = "/api/v1/social/room/set"
UPDATE = f"{SETS}/update"
MINE = f"{SETS}/mine"


async def test_get_answers_the_r1_object_with_its_etag(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, socials=[{"name": "A"}, {"name": "B"}])
    response = await client.get(f"{SETS}/{created['socialRoomSetId']}", headers=headers)
    assert response.status_code == 200
    assert response.json() == created == (await client.get(MINE, headers=headers)).json()[0]
    assert response.headers["ETag"] == '"1"'


async def test_get_of_an_unknown_set_is_404(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get(f"{SETS}/{uuid.uuid4()}", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_update_changes_only_the_keys_sent(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, name="Old", description="Keep me", groupFormerCount=3)
    response = await client.post(
        UPDATE,
        json={"socialRoomSetId": created["socialRoomSetId"], "name": " New ", "socialPermissionType": "COMPANY"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["socialPermissionType"]) == ("New", "COMPANY")
    assert (body["description"], body["groupFormerCount"], body["socials"]) == ("Keep me", 3, created["socials"])
    assert (await client.get(MINE, headers=headers)).json() == [body]


async def test_update_with_null_clears_a_nullable_field(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, description="Gone soon")
    body = (
        await client.post(UPDATE, json={"socialRoomSetId": created["socialRoomSetId"], "description": None}, headers=headers)
    ).json()
    assert body["description"] is None


async def test_update_ignores_read_only_keys(client, db):
    _, headers = await make_caller(db)
    stranger = await make_user(db)
    await db.commit()
    created = await api_create_set(client, headers)
    sent = {
        **created,
        "hostUser": {"userId": str(stranger.id)},
        "socials": [],
        "alternateHosts": [{"userId": str(stranger.id)}],
    }
    response = await client.post(UPDATE, json=sent, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == created


async def test_every_update_bumps_the_etag(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers)
    etags = []
    for n in range(3):
        response = await client.post(UPDATE, json={"socialRoomSetId": created["socialRoomSetId"], "groupFormerCount": n}, headers=headers)
        etags.append(response.headers["ETag"])
    assert etags == ['"2"', '"3"', '"4"']
    assert (await client.get(f"{SETS}/{created['socialRoomSetId']}", headers=headers)).headers["ETag"] == '"4"'


async def test_starting_point_may_move_to_another_room_of_the_set(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, socials=[{"name": "A"}, {"name": "B"}])
    second = created["socials"][1]["socialId"]
    body = (
        await client.post(UPDATE, json={"socialRoomSetId": created["socialRoomSetId"], "startingPointSocialId": second}, headers=headers)
    ).json()
    assert body["startingPointSocialId"] == second


async def test_alternate_host_user_ids_replace_the_alternate_hosts(client, db):
    _, headers = await make_caller(db)
    a, b, c = await make_user(db), await make_user(db), await make_user(db)
    await db.commit()
    created = await api_create_set(client, headers, alternateHostUserIds=[str(a.id), str(b.id)])
    body = (
        await client.post(
            UPDATE,
            json={"socialRoomSetId": created["socialRoomSetId"], "alternateHostUserIds": [str(c.id), str(b.id)]},
            headers=headers,
        )
    ).json()
    assert [u["userId"] for u in body["alternateHosts"]] == [str(b.id), str(c.id)]
    body = (
        await client.post(UPDATE, json={"socialRoomSetId": created["socialRoomSetId"], "alternateHostUserIds": []}, headers=headers)
    ).json()
    assert body["alternateHosts"] == []


async def test_alternate_hosts_may_update_but_not_change_alternate_hosts(client, db):
    _, headers = await make_caller(db)
    alternate, alternate_headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, alternateHostUserIds=[str(alternate.id)])
    set_id = created["socialRoomSetId"]
    ok = await client.post(UPDATE, json={"socialRoomSetId": set_id, "name": "By alt"}, headers=alternate_headers)
    assert ok.status_code == 200
    denied = await client.post(UPDATE, json={"socialRoomSetId": set_id, "alternateHostUserIds": []}, headers=alternate_headers)
    assert denied.status_code == 403
    assert [u["userId"] for u in (await client.get(f"{SETS}/{set_id}", headers=headers)).json()["alternateHosts"]] == [
        str(alternate.id)
    ]


@pytest.mark.parametrize("if_match", ['"1"', "*", '"7", "1"'], ids=["current", "star", "list-containing-current"])
async def test_if_match_with_the_current_etag_writes(client, db, if_match):
    _, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers)
    response = await client.post(
        UPDATE, json={"socialRoomSetId": created["socialRoomSetId"], "name": "Fresh"}, headers={**headers, "If-Match": if_match}
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize("if_match", ['"1"', 'W/"2"', '"abc"'], ids=["stale", "weak", "foreign"])
async def test_if_match_with_a_stale_etag_is_412_and_writes_nothing(client, db, if_match):
    _, headers = await make_caller(db)
    other = await make_user(db)
    await db.commit()
    created = await api_create_set(client, headers)
    set_id = created["socialRoomSetId"]
    await client.post(UPDATE, json={"socialRoomSetId": set_id, "name": "Second"}, headers=headers)
    response = await client.post(
        UPDATE,
        json={"socialRoomSetId": set_id, "name": "Lost", "alternateHostUserIds": [str(other.id)]},
        headers={**headers, "If-Match": if_match},
    )
    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    current = await client.get(f"{SETS}/{set_id}", headers=headers)
    assert (current.json()["name"], current.json()["alternateHosts"], current.headers["ETag"]) == ("Second", [], '"2"')


@pytest.mark.parametrize("writers", [2, 4])
async def test_updates_racing_with_the_same_if_match_exactly_one_wins(app, db, writers):
    """Real concurrent requests, each on its own client and database connection. On PostgreSQL
    the losers wait on the row lock and then see a newer version; on SQLite the conditional
    UPDATE decides."""
    _, headers = await make_caller(db)
    await db.commit()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as setup:
        created = await api_create_set(setup, headers)
    set_id = created["socialRoomSetId"]

    async def update(name: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
            return await client.post(
                UPDATE, json={"socialRoomSetId": set_id, "name": name}, headers={**headers, "If-Match": '"1"'}
            )

    responses = await asyncio.gather(*(update(f"Writer {n}") for n in range(writers)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (writers - 1)
    winner = next(r for r in responses if r.status_code == 200).json()["name"]
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as check:
        current = await check.get(f"{SETS}/{set_id}", headers=headers)
    assert (current.json()["name"], current.headers["ETag"]) == (winner, '"2"')


# (rule, body without the id, field named in errors[])
VALIDATION = [
    ("set-id-is-required", None, "socialRoomSetId"),
    ("name-is-not-null", {"name": None}, "name"),
    ("name-is-not-blank", {"name": "  "}, "name"),
    ("name-at-most-255", {"name": "x" * 256}, "name"),
    ("entry-option-is-not-null", {"entryOption": None}, "entryOption"),
    ("entry-option-is-an-enum", {"entryOption": "LATER"}, "entryOption"),
    ("permission-type-is-an-enum", {"socialPermissionType": "FRIENDS"}, "socialPermissionType"),
    ("group-former-count-not-negative", {"groupFormerCount": -1}, "groupFormerCount"),
    ("booleans-are-not-null", {"hostAdmitted": None}, "hostAdmitted"),
    ("starting-point-is-not-null", {"startingPointSocialId": None}, "startingPointSocialId"),
    ("starting-point-is-a-room-of-the-set", {"startingPointSocialId": "{other_room}"}, "startingPointSocialId"),
    ("alternate-hosts-are-not-null", {"alternateHostUserIds": None}, "alternateHostUserIds"),
    ("alternate-hosts-must-exist", {"alternateHostUserIds": ["{unknown}"]}, "alternateHostUserIds"),
    ("host-is-not-an-alternate-host", {"alternateHostUserIds": ["{host}"]}, "alternateHostUserIds"),
]


@pytest.mark.parametrize(("rule", "body", "field"), VALIDATION, ids=[v[0] for v in VALIDATION])
async def test_invalid_update_is_422_naming_the_field_and_writes_nothing(client, db, rule, body, field):
    host, headers = await make_caller(db)
    await db.commit()
    created = await api_create_set(client, headers, name="Unchanged")
    other = await api_create_set(client, headers)
    names = {"other_room": other["socials"][0]["socialId"], "unknown": str(uuid.uuid4()), "host": str(host.id)}
    if body is None:
        sent = {"name": "Changed"}
    else:
        sent = {"socialRoomSetId": created["socialRoomSetId"]}
        for key, value in body.items():
            sent[key] = [names.get(v[1:-1], v) for v in value] if isinstance(value, list) else (
                names[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value
            )
    response = await client.post(UPDATE, json=sent, headers=headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    current = await client.get(f"{SETS}/{created['socialRoomSetId']}", headers=headers)
    assert current.json() == created and current.headers["ETag"] == '"1"'
