"""S1 create, S2 get, S3 update and S4 delete of rooms."""

import asyncio
import uuid

import httpx
import pytest

from tests.conftest import BASE_URL
from tests.factories import api_create_set, make_caller, make_key, make_theme, make_user

ROOMS = "/api/v1/social"
UPDATE = f"{ROOMS}/update"
SETS = "/api/v1/social/room/set"
MINE = f"{SETS}/mine"


async def _set_and_headers(client, db, **body):
    host, headers = await make_caller(db, company_name="Acme")
    await db.commit()
    return host, headers, await api_create_set(client, headers, **body)


async def test_create_room_answers_201_with_location_etag_and_the_r1_room(client, db):
    host, headers, room_set = await _set_and_headers(client, db)
    response = await client.post(
        ROOMS, json={"socialRoomSetId": room_set["socialRoomSetId"], "name": " Annex ", "size": "Small"}, headers=headers
    )
    assert response.status_code == 201, response.text
    room = response.json()
    assert response.headers["Location"] == f"{ROOMS}/{room['socialId']}"
    assert response.headers["ETag"] == '"1"'
    assert (room["name"], room["startingWidth"], room["maxParticipants"]) == ("Annex", 4000, 25)
    (item,) = (await client.get(MINE, headers=headers)).json()
    assert item["socials"][1] == room
    assert room["connectedRoom"] is True and item["socials"][0]["connectedRoom"] is True
    assert item["startingPointSocialId"] == room_set["socials"][0]["socialId"]


async def test_creating_a_room_bumps_the_sets_etag(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    await client.post(ROOMS, json={"socialRoomSetId": room_set["socialRoomSetId"], "name": "More"}, headers=headers)
    assert (await client.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)).headers["ETag"] == '"2"'


async def test_get_room_answers_the_r1_room_with_its_etag(client, db):
    _, headers, room_set = await _set_and_headers(client, db, socials=[{"name": "A"}, {"name": "B"}])
    room = room_set["socials"][1]
    response = await client.get(f"{ROOMS}/{room['socialId']}", headers=headers)
    assert response.status_code == 200
    assert response.json() == room
    assert response.headers["ETag"] == '"1"'


async def test_get_unknown_room_is_404(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    assert (await client.get(f"{ROOMS}/{uuid.uuid4()}", headers=headers)).status_code == 404


async def test_update_room_changes_only_the_keys_sent_and_records_who_and_when(client, db):
    host, headers, room_set = await _set_and_headers(client, db, socials=[{"name": "A", "description": "keep"}])
    editor = await make_user(db)
    editor_headers = {"X-API-Key": await make_key(db, editor)}
    await db.commit()
    await client.post(
        f"{SETS}/update", json={"socialRoomSetId": room_set["socialRoomSetId"], "alternateHostUserIds": [str(editor.id)]}, headers=headers
    )
    room = room_set["socials"][0]
    response = await client.post(
        UPDATE, json={"socialId": room["socialId"], "name": "Renamed", "maxParticipants": 9}, headers=editor_headers
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["name"], updated["maxParticipants"], updated["description"]) == ("Renamed", 9, "keep")
    assert updated["updatedByUser"]["userId"] == str(editor.id)
    assert updated["updatedDateTime"] >= room["updatedDateTime"]
    assert updated["user"]["userId"] == str(host.id)
    assert response.headers["ETag"] == '"2"'
    assert (await client.get(MINE, headers=headers)).json()[0]["socials"][0] == updated


async def test_update_room_with_null_clears_nullable_fields(client, db):
    host, headers = await make_caller(db)
    theme = await make_theme(db)
    await db.commit()
    room_set = await api_create_set(
        client, headers, socials=[{"name": "A", "description": "x", "themeId": str(theme.id), "endDateTime": "2031-01-01T00:00:00Z"}]
    )
    room = room_set["socials"][0]
    updated = (
        await client.post(
            UPDATE, json={"socialId": room["socialId"], "description": None, "themeId": None, "endDateTime": None}, headers=headers
        )
    ).json()
    assert (updated["description"], updated["themeId"], updated["theme"], updated["endDateTime"]) == (None, None, None, None)


async def test_update_room_ignores_read_only_keys(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    room = room_set["socials"][0]
    sent = {**room, "socialId": room["socialId"], "userId": str(uuid.uuid4()), "socialMeta": None, "myBadgeData": [],
            "dateCreated": "2001-01-01T00:00:00Z", "updatedByUser": None, "socialURI": "x", "sessionId": "s"}
    response = await client.post(UPDATE, json=sent, headers=headers)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert {k: v for k, v in updated.items() if k != "updatedDateTime"} == {k: v for k, v in room.items() if k != "updatedDateTime"}


async def test_update_room_replaces_its_own_alternate_hosts(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    a = await make_user(db)
    await db.commit()
    room = room_set["socials"][0]
    updated = (await client.post(UPDATE, json={"socialId": room["socialId"], "alternateHostUserIds": [str(a.id)]}, headers=headers)).json()
    assert [u["userId"] for u in updated["alternateHosts"]] == [str(a.id)]


async def test_update_room_bumps_the_room_and_the_set_etag(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    room = room_set["socials"][0]
    response = await client.post(UPDATE, json={"socialId": room["socialId"], "recurring": True}, headers=headers)
    assert response.headers["ETag"] == '"2"'
    assert (await client.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)).headers["ETag"] == '"2"'


async def test_update_room_with_a_stale_if_match_is_412_and_writes_nothing(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    room = room_set["socials"][0]
    await client.post(UPDATE, json={"socialId": room["socialId"], "name": "Second"}, headers=headers)
    response = await client.post(UPDATE, json={"socialId": room["socialId"], "name": "Lost"}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 412
    current = await client.get(f"{ROOMS}/{room['socialId']}", headers=headers)
    assert (current.json()["name"], current.headers["ETag"]) == ("Second", '"2"')


async def test_update_room_with_the_current_if_match_writes(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    room = room_set["socials"][0]
    response = await client.post(UPDATE, json={"socialId": room["socialId"], "name": "Ok"}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'


async def test_delete_room_answers_204_and_the_room_is_gone(client, db):
    _, headers, room_set = await _set_and_headers(client, db, socials=[{"name": "A"}, {"name": "B"}])
    second = room_set["socials"][1]["socialId"]
    response = await client.delete(f"{ROOMS}/{second}", headers=headers)
    assert response.status_code == 204 and response.content == b""
    assert (await client.get(f"{ROOMS}/{second}", headers=headers)).status_code == 404
    (item,) = (await client.get(MINE, headers=headers)).json()
    assert [r["name"] for r in item["socials"]] == ["A"]
    assert item["socials"][0]["connectedRoom"] is False


async def test_deleting_the_last_room_of_a_set_is_409(client, db):
    _, headers, room_set = await _set_and_headers(client, db)
    only = room_set["socials"][0]["socialId"]
    response = await client.delete(f"{ROOMS}/{only}", headers=headers)
    assert response.status_code == 409
    assert (await client.get(f"{ROOMS}/{only}", headers=headers)).status_code == 200


async def test_deleting_the_starting_point_moves_it_to_the_oldest_remaining_room(client, db):
    _, headers, room_set = await _set_and_headers(
        client, db, socials=[{"name": "A"}, {"name": "B"}, {"name": "C"}], startingPointIndex=2
    )
    a, b, c = (r["socialId"] for r in room_set["socials"])
    await client.delete(f"{ROOMS}/{c}", headers=headers)
    assert (await client.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)).json()["startingPointSocialId"] == a
    await client.delete(f"{ROOMS}/{a}", headers=headers)
    assert (await client.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)).json()["startingPointSocialId"] == b


async def test_deleting_another_room_keeps_the_starting_point(client, db):
    _, headers, room_set = await _set_and_headers(client, db, socials=[{"name": "A"}, {"name": "B"}], startingPointIndex=1)
    await client.delete(f"{ROOMS}/{room_set['socials'][0]['socialId']}", headers=headers)
    response = await client.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)
    assert response.json()["startingPointSocialId"] == room_set["socials"][1]["socialId"]
    assert response.headers["ETag"] == '"2"'


async def _other_users_theme(db):
    owner = await make_user(db, company_name="Elsewhere")
    return await make_theme(db, owner_user_id=owner.id, company_id=owner.company_id)


CREATE_VALIDATION = [
    ("set-id-is-required", {"name": "R"}, "socialRoomSetId"),
    ("name-is-required", {"socialRoomSetId": "{set}"}, "name"),
    ("name-is-not-blank", {"socialRoomSetId": "{set}", "name": " "}, "name"),
    ("name-at-most-255", {"socialRoomSetId": "{set}", "name": "x" * 256}, "name"),
    ("width-at-least-100", {"socialRoomSetId": "{set}", "name": "R", "startingWidth": 99}, "startingWidth"),
    ("width-at-most-20000", {"socialRoomSetId": "{set}", "name": "R", "startingWidth": 20001}, "startingWidth"),
    ("height-at-least-100", {"socialRoomSetId": "{set}", "name": "R", "startingHeight": 99}, "startingHeight"),
    ("height-at-most-20000", {"socialRoomSetId": "{set}", "name": "R", "startingHeight": 20001}, "startingHeight"),
    ("max-participants-at-least-1", {"socialRoomSetId": "{set}", "name": "R", "maxParticipants": 0}, "maxParticipants"),
    ("max-participants-at-most-1000", {"socialRoomSetId": "{set}", "name": "R", "maxParticipants": 1001}, "maxParticipants"),
    ("size-is-a-named-size", {"socialRoomSetId": "{set}", "name": "R", "size": "Huge"}, "size"),
    ("permission-type-is-an-enum", {"socialRoomSetId": "{set}", "name": "R", "socialPermissionType": "X"}, "socialPermissionType"),
    ("platform-is-an-enum", {"socialRoomSetId": "{set}", "name": "R", "platform": "ZOOM"}, "platform"),
    ("theme-must-exist", {"socialRoomSetId": "{set}", "name": "R", "themeId": "{unknown}"}, "themeId"),
    ("theme-must-be-usable-by-the-caller", {"socialRoomSetId": "{set}", "name": "R", "themeId": "{theme}"}, "themeId"),
    (
        "end-after-start",
        {"socialRoomSetId": "{set}", "name": "R", "startDateTime": "2030-01-02T00:00:00Z", "endDateTime": "2030-01-02T00:00:00Z"},
        "endDateTime",
    ),
    ("alternate-hosts-must-exist", {"socialRoomSetId": "{set}", "name": "R", "alternateHostUserIds": ["{unknown}"]}, "alternateHostUserIds"),
]

UPDATE_VALIDATION = [
    ("room-id-is-required", {"name": "R"}, "socialId"),
    ("name-is-not-null", {"socialId": "{room}", "name": None}, "name"),
    ("name-is-not-blank", {"socialId": "{room}", "name": "  "}, "name"),
    ("width-at-least-100", {"socialId": "{room}", "startingWidth": 99}, "startingWidth"),
    ("width-is-not-null", {"socialId": "{room}", "startingWidth": None}, "startingWidth"),
    ("height-at-most-20000", {"socialId": "{room}", "startingHeight": 20001}, "startingHeight"),
    ("max-participants-at-most-1000", {"socialId": "{room}", "maxParticipants": 1001}, "maxParticipants"),
    ("booleans-are-not-null", {"socialId": "{room}", "free": None}, "free"),
    ("theme-must-be-usable-by-the-caller", {"socialId": "{room}", "themeId": "{theme}"}, "themeId"),
    ("end-after-start", {"socialId": "{room}", "endDateTime": "2029-01-01T00:00:00Z"}, "endDateTime"),
    ("alternate-hosts-are-not-null", {"socialId": "{room}", "alternateHostUserIds": None}, "alternateHostUserIds"),
    ("host-is-not-an-alternate-host", {"socialId": "{room}", "alternateHostUserIds": ["{host}"]}, "alternateHostUserIds"),
]


def _fill(value, names):
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    return value


async def _names(client, db):
    host, headers = await make_caller(db)
    theme = await _other_users_theme(db)
    await db.commit()
    room_set = await api_create_set(client, headers, socials=[{"name": "A", "startDateTime": "2030-01-01T00:00:00Z"}])
    names = {
        "set": room_set["socialRoomSetId"],
        "room": room_set["socials"][0]["socialId"],
        "theme": str(theme.id),
        "unknown": str(uuid.uuid4()),
        "host": str(host.id),
    }
    return headers, room_set, names


@pytest.mark.parametrize(("rule", "body", "field"), CREATE_VALIDATION, ids=[v[0] for v in CREATE_VALIDATION])
async def test_invalid_new_room_is_422_naming_the_field_and_creates_nothing(client, db, rule, body, field):
    headers, room_set, names = await _names(client, db)
    response = await client.post(ROOMS, json=_fill(body, names), headers=headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await client.get(MINE, headers=headers)).json() == [room_set]


@pytest.mark.parametrize(("rule", "body", "field"), UPDATE_VALIDATION, ids=[v[0] for v in UPDATE_VALIDATION])
async def test_invalid_room_update_is_422_naming_the_field_and_writes_nothing(client, db, rule, body, field):
    headers, room_set, names = await _names(client, db)
    response = await client.post(UPDATE, json=_fill(body, names), headers=headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await client.get(MINE, headers=headers)).json() == [room_set]


async def test_two_deletes_racing_for_the_last_two_rooms_leave_one(app, db):
    """Real concurrent requests, each on its own client and database connection."""
    _, headers = await make_caller(db)
    await db.commit()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as setup:
        room_set = await api_create_set(setup, headers, socials=[{"name": "A"}, {"name": "B"}])

    async def delete(social_id: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
            return await client.delete(f"{ROOMS}/{social_id}", headers=headers)

    responses = await asyncio.gather(*(delete(r["socialId"]) for r in room_set["socials"]))
    assert sorted(r.status_code for r in responses) == [204, 409]
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as check:
        left = (await check.get(f"{SETS}/{room_set['socialRoomSetId']}", headers=headers)).json()
    assert len(left["socials"]) == 1
    assert left["startingPointSocialId"] == left["socials"][0]["socialId"]


async def test_only_the_sets_host_chooses_a_new_rooms_alternate_hosts(client, db):
    _, headers = await make_caller(db)
    alternate, alternate_headers = await make_caller(db)
    await db.commit()
    room_set = await api_create_set(client, headers, alternateHostUserIds=[str(alternate.id)])
    body = {"socialRoomSetId": room_set["socialRoomSetId"], "name": "R", "alternateHostUserIds": [str(alternate.id)]}
    assert (await client.post(ROOMS, json=body, headers=alternate_headers)).status_code == 403
    created = await client.post(ROOMS, json=body, headers=headers)
    assert created.status_code == 201
    assert [u["userId"] for u in created.json()["alternateHosts"]] == [str(alternate.id)]
