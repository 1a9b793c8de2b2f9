"""R3 `POST /api/v1/social/room/set`: create a set with its rooms."""

import uuid

import pytest

from tests.factories import make_caller, make_theme, make_user

SETS = "/api/v1/social/room/set"
MINE = "/api/v1/social/room/set/mine"


async def test_create_answers_201_with_location_etag_and_exactly_the_r1_object(client, db):
    host, headers = await make_caller(db, company_name="Acme")
    await db.commit()
    response = await client.post(SETS, json={"name": "  Launch  "}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"{SETS}/{body['socialRoomSetId']}"
    assert response.headers["ETag"] == '"1"'
    assert (await client.get(MINE, headers=headers)).json() == [body]
    assert body["name"] == "Launch"
    assert body["hostUser"]["userId"] == str(host.id)


async def test_absent_fields_take_their_defaults(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    body = (await client.post(SETS, json={"name": "Defaults"}, headers=headers)).json()
    assert {k: body[k] for k in ("description", "entryOption", "socialPermissionType", "anyoneCanStart",
                                 "allowGuestUsers", "hostAdmitted", "groupFormerCount", "alternateHosts")} == {
        "description": None,
        "entryOption": "DEFAULT",
        "socialPermissionType": "PUBLIC",
        "anyoneCanStart": True,
        "allowGuestUsers": False,
        "hostAdmitted": False,
        "groupFormerCount": 0,
        "alternateHosts": [],
    }


async def test_without_socials_one_room_named_after_the_set_is_the_starting_point(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    body = (await client.post(SETS, json={"name": "Solo"}, headers=headers)).json()
    (room,) = body["socials"]
    assert room["name"] == "Solo"
    assert body["startingPointSocialId"] == room["socialId"]
    assert (room["startingWidth"], room["startingHeight"], room["maxParticipants"]) == (8000, 8000, 75)


async def test_inline_rooms_keep_their_order_and_the_first_is_the_starting_point(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    names = ["Lobby", "Stage", "Lounge", "Garden"]
    body = (
        await client.post(SETS, json={"name": "Venue", "socials": [{"name": n} for n in names]}, headers=headers)
    ).json()
    assert [r["name"] for r in body["socials"]] == names
    assert body["startingPointSocialId"] == body["socials"][0]["socialId"]
    assert all(r["connectedRoom"] for r in body["socials"])


async def test_starting_point_index_names_another_new_room(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    body = (
        await client.post(
            SETS,
            json={"name": "Venue", "socials": [{"name": "A"}, {"name": "B"}], "startingPointIndex": 1},
            headers=headers,
        )
    ).json()
    assert body["startingPointSocialId"] == body["socials"][1]["socialId"]


@pytest.mark.parametrize(
    ("room", "expected"),
    [
        ({"size": "Mini"}, (2000, 2000, 10)),
        ({"size": "X-Large"}, (16000, 16000, 200)),
        ({"size": "Jumbo", "maxParticipants": 12}, (20000, 20000, 12)),
        ({"startingWidth": 100, "startingHeight": 20000, "maxParticipants": 1000}, (100, 20000, 1000)),
    ],
    ids=["mini", "x-large", "explicit-number-wins-over-size", "explicit-bounds"],
)
async def test_room_size_from_a_named_size_or_explicit_numbers(client, db, room, expected):
    _, headers = await make_caller(db)
    await db.commit()
    body = (await client.post(SETS, json={"name": "S", "socials": [{"name": "R", **room}]}, headers=headers)).json()
    r = body["socials"][0]
    assert (r["startingWidth"], r["startingHeight"], r["maxParticipants"]) == expected


async def test_rooms_take_unset_settings_from_their_set(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    body = (
        await client.post(
            SETS,
            json={
                "name": "S",
                "socialPermissionType": "COMPANY",
                "allowGuestUsers": True,
                "hostAdmitted": True,
                "anyoneCanStart": False,
                "socials": [{"name": "Inherits"}, {"name": "Own", "socialPermissionType": "PUBLIC", "hostAdmitted": False}],
            },
            headers=headers,
        )
    ).json()
    inherits, own = body["socials"]
    assert (inherits["socialPermissionType"], inherits["allowGuestUsers"], inherits["hostAdmitted"],
            inherits["anyoneCanStart"]) == ("COMPANY", True, True, False)
    assert (own["socialPermissionType"], own["hostAdmitted"]) == ("PUBLIC", False)


@pytest.mark.parametrize("owner", ["built-in", "caller", "caller's company"])
async def test_a_room_may_use_a_theme_the_caller_may_use(client, db, owner):
    host, headers = await make_caller(db, company_name="Acme")
    colleague = await make_user(db, company_name="Acme")
    kwargs = {
        "built-in": {},
        "caller": {"owner_user_id": host.id},
        "caller's company": {"owner_user_id": colleague.id, "company_id": host.company_id},
    }[owner]
    theme = await make_theme(db, **kwargs)
    await db.commit()
    response = await client.post(SETS, json={"name": "S", "socials": [{"name": "R", "themeId": str(theme.id)}]}, headers=headers)
    assert response.status_code == 201, response.text
    room = response.json()["socials"][0]
    assert room["themeId"] == str(theme.id) and room["theme"]["socialThemeId"] == str(theme.id)


async def test_alternate_hosts_are_set_in_the_order_given(client, db):
    _, headers = await make_caller(db)
    a, b = await make_user(db), await make_user(db)
    await db.commit()
    body = (
        await client.post(SETS, json={"name": "S", "alternateHostUserIds": [str(b.id), str(a.id), str(b.id)]}, headers=headers)
    ).json()
    assert [u["userId"] for u in body["alternateHosts"]] == [str(b.id), str(a.id)]


async def test_read_only_keys_are_ignored(client, db):
    host, headers = await make_caller(db)
    other = await make_user(db)
    await db.commit()
    sent_id = str(uuid.uuid4())
    body = (
        await client.post(
            SETS,
            json={"name": "S", "socialRoomSetId": sent_id, "hostUser": {"userId": str(other.id)}, "startingPointSocialId": sent_id},
            headers=headers,
        )
    ).json()
    assert body["socialRoomSetId"] != sent_id
    assert body["hostUser"]["userId"] == str(host.id)
    assert body["startingPointSocialId"] == body["socials"][0]["socialId"]


async def _other_users_theme(db):
    owner = await make_user(db, company_name="Elsewhere")
    return await make_theme(db, owner_user_id=owner.id, company_id=owner.company_id)


# (rule, body, field named in errors[]); {theme}/{user} are filled in by the test.
VALIDATION = [
    ("name-is-required", {}, "name"),
    ("name-is-not-blank", {"name": "   "}, "name"),
    ("name-at-most-255", {"name": "x" * 256}, "name"),
    ("entry-option-is-an-enum", {"name": "S", "entryOption": "SOMETIMES"}, "entryOption"),
    ("permission-type-is-an-enum", {"name": "S", "socialPermissionType": "FRIENDS"}, "socialPermissionType"),
    ("group-former-count-not-negative", {"name": "S", "groupFormerCount": -1}, "groupFormerCount"),
    ("booleans-are-not-null", {"name": "S", "anyoneCanStart": None}, "anyoneCanStart"),
    ("room-name-is-required", {"name": "S", "socials": [{"description": "x"}]}, "socials.0.name"),
    ("room-width-at-least-100", {"name": "S", "socials": [{"name": "R", "startingWidth": 99}]}, "socials.0.startingWidth"),
    ("room-width-at-most-20000", {"name": "S", "socials": [{"name": "R", "startingWidth": 20001}]}, "socials.0.startingWidth"),
    ("room-height-at-least-100", {"name": "S", "socials": [{"name": "R", "startingHeight": 99}]}, "socials.0.startingHeight"),
    ("room-height-at-most-20000", {"name": "S", "socials": [{"name": "R", "startingHeight": 20001}]}, "socials.0.startingHeight"),
    ("max-participants-at-least-1", {"name": "S", "socials": [{"name": "R", "maxParticipants": 0}]}, "socials.0.maxParticipants"),
    ("max-participants-at-most-1000", {"name": "S", "socials": [{"name": "R", "maxParticipants": 1001}]}, "socials.0.maxParticipants"),
    ("size-is-a-named-size", {"name": "S", "socials": [{"name": "R", "size": "Huge"}]}, "socials.0.size"),
    ("theme-must-exist", {"name": "S", "socials": [{"name": "R"}, {"name": "Q", "themeId": "{unknown}"}]}, "socials.1.themeId"),
    ("theme-must-be-usable-by-the-caller", {"name": "S", "socials": [{"name": "R", "themeId": "{theme}"}]}, "socials.0.themeId"),
    (
        "end-after-start",
        {"name": "S", "socials": [{"name": "R", "startDateTime": "2030-01-02T00:00:00Z", "endDateTime": "2030-01-01T00:00:00Z"}]},
        "socials.0.endDateTime",
    ),
    ("dates-carry-a-zone", {"name": "S", "socials": [{"name": "R", "startDateTime": "2030-01-02T00:00:00"}]}, "socials.0.startDateTime"),
    ("starting-point-index-within-socials", {"name": "S", "socials": [{"name": "R"}], "startingPointIndex": 1}, "startingPointIndex"),
    ("alternate-hosts-must-exist", {"name": "S", "alternateHostUserIds": ["{unknown}"]}, "alternateHostUserIds"),
    ("host-is-not-an-alternate-host", {"name": "S", "alternateHostUserIds": ["{host}"]}, "alternateHostUserIds"),
]


def _fill(value, names):
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    return value


@pytest.mark.parametrize(("rule", "body", "field"), VALIDATION, ids=[v[0] for v in VALIDATION])
async def test_invalid_body_is_422_naming_the_field_and_creates_nothing(client, db, rule, body, field):
    host, headers = await make_caller(db)
    theme = await _other_users_theme(db)
    await db.commit()
    names = {"theme": str(theme.id), "unknown": str(uuid.uuid4()), "host": str(host.id)}
    response = await client.post(SETS, json=_fill(body, names), headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await client.get(MINE, headers=headers)).json() == []
