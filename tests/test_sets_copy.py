"""R2 `POST /api/v1/social/room/set/copy`, and the round trip R3 → R1 → R2 → R1."""

import uuid

import pytest
from sqlalchemy import select

from roomsets.badging.models import InputType
from roomsets.participation.models import AttendeeStatus, EntryConfiguration, EntryFlow, SocialAttendee
from roomsets.rooms.models import Social
from roomsets.sets.models import EntryOption
from tests.conftest import count_statements
from tests.factories import (
    answer,
    api_create_set,
    make_badge_question,
    make_caller,
    make_entry_configuration,
    make_invite,
    make_room_set,
    make_theme,
    make_user,
)

SETS = "/api/v1/social/room/set"
COPY = f"{SETS}/copy"
MINE = f"{SETS}/mine"


async def test_round_trip_create_five_rooms_then_copy_r1_shows_everything(client, db):
    host, headers = await make_caller(db, company_name="Acme")
    alt_a, alt_b = await make_user(db), await make_user(db)
    theme = await make_theme(db, tiles=1)
    await db.commit()
    rooms = [
        {"name": "Lobby", "size": "Large", "themeId": str(theme.id)},
        {"name": "Stage", "size": "Jumbo", "description": "Keynotes", "themeId": str(theme.id)},
        {"name": "Lounge", "startingWidth": 3000, "startingHeight": 2500, "maxParticipants": 30},
        {"name": "Expo", "recurring": True, "free": False, "allowGuestUsers": True},
        {"name": "Backstage", "socialPermissionType": "COMPANY", "hostAdmitted": True},
    ]
    created = await api_create_set(
        client,
        headers,
        name="Summit",
        description="Yearly",
        entryOption="CUSTOM_RULES",
        groupFormerCount=4,
        socialPermissionType="COMPANY_AND_CONNECTIONS",
        alternateHostUserIds=[str(alt_a.id), str(alt_b.id)],
        socials=rooms,
        startingPointIndex=1,
    )
    set_id = uuid.UUID(created["socialRoomSetId"])
    room_ids = [uuid.UUID(r["socialId"]) for r in created["socials"]]
    configuration = await make_entry_configuration(
        db, set_id, rooms=room_ids[:3], name="Entry", entry_option=EntryOption.CUSTOM_RULES, group_former_count=4,
        entry_flow=EntryFlow.GRID, rules=[{"property": "company", "operator": "EQUALS", "value": "Acme"}],
    )
    await db.commit()

    (item,) = (await client.get(MINE, headers=headers)).json()
    assert (item["name"], item["description"], item["entryOption"], item["groupFormerCount"], item["socialPermissionType"]) == (
        "Summit", "Yearly", "CUSTOM_RULES", 4, "COMPANY_AND_CONNECTIONS"
    )
    assert item["startingPointSocialId"] == str(room_ids[1])
    assert [u["userId"] for u in item["alternateHosts"]] == [str(alt_a.id), str(alt_b.id)]
    assert [r["name"] for r in item["socials"]] == [r["name"] for r in rooms]
    lobby, stage, lounge, expo, backstage = item["socials"]
    assert (lobby["startingWidth"], lobby["startingHeight"], lobby["maxParticipants"]) == (12000, 12000, 125)
    assert (stage["startingWidth"], stage["maxParticipants"], stage["description"]) == (20000, 300, "Keynotes")
    assert (lounge["startingWidth"], lounge["startingHeight"], lounge["maxParticipants"]) == (3000, 2500, 30)
    assert (expo["recurring"], expo["free"], expo["allowGuestUsers"]) == (True, False, True)
    assert (backstage["socialPermissionType"], backstage["hostAdmitted"]) == ("COMPANY", True)
    assert lounge["socialPermissionType"] == "COMPANY_AND_CONNECTIONS"
    assert [r["themeId"] for r in item["socials"]] == [str(theme.id)] * 2 + [None] * 3
    assert lobby["theme"]["socialThemeId"] == str(theme.id) and len(lobby["theme"]["tiles"]) == 1
    assert [r["configurationId"] for r in item["socials"]] == [str(configuration.id)] * 3 + [None] * 2
    for room in item["socials"]:
        assert room["socialRoomSetId"] == str(set_id)
        assert room["user"]["userId"] == room["userId"] == str(host.id)
        assert room["updatedByUser"]["userId"] == str(host.id)
        assert room["companyId"] == str(host.company_id) and room["companyName"] == "Acme"
        assert room["socialURI"] == f"http://testserver/join/{room['socialId']}"
        assert room["connectedRoom"] is True and room["sessionId"] is None and room["isOpen"] is False

    copied = await client.post(COPY, params={"socialRoomSetId": str(set_id)}, headers=headers)
    assert copied.status_code == 201, copied.text
    both = (await client.get(MINE, headers=headers)).json()
    assert [s["name"] for s in both] == ["Summit", "Copy of Summit"]
    original, copy = both
    assert copy == copied.json()
    assert not {r["socialId"] for r in original["socials"]} & {r["socialId"] for r in copy["socials"]}
    assert copy["alternateHosts"] == []
    assert copy["startingPointSocialId"] == copy["socials"][1]["socialId"]
    new_configuration = await db.scalar(select(EntryConfiguration).where(EntryConfiguration.room_set_id == uuid.UUID(copy["socialRoomSetId"])))
    assert (new_configuration.name, new_configuration.entry_flow, new_configuration.rules) == (
        "Entry", EntryFlow.GRID, configuration.rules
    )
    assert [r["configurationId"] for r in copy["socials"]] == [str(new_configuration.id)] * 3 + [None] * 2
    same = ["name", "description", "startingWidth", "startingHeight", "maxParticipants", "themeId", "recurring", "free",
            "allowGuestUsers", "socialPermissionType", "hostAdmitted", "anyoneCanStart", "platform"]
    assert [{k: r[k] for k in same} for r in copy["socials"]] == [{k: r[k] for k in same} for r in original["socials"]]
    for key in ("description", "entryOption", "groupFormerCount", "socialPermissionType", "anyoneCanStart", "allowGuestUsers", "hostAdmitted"):
        assert copy[key] == original[key], key


async def test_copy_leaves_out_invites_attendees_answers_sessions_and_alternate_hosts(client, db):
    host, headers = await make_caller(db)
    guest = await make_user(db)
    room_set = await make_room_set(db, host, rooms=2, alternate_hosts=[guest], room_alternate_hosts=[guest])
    question = await make_badge_question(db, room_set, title="Role", options=["a", "b"], input_type=InputType.SINGLE_SELECT)
    await answer(db, question, host, value="a")
    first = room_set.starting_point_social_id
    await make_invite(db, first, guest)
    db.add(SocialAttendee(social_id=first, room_set_id=room_set.id, user_id=guest.id, status=AttendeeStatus.JOINED))
    (await db.get(Social, first)).session_id = "live-1"
    await db.commit()
    copy = (await client.post(COPY, params={"socialRoomSetId": str(room_set.id)}, headers=headers)).json()
    assert copy["alternateHosts"] == []
    for room in copy["socials"]:
        assert room["alternateHosts"] == [] and room["sessionId"] is None
        assert (room["socialMeta"]["numberOfInvites"], room["socialMeta"]["numberCurrentlyPresent"]) == (0, 0)
        assert [(b["title"], b["value"], b["options"]) for b in room["myBadgeData"]] == [("Role", None, ["a", "b"])]


async def test_copy_of_a_set_seen_through_its_permission_type_is_owned_by_the_caller(client, db):
    host, _ = await make_caller(db)
    reader, reader_headers = await make_caller(db, company_name="Else")
    room_set = await make_room_set(db, host, rooms=1, name="Public one")
    await db.commit()
    response = await client.post(COPY, params={"socialRoomSetId": str(room_set.id), "name": "Mine now"}, headers=reader_headers)
    assert response.status_code == 201
    copy = response.json()
    assert response.headers["Location"] == f"{SETS}/{copy['socialRoomSetId']}"
    assert response.headers["ETag"] == '"1"'
    assert copy["name"] == "Mine now" and copy["hostUser"]["userId"] == str(reader.id)
    room = copy["socials"][0]
    assert room["userId"] == room["updatedByUser"]["userId"] == str(reader.id)
    assert room["companyName"] == "Else"


async def test_default_copy_name_is_truncated_to_255(client, db):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host, name="x" * 255)
    await db.commit()
    copy = (await client.post(COPY, params={"socialRoomSetId": str(room_set.id)}, headers=headers)).json()
    assert copy["name"] == ("Copy of " + "x" * 255)[:255]


@pytest.mark.parametrize(
    ("rule", "params", "field"),
    [
        ("set-id-is-required", {}, "socialRoomSetId"),
        ("set-id-is-a-uuid", {"socialRoomSetId": "nope"}, "socialRoomSetId"),
        ("name-is-not-blank", {"name": "  "}, "name"),
        ("name-at-most-255", {"name": "x" * 256}, "name"),
    ],
    ids=lambda v: v if isinstance(v, str) and "-" in v else None,
)
async def test_invalid_copy_parameters_are_400_naming_the_parameter(client, db, rule, params, field):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    await db.commit()
    params = {"socialRoomSetId": str(room_set.id), **params} if rule.startswith("name") else params
    response = await client.post(COPY, params=params, headers=headers)
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert len((await client.get(MINE, headers=headers)).json()) == 1


async def test_copy_of_an_unknown_set_is_404(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    assert (await client.post(COPY, params={"socialRoomSetId": str(uuid.uuid4())}, headers=headers)).status_code == 404


async def _copy_statements(client, db, app, rooms: int) -> int:
    host, headers = await make_caller(db)
    theme = await make_theme(db)
    room_set = await make_room_set(db, host, rooms=rooms, theme=theme)
    room_ids = list(await db.scalars(select(Social.id).where(Social.room_set_id == room_set.id)))
    await make_entry_configuration(db, room_set.id, rooms=room_ids)
    for position in range(3):
        await make_badge_question(db, room_set, position=position)
    await db.commit()
    with count_statements(app.state.engine) as counter:
        response = await client.post(COPY, params={"socialRoomSetId": str(room_set.id)}, headers=headers)
    assert response.status_code == 201
    assert len(response.json()["socials"]) == rooms
    # The API-key "last used" flusher runs in the background every few seconds; it is not the copy's.
    return len([s for s in counter.statements if "api_keys" not in s])


async def test_copying_200_rooms_takes_as_many_statements_as_copying_2(client, db, app, clean_tables):
    small = await _copy_statements(client, db, app, 2)
    large = await _copy_statements(client, db, app, 200)
    assert large == small
