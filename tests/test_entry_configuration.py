"""E1/E2 entry configuration and the CUSTOM_RULES that S9 join enforces."""

import pytest

from roomsets.badging.models import InputType
from tests.factories import answer, make_badge_question, make_caller, make_room_set, make_user, rooms_of

CONFIG = "/api/v1/rules/entry/config"


async def arrange(db, rooms: int = 2):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=rooms)
    socials = await rooms_of(db, room_set)
    await db.commit()
    return headers, room_set, socials, {"socialRoomSetId": str(room_set.id)}


async def put(client, headers, params, body):
    return await client.post(CONFIG, headers=headers, params=params, json=body)


async def my_set(client, headers):
    return (await client.get("/api/v1/social/room/set/mine", headers=headers)).json()[0]


async def test_create_then_replace_links_rooms_and_mirrors_the_set(client, db):
    headers, room_set, (first, second), params = await arrange(db)
    body = {
        "name": "Door",
        "entryOption": "ACCOUNT",
        "groupSpawnSize": 4,
        "groupFormerCount": 3,
        "startingPointX": 100,
        "startingPointY": 8000,
        "entryFlow": "GRID",
        "rules": [],
        "associatedSocialIds": [str(first.id), str(second.id)],
    }
    created = await put(client, headers, params, body)
    assert created.status_code == 201, created.text
    assert created.headers["Location"].endswith(f"{CONFIG}?socialRoomSetId={room_set.id}")
    config = created.json()
    assert {k: v for k, v in config.items() if k != "configurationId"} == {**body, "associatedSocialIds": [str(first.id), str(second.id)]}
    shown = await my_set(client, headers)
    assert (shown["entryOption"], shown["groupFormerCount"]) == ("ACCOUNT", 3)
    assert [s["configurationId"] for s in shown["socials"]] == [config["configurationId"]] * 2

    replaced = await put(client, headers, params, {"entryOption": "DEFAULT", "associatedSocialIds": [str(second.id)]})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["configurationId"] == config["configurationId"]
    assert replaced.json()["name"] is None and replaced.json()["groupFormerCount"] == 0
    shown = await my_set(client, headers)
    assert [s["configurationId"] for s in shown["socials"]] == [None, config["configurationId"]]
    assert (shown["entryOption"], shown["groupFormerCount"]) == ("DEFAULT", 0)
    read = await client.get(CONFIG, headers=headers, params=params)
    assert read.status_code == 200 and read.json() == replaced.json()


async def test_get_without_a_configuration_is_404(client, db):
    headers, _, _, params = await arrange(db)
    response = await client.get(CONFIG, headers=headers, params=params)
    assert response.status_code == 404 and "no entry configuration" in response.json()["detail"]


async def test_associated_rooms_must_be_rooms_of_the_set(client, db):
    headers, _, (first, _), params = await arrange(db)
    other_headers, _, (foreign, _), _ = await arrange(db)
    response = await put(client, headers, params, {"associatedSocialIds": [str(first.id), str(foreign.id)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "associatedSocialIds.1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"startingPointX": 8001}, "startingPointX"),
        ({"startingPointY": 9000}, "startingPointY"),
        ({"startingPointX": -1}, "startingPointX"),
        ({"entryOption": "VIP"}, "entryOption"),
        ({"entryFlow": "CIRCLE"}, "entryFlow"),
        ({"groupFormerCount": -1}, "groupFormerCount"),
        ({"rules": [{"property": "shoeSize", "operator": "EQUALS", "value": "42"}]}, "rules.0.property"),
        ({"rules": [{"property": "badge:Nope", "operator": "EQUALS", "value": "42"}]}, "rules.0.property"),
        (
            {"rules": [{"property": "emailDomain", "operator": "EQUALS", "value": "a.test"}, {"property": "timeZone", "operator": "MATCHES", "value": "x"}]},
            "rules.1.operator",
        ),
        ({"rules": [{"property": "emailDomain", "operator": "IN", "value": "a.test"}]}, "rules.0.value"),
        ({"rules": [{"property": "emailDomain", "operator": "IN", "value": []}]}, "rules.0.value"),
        ({"rules": [{"property": "emailDomain", "operator": "EQUALS", "value": ["a"]}]}, "rules.0.value"),
        ({"rules": [{"property": "badge:Years", "operator": "GREATER_THAN", "value": "many"}]}, "rules.0.value"),
        ({"rules": [{"property": "emailVerified", "operator": "CONTAINS", "value": True}]}, "rules.0.operator"),
        ({"rules": [{"property": "emailVerified", "operator": "EQUALS", "value": "maybe"}]}, "rules.0.value"),
        ({"rules": [{"property": "emailAddress", "operator": "EQUALS"}]}, "rules.0.value"),
    ],
)
async def test_configuration_is_validated(client, db, body, field):
    headers, room_set, _, params = await arrange(db)
    await make_badge_question(db, room_set, title="Years", input_type=InputType.NUMBER)
    await db.commit()
    response = await put(client, headers, params, body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert (await client.get(CONFIG, headers=headers, params=params)).status_code == 404


async def test_only_hosts_write_the_configuration_and_others_may_read_it(client, db):
    host = await make_user(db)
    alternate, alternate_headers = await make_caller(db)
    room_set = await make_room_set(db, host, alternate_hosts=[alternate])
    _, headers = await make_caller(db)
    await db.commit()
    params = {"socialRoomSetId": str(room_set.id)}
    refused = await put(client, headers, params, {})
    assert refused.status_code == 403 and "Only the host and alternate hosts" in refused.json()["detail"]
    assert (await put(client, alternate_headers, params, {})).status_code == 201
    assert (await client.get(CONFIG, headers=headers, params=params)).status_code == 200
    unknown = {"socialRoomSetId": "00000000-0000-4000-8000-000000000000"}
    assert (await put(client, alternate_headers, unknown, {})).status_code == 404


RULE_CASES = [
    # (rule, holds for ada@acme.test of company Acme, verified, tz Europe/Paris, Years=12, Skills=[py, go])
    ({"property": "emailAddress", "operator": "EQUALS", "value": "ADA@acme.test"}, True),
    ({"property": "emailAddress", "operator": "NOT_EQUALS", "value": "ada@acme.test"}, False),
    ({"property": "emailDomain", "operator": "EQUALS", "value": "acme.test"}, True),
    ({"property": "emailDomain", "operator": "IN", "value": ["other.test", "acme.test"]}, True),
    ({"property": "emailDomain", "operator": "IN", "value": ["other.test"]}, False),
    ({"property": "companyName", "operator": "CONTAINS", "value": "cm"}, True),
    ({"property": "companyName", "operator": "EQUALS", "value": "Globex"}, False),
    ({"property": "timeZone", "operator": "CONTAINS", "value": "Europe/"}, True),
    ({"property": "emailVerified", "operator": "EQUALS", "value": True}, True),
    ({"property": "emailVerified", "operator": "EQUALS", "value": "false"}, False),
    ({"property": "badge:Years", "operator": "GREATER_THAN", "value": 10}, True),
    ({"property": "badge:years", "operator": "LESS_THAN", "value": "10"}, False),
    ({"property": "badge:Years", "operator": "EQUALS", "value": 12.0}, True),
    ({"property": "badge:Skills", "operator": "CONTAINS", "value": "go"}, True),
    ({"property": "badge:Skills", "operator": "CONTAINS", "value": "js"}, False),
    ({"property": "badge:Skills", "operator": "IN", "value": ["js", "py"]}, True),
    ({"property": "badge:Motto", "operator": "EQUALS", "value": "x"}, False),
    ({"property": "badge:Motto", "operator": "NOT_EQUALS", "value": "x"}, True),
]


@pytest.mark.parametrize(("rule", "holds"), RULE_CASES)
async def test_custom_rules_hold_against_profile_and_badge_answers(client, db, rule, holds):
    headers, room_set, (room, _), params = await arrange(db)
    years = await make_badge_question(db, room_set, position=0, title="Years", input_type=InputType.NUMBER)
    skills = await make_badge_question(
        db, room_set, position=1, title="Skills", input_type=InputType.MULTI_SELECT, options=["py", "go", "js"]
    )
    await make_badge_question(db, room_set, position=2, title="Motto")
    user, user_headers = await make_caller(
        db, email="ada@acme.test", company_name="Acme", email_verified=True, time_zone="Europe/Paris"
    )
    await answer(db, years, user, value="12")
    await answer(db, skills, user, multi_values=["py", "go"])
    await db.commit()
    configured = await put(
        client, headers, params, {"entryOption": "CUSTOM_RULES", "rules": [rule], "associatedSocialIds": [str(room.id)]}
    )
    assert configured.status_code == 201, configured.text
    response = await client.post(f"/api/v1/social/{room.id}/join", headers=user_headers)
    if holds:
        assert response.status_code == 200 and response.json()["status"] == "JOINED", response.text
    else:
        assert response.status_code == 403, response.text
        assert "entry rules turn you away: rules.0" in response.json()["detail"]
        assert response.json()["errors"][0]["field"] == "rules.0"


async def test_every_rule_must_hold_and_the_first_failing_one_is_named(client, db):
    headers, _, (room, _), params = await arrange(db)
    _, user_headers = await make_caller(db, email="bob@acme.test")
    await db.commit()
    rules = [
        {"property": "emailDomain", "operator": "EQUALS", "value": "acme.test"},
        {"property": "emailVerified", "operator": "EQUALS", "value": True},
    ]
    await put(client, headers, params, {"entryOption": "CUSTOM_RULES", "rules": rules, "associatedSocialIds": [str(room.id)]})
    response = await client.post(f"/api/v1/social/{room.id}/join", headers=user_headers)
    assert response.status_code == 403
    assert "rules.1" in response.json()["detail"] and "emailVerified EQUALS true" in response.json()["detail"]


async def test_hosts_are_not_held_to_entry_rules(client, db):
    headers, _, (room, _), params = await arrange(db)
    await put(
        client,
        headers,
        params,
        {
            "entryOption": "CUSTOM_RULES",
            "rules": [{"property": "emailDomain", "operator": "EQUALS", "value": "elsewhere.test"}],
            "associatedSocialIds": [str(room.id)],
        },
    )
    assert (await client.post(f"/api/v1/social/{room.id}/join", headers=headers)).json()["status"] == "JOINED"


async def test_starting_point_configuration_sends_newcomers_to_the_starting_room(client, db):
    headers, _, (start, other), params = await arrange(db)
    _, user_headers = await make_caller(db)
    await db.commit()
    response = await put(
        client, headers, params, {"entryOption": "STARTING_POINT", "associatedSocialIds": [str(start.id), str(other.id)]}
    )
    assert response.status_code == 201
    landed = (await client.post(f"/api/v1/social/{other.id}/join", headers=user_headers)).json()
    assert (landed["socialId"], landed["socialChanged"]) == (str(start.id), True)
