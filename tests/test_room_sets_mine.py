"""R1 `GET /api/v1/social/room/set/mine`, through HTTP, on SQLite and PostgreSQL."""

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from roomsets.badging.models import BadgeVisibility, InputType
from roomsets.kit.db import utcnow
from roomsets.participation.models import AttendeeStatus, SocialAttendee, SocialInvite
from roomsets.rooms.models import Social
from roomsets.sets.models import EntryOption, SocialPermissionType
from roomsets.themes.models import ThemeTile, ThemeType, TileLayer, UploadState
from tests.conftest import count_statements
from tests.contract import seed_objects
from tests.factories import (
    answer,
    make_badge_question,
    make_caller,
    make_room_set,
    make_theme,
    make_user,
)

MINE = "/api/v1/social/room/set/mine"
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def assert_shape(actual: object, example: object, path: str = "$") -> None:
    """`actual` has every key of the seed example, with values of the example's types (or null)."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), path
        for key, value in example.items():
            assert key in actual, f"{path}.{key} missing"
            if actual[key] is not None:
                assert_shape(actual[key], value, f"{path}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list), path
        for item in actual:
            assert_shape(item, example[0], f"{path}[]")
    elif isinstance(example, bool):
        assert isinstance(actual, bool), path
    elif isinstance(example, int):
        assert isinstance(actual, int) and not isinstance(actual, bool), path
    elif example == "2023-11-07T05:31:56Z":
        assert UTC_TIME.match(actual), f"{path}: {actual!r}"
    elif example == "3c90c3cc-0d44-4b50-8888-8dd25736052a":
        assert UUID.match(actual), f"{path}: {actual!r}"
    else:
        assert isinstance(actual, str), path


async def full_set(db):
    """A host with one richly filled set: every nested object has real data."""
    host, headers = await make_caller(db, company_name="Acme", email_verified=True)
    alt = await make_user(db, company_name="Acme")
    theme = await make_theme(
        db,
        tiles=2,
        type=ThemeType.SINGLE_IMAGE,
        image_width=2048,
        image_height=1024,
        preview_key="themes/p.png",
        minimap_key="themes/m.png",
        multi_size=True,
        upload_request_status_id=uuid.uuid4(),
        upload_user_id=host.id,
        upload_request_id="req-1",
        upload_status=UploadState.COMPLETED,
        upload_progress=100,
        upload_started_at=utcnow(),
        upload_ended_at=utcnow(),
    )
    room_set = await make_room_set(db, host, rooms=2, alternate_hosts=[alt], room_alternate_hosts=[alt], theme=theme)
    question = await make_badge_question(db, room_set, options=["a", "b"], input_type=InputType.SINGLE_SELECT)
    await answer(db, question, host, value="a")
    await db.commit()
    return host, headers, alt, theme, room_set


async def test_response_has_the_seed_shape_with_real_data(client, db):
    host, headers, alt, theme, room_set = await full_set(db)
    response = await client.get(MINE, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert len(body) == 1
    assert_shape(body, [seed_objects()["SocialRoomSet"]])
    item = body[0]
    assert item["socialRoomSetId"] == str(room_set.id)
    assert item["hostUser"]["userId"] == str(host.id)
    assert item["hostUser"]["emailAddress"] == host.email
    assert [u["userId"] for u in item["alternateHosts"]] == [str(alt.id)]
    room = item["socials"][0]
    assert room["theme"]["socialThemeId"] == str(theme.id)
    assert [t["uri"] for t in room["theme"]["tiles"]] == [
        f"http://testserver/media/themes/{theme.id}/tile-0.png",
        f"http://testserver/media/themes/{theme.id}/tile-1.png",
    ]
    assert room["theme"]["uploadStatus"]["status"] == "COMPLETED"
    assert room["theme"]["previewImageURI"] == "http://testserver/media/themes/p.png"
    assert room["socialURI"] == f"http://testserver/join/{room['socialId']}"
    assert room["companyName"] == "Acme"
    assert room["connectedRoom"] is True
    assert [u["userId"] for u in room["alternateHosts"]] == [str(alt.id)]
    assert room["updatedByUser"]["userId"] == str(host.id)
    assert room["myBadgeData"] == [
        {
            "title": "Question 0",
            "value": "a",
            "multiValues": None,
            "options": ["a", "b"],
            "description": None,
            "required": False,
            "featured": False,
            "visibility": "ALL",
            "inputType": "SINGLE_SELECT",
        }
    ]
    assert item["startingPointSocialId"] == item["socials"][0]["socialId"]


async def test_every_documented_key_is_present_even_when_empty(client, db):
    host, headers = await make_caller(db)
    await make_room_set(db, host)
    await db.commit()
    item = (await client.get(MINE, headers=headers)).json()[0]
    seed = seed_objects()
    assert set(seed["SocialRoomSet"]) <= set(item)
    room = item["socials"][0]
    assert set(seed["Social"]) <= set(room)
    assert room["theme"] is None
    assert room["alternateHosts"] == [] and room["myBadgeData"] == []
    assert room["connectedRoom"] is False
    assert room["socialMeta"]["audioHost"] is None
    assert item["alternateHosts"] == []


@pytest.mark.parametrize("entry_option", list(EntryOption))
async def test_entry_option_round_trips(client, db, entry_option):
    host, headers = await make_caller(db)
    await make_room_set(db, host, entry_option=entry_option)
    await db.commit()
    assert (await client.get(MINE, headers=headers)).json()[0]["entryOption"] == entry_option.value


@pytest.mark.parametrize("permission", list(SocialPermissionType))
async def test_permission_type_round_trips(client, db, permission):
    host, headers = await make_caller(db)
    await make_room_set(db, host, social_permission_type=permission)
    await db.commit()
    assert (await client.get(MINE, headers=headers)).json()[0]["socialPermissionType"] == permission.value


async def test_theme_and_badge_enums_round_trip(client, db):
    host, headers = await make_caller(db)
    sets = []
    for theme_type, state in zip(ThemeType, UploadState, strict=True):
        theme = await make_theme(
            db, type=theme_type, upload_request_status_id=uuid.uuid4(), upload_status=state, upload_progress=50
        )
        sets.append(await make_room_set(db, host, theme=theme, name=f"set {theme_type}"))
    for position, (visibility, input_type) in enumerate(zip(BadgeVisibility, list(InputType)[:4], strict=True)):
        await make_badge_question(db, sets[0], position=position, visibility=visibility, input_type=input_type)
    await make_badge_question(db, sets[0], position=9, input_type=InputType.NUMBER)
    await db.commit()
    body = (await client.get(MINE, headers=headers, params={"sort": "name"})).json()
    themes = [s["socials"][0]["theme"] for s in body]
    assert {t["type"] for t in themes} == {t.value for t in ThemeType}
    assert {t["uploadStatus"]["status"] for t in themes} == {s.value for s in UploadState}
    badges = body[[s["socialRoomSetId"] for s in body].index(str(sets[0].id))]["socials"][0]["myBadgeData"]
    assert {b["visibility"] for b in badges} == {v.value for v in BadgeVisibility}
    assert {b["inputType"] for b in badges} == {i.value for i in InputType}
    assert {s["socials"][0]["platform"] for s in body} == {"SCOOT"}


async def test_social_meta_counts_come_from_invites_and_attendees(client, db, app):
    host, headers = await make_caller(db)
    app.state.media = app.state.media.__class__(
        base_url="http://testserver", audio_host="audio.example", audio_element_url="https://a.example/el",
        peer_connection_url="wss://p.example",
    )
    room_set = await make_room_set(db, host, rooms=2)
    room = (await db.scalars(select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at))).first()
    guests = [await make_user(db) for _ in range(5)]
    for user in guests[:4]:
        db.add(SocialInvite(social_id=room.id, invited_user_id=user.id))
    statuses = [AttendeeStatus.JOINED, AttendeeStatus.JOINED, AttendeeStatus.LEFT, AttendeeStatus.WAITING]
    for user, status in zip(guests, statuses, strict=False):
        db.add(
            SocialAttendee(
                social_id=room.id,
                room_set_id=room_set.id,
                user_id=user.id,
                status=status,
                is_present=status == AttendeeStatus.JOINED,
                first_joined_at=None if status == AttendeeStatus.WAITING else utcnow(),
            )
        )
    await db.commit()
    try:
        socials = (await client.get(MINE, headers=headers)).json()[0]["socials"]
    finally:
        from roomsets.kit.urls import MediaSettings

        app.state.media = MediaSettings.from_settings(app.state.settings)
    meta = socials[0]["socialMeta"]
    assert (meta["numberOfInvites"], meta["numberOfAttendees"], meta["numberCurrentlyPresent"]) == (4, 3, 2)
    assert meta["socialMetaId"] == str(room.meta_id)
    assert meta["audioHost"] == "audio.example"
    assert meta["audioElementURL"] == "https://a.example/el"
    assert meta["peerConnectionURL"] == "wss://p.example"
    other = socials[1]["socialMeta"]
    assert (other["numberOfInvites"], other["numberOfAttendees"], other["numberCurrentlyPresent"]) == (0, 0, 0)


async def test_my_badge_data_is_the_callers_own_answers(client, db):
    host, headers = await make_caller(db)
    other = await make_user(db)
    room_set = await make_room_set(db, host)
    q1 = await make_badge_question(db, room_set, position=0, title="First")
    q2 = await make_badge_question(
        db, room_set, position=1, title="Second", input_type=InputType.MULTI_SELECT, options=["x", "y", "z"]
    )
    await make_badge_question(db, room_set, position=2, title="Unanswered")
    await answer(db, q1, other, value="not mine")
    await answer(db, q2, host, multi_values=["x", "z"])
    await db.commit()
    badges = (await client.get(MINE, headers=headers)).json()[0]["socials"][0]["myBadgeData"]
    assert [(b["title"], b["value"], b["multiValues"]) for b in badges] == [
        ("First", None, None),
        ("Second", None, ["x", "z"]),
        ("Unanswered", None, None),
    ]


async def test_session_and_validity_are_derived(client, db):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=2)
    rooms = (await db.scalars(select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at))).all()
    rooms[0].session_id = "live-1"
    rooms[1].end_at = utcnow() - timedelta(days=1)
    await db.commit()
    socials = (await client.get(MINE, headers=headers)).json()[0]["socials"]
    assert (socials[0]["sessionId"], socials[0]["isOpen"], socials[0]["isValid"]) == ("live-1", True, True)
    assert (socials[1]["sessionId"], socials[1]["isOpen"], socials[1]["isValid"]) == (None, False, False)


async def test_many_rooms_and_alternate_hosts(client, db):
    host, headers = await make_caller(db)
    alternates = [await make_user(db) for _ in range(6)]
    await make_room_set(db, host, rooms=40, alternate_hosts=alternates, room_alternate_hosts=alternates[:3])
    await db.commit()
    item = (await client.get(MINE, headers=headers)).json()[0]
    assert len(item["socials"]) == 40
    assert [s["name"] for s in item["socials"]] == [f"Room {i}" for i in range(1, 41)]
    assert {u["userId"] for u in item["alternateHosts"]} == {str(u.id) for u in alternates}
    assert all(len(s["alternateHosts"]) == 3 for s in item["socials"])


async def test_only_the_callers_own_sets(client, db):
    alice, alice_headers = await make_caller(db)
    bob, bob_headers = await make_caller(db)
    for _ in range(3):
        await make_room_set(db, alice)
    await make_room_set(db, bob, alternate_hosts=[alice])
    await db.commit()
    alice_ids = {s["socialRoomSetId"] for s in (await client.get(MINE, headers=alice_headers)).json()}
    seen_by_bob = set()
    for page in range(5):
        response = await client.get(MINE, headers=bob_headers, params={"page": page, "size": 1})
        assert response.headers["X-Total-Count"] == "1"
        seen_by_bob |= {s["socialRoomSetId"] for s in response.json()}
    assert len(alice_ids) == 3 and len(seen_by_bob) == 1
    assert not alice_ids & seen_by_bob


async def test_no_sets_is_an_empty_list(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get(MINE, headers=headers)
    assert response.status_code == 200 and response.json() == []
    assert response.headers["X-Total-Count"] == "0"


async def test_query_count_does_not_grow_with_the_page(client, db, app):
    small_host, small_headers = await make_caller(db)
    big_host, big_headers = await make_caller(db)
    theme = await make_theme(db, tiles=3)
    alternates = [await make_user(db) for _ in range(3)]
    small = await make_room_set(db, small_host, rooms=1, theme=theme, alternate_hosts=alternates[:1], room_alternate_hosts=alternates[:1])
    await make_badge_question(db, small)
    for n in range(50):
        big = await make_room_set(
            db, big_host, rooms=10, theme=await make_theme(db, tiles=2), alternate_hosts=alternates,
            room_alternate_hosts=alternates, created_at=utcnow() + timedelta(minutes=n),
        )
        for position in range(3):
            question = await make_badge_question(db, big, position=position)
            await answer(db, question, big_host, value="x")
    await db.commit()
    with count_statements(app.state.engine) as small_count:
        assert len((await client.get(MINE, headers=small_headers)).json()) == 1
    with count_statements(app.state.engine) as big_count:
        body = (await client.get(MINE, headers=big_headers, params={"size": 50})).json()
    assert len(body) == 50 and sum(len(s["socials"]) for s in body) == 500
    assert small_count.count == big_count.count, (small_count.statements, big_count.statements)
    # Not rendered before: auth, page (ids, render versions, total, the caller's answers),
    # the sets, rooms, people, questions, and the tiles of new themes.
    assert big_count.count == 7, big_count.statements
    with count_statements(app.state.engine) as again:
        assert (await client.get(MINE, headers=big_headers, params={"size": 50})).json() == body
    assert again.count == 2, again.statements  # auth, page


async def test_a_theme_rendered_before_shows_its_new_state(client, db):
    host, headers = await make_caller(db)
    theme = await make_theme(db, type=ThemeType.SINGLE_IMAGE, upload_request_status_id=uuid.uuid4(),
                             upload_status=UploadState.IN_PROGRESS, upload_progress=10)
    await make_room_set(db, host, theme=theme)
    await db.commit()
    before = (await client.get(MINE, headers=headers)).json()[0]["socials"][0]["theme"]
    assert (before["uploadStatus"]["status"], before["tiles"]) == ("IN_PROGRESS", [])
    # What a finished job writes, in one transaction: the tiles and the theme's new state.
    db.add(ThemeTile(theme_id=theme.id, layer=TileLayer.SINGLE, position=0, key="t/0.png", x=0, y=0, width=8, height=8))
    theme.upload_status, theme.upload_progress = UploadState.COMPLETED, 100
    await db.commit()
    after = (await client.get(MINE, headers=headers)).json()[0]["socials"][0]["theme"]
    assert after["uploadStatus"]["status"] == "COMPLETED" and len(after["tiles"]) == 1
