"""S5 `GET /api/v1/social/saved` and S6 `POST`/`DELETE /api/v1/social/{socialId}/save`."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from roomsets.kit.db import utcnow
from roomsets.rooms.models import SavedSocial, Social
from roomsets.sets.models import SocialPermissionType
from tests.factories import make_caller, make_room_set

ROOMS = "/api/v1/social"
SAVED = f"{ROOMS}/saved"


async def _rooms(db, n=3, **kwargs):
    host, _ = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=n, **kwargs)
    return list(await db.scalars(select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at)))


async def test_save_is_204_and_idempotent(client, db):
    _, headers = await make_caller(db)
    (room,) = await _rooms(db, 1)
    await db.commit()
    for _ in range(2):
        response = await client.post(f"{ROOMS}/{room.id}/save", headers=headers)
        assert response.status_code == 204 and response.content == b""
    saved = (await client.get(SAVED, headers=headers)).json()
    assert [r["socialId"] for r in saved] == [str(room.id)]


async def test_unsave_is_204_and_idempotent(client, db):
    _, headers = await make_caller(db)
    (room,) = await _rooms(db, 1)
    await db.commit()
    await client.post(f"{ROOMS}/{room.id}/save", headers=headers)
    for _ in range(2):
        assert (await client.delete(f"{ROOMS}/{room.id}/save", headers=headers)).status_code == 204
    assert (await client.get(SAVED, headers=headers)).json() == []


async def test_saving_a_room_you_cannot_see_is_404(client, db):
    _, headers = await make_caller(db, company_name="Out")
    (room,) = await _rooms(db, 1, social_permission_type=SocialPermissionType.COMPANY)
    room.social_permission_type = SocialPermissionType.COMPANY
    await db.commit()
    assert (await client.post(f"{ROOMS}/{room.id}/save", headers=headers)).status_code == 404
    assert (await client.post(f"{ROOMS}/{uuid.uuid4()}/save", headers=headers)).status_code == 404


async def test_saved_rooms_are_rendered_like_r1_rooms(client, db):
    host, headers = await make_caller(db)
    await make_room_set(db, host, rooms=2)
    await db.commit()
    item = (await client.get("/api/v1/social/room/set/mine", headers=headers)).json()[0]
    await client.post(f"{ROOMS}/{item['socials'][1]['socialId']}/save", headers=headers)
    assert (await client.get(SAVED, headers=headers)).json() == [item["socials"][1]]


async def test_saved_rooms_lists_only_the_callers_saves(client, db):
    me, headers = await make_caller(db)
    other, _ = await make_caller(db)
    a, b = await _rooms(db, 2)
    db.add_all([SavedSocial(user_id=me.id, social_id=a.id), SavedSocial(user_id=other.id, social_id=b.id)])
    await db.commit()
    assert [r["socialId"] for r in (await client.get(SAVED, headers=headers)).json()] == [str(a.id)]


async def test_saved_rooms_hide_rooms_the_caller_can_no_longer_see(client, db):
    me, headers = await make_caller(db, company_name="Out")
    (room,) = await _rooms(db, 1)
    room.social_permission_type = SocialPermissionType.COMPANY
    db.add(SavedSocial(user_id=me.id, social_id=room.id))
    await db.commit()
    response = await client.get(SAVED, headers=headers)
    assert response.json() == [] and response.headers["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["a", "b", "c"]),
        ("dateSaved", ["c", "b", "a"]),
        ("dateSaved,desc", ["a", "b", "c"]),
        ("name", ["a", "b", "c"]),
        ("name,desc", ["c", "b", "a"]),
    ],
    ids=["default-newest-save-first", "dateSaved", "dateSaved-desc", "name", "name-desc"],
)
async def test_saved_rooms_sort(client, db, sort, expected):
    me, headers = await make_caller(db)
    rooms = await _rooms(db, 3)
    now = utcnow()
    # Saved in the reverse order of their names, so each key gives a different order.
    for index, (room, name) in enumerate(zip(rooms, ["C", "b", "A"])):
        room.name = name
        db.add(SavedSocial(user_id=me.id, social_id=room.id, saved_at=now + timedelta(seconds=index)))
    await db.commit()
    params = {"sort": sort} if sort else {}
    body = (await client.get(SAVED, params=params, headers=headers)).json()
    assert [r["name"].lower() for r in body] == expected


async def test_saved_rooms_are_paged(client, db):
    me, headers = await make_caller(db)
    rooms = await _rooms(db, 5)
    now = utcnow()
    for index, room in enumerate(rooms):
        db.add(SavedSocial(user_id=me.id, social_id=room.id, saved_at=now + timedelta(seconds=index)))
    await db.commit()
    response = await client.get(SAVED, params={"page": 1, "size": 2, "sort": "dateSaved"}, headers=headers)
    assert [r["socialId"] for r in response.json()] == [str(rooms[2].id), str(rooms[3].id)]
    assert response.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in response.headers["Link"] and 'rel="prev"' in response.headers["Link"]


async def test_saved_rooms_reject_an_unknown_sort_key(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get(SAVED, params={"sort": "colour"}, headers=headers)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["sort"]
