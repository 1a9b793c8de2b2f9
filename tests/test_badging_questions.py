"""B1–B3: a set's badge questions (host) and the caller's answers, validated per inputType."""

import pytest

from tests.factories import make_caller, make_room_set, make_user

DATA = "/api/v1/badging/user/badge/data"
QUESTIONS = "/api/v1/badging/questions"

QUESTION_SET = [
    {"title": "Name tag", "inputType": "TEXT", "required": True, "visibility": "ALL"},
    {"title": "About", "inputType": "PARAGRAPH", "description": "A few words"},
    {"title": "Team", "inputType": "SINGLE_SELECT", "options": ["red", "blue"], "featured": True},
    {"title": "Skills", "inputType": "MULTI_SELECT", "options": ["py", "go", "js"], "visibility": "HOSTS"},
    {"title": "Years", "inputType": "NUMBER", "visibility": "INTERNAL"},
]


async def arrange(db, client):
    host, host_headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    await db.commit()
    params = {"socialRoomSetId": str(room_set.id)}
    response = await client.post(QUESTIONS, headers=host_headers, params=params, json=QUESTION_SET)
    assert response.status_code == 200, response.text
    return host_headers, room_set, params


async def test_host_replaces_the_questions_and_b1_lists_them_in_order(client, db):
    host_headers, _, params = await arrange(db, client)
    response = await client.get(DATA, headers=host_headers, params=params)
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "5"
    body = response.json()
    assert [b["title"] for b in body] == [q["title"] for q in QUESTION_SET]
    assert body[0] == {
        "title": "Name tag",
        "value": None,
        "multiValues": None,
        "options": [],
        "description": None,
        "required": True,
        "featured": False,
        "visibility": "ALL",
        "inputType": "TEXT",
    }
    assert (body[2]["options"], body[2]["featured"]) == (["red", "blue"], True)
    by_title = await client.get(DATA, headers=host_headers, params={**params, "sort": "title,desc", "size": 2})
    assert [b["title"] for b in by_title.json()] == ["Years", "Team"]


async def test_caller_answers_and_sees_only_their_own_answers(client, db):
    host_headers, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    answers = [
        {"title": "Name tag", "value": "Ada"},
        {"title": "team", "value": "blue"},
        {"title": "Skills", "multiValues": ["go", "py"]},
        {"title": "Years", "value": "12.5"},
    ]
    response = await client.post(DATA, headers=headers, params=params, json=answers)
    assert response.status_code == 200, response.text
    mine = {b["title"]: (b["value"], b["multiValues"]) for b in (await client.get(DATA, headers=headers, params=params)).json()}
    assert mine == {
        "Name tag": ("Ada", None),
        "About": (None, None),
        "Team": ("blue", None),
        "Skills": (None, ["go", "py"]),
        "Years": ("12.5", None),
    }
    hosts = (await client.get(DATA, headers=host_headers, params=params)).json()
    assert all(b["value"] is None and b["multiValues"] is None for b in hosts)


async def test_answers_left_out_stay_and_empty_answers_clear(client, db):
    _, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    await client.post(DATA, headers=headers, params=params, json=[{"title": "Name tag", "value": "Ada"}, {"title": "Skills", "multiValues": ["js"]}])
    await client.post(DATA, headers=headers, params=params, json=[{"title": "Skills", "multiValues": []}])
    mine = {b["title"]: (b["value"], b["multiValues"]) for b in (await client.get(DATA, headers=headers, params=params)).json()}
    assert mine["Name tag"] == ("Ada", None) and mine["Skills"] == (None, None)


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        ({"title": "Name tag", "value": "x" * 226}, "0.value", "at most 225 characters"),
        ({"title": "About", "value": "x" * 2001}, "0.value", "at most 2000 characters"),
        ({"title": "Team", "value": "green"}, "0.value", "not one of the options"),
        ({"title": "Skills", "multiValues": ["py", "rust"]}, "0.multiValues", "'rust' is not one of the options"),
        ({"title": "Skills", "multiValues": ["py", "py"]}, "0.multiValues", "more than once"),
        ({"title": "Skills", "value": "py"}, "0.value", "answered in multiValues"),
        ({"title": "Team", "multiValues": ["red"]}, "0.multiValues", "only a MULTI_SELECT"),
        ({"title": "Years", "value": "twelve"}, "0.value", "not a decimal number"),
        ({"title": "Years", "value": "1e5"}, "0.value", "not a decimal number"),
        ({"title": "Shoe size", "value": "42"}, "0.title", "no badge question titled"),
    ],
)
async def test_answers_are_validated_per_input_type(client, db, answer, field, words):
    _, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.post(DATA, headers=headers, params=params, json=[answer])
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == field and words in error["message"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("x" * 225, True), ("-3", True), ("+0.25", True), (".5", True), ("7.", True)],
)
async def test_answers_at_the_limits_are_accepted(client, db, value, ok):
    _, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    title = "Name tag" if value.startswith("x") else "Years"
    response = await client.post(DATA, headers=headers, params=params, json=[{"title": title, "value": value}])
    assert (response.status_code == 200) is ok, response.text


async def test_an_invalid_item_saves_nothing(client, db):
    _, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.post(
        DATA, headers=headers, params=params, json=[{"title": "Name tag", "value": "Ada"}, {"title": "Years", "value": "x"}]
    )
    assert response.status_code == 422
    mine = (await client.get(DATA, headers=headers, params=params)).json()
    assert mine[0]["value"] is None


@pytest.mark.parametrize(
    ("questions", "field", "words"),
    [
        ([{"title": "A"}, {"title": "a"}], "1.title", "given twice"),
        ([{"title": "A", "inputType": "SINGLE_SELECT"}], "0.options", "needs at least one option"),
        ([{"title": "A", "inputType": "TEXT", "options": ["x"]}], "0.options", "only select questions"),
        ([{"title": "A", "inputType": "MULTI_SELECT", "options": ["x", "x"]}], "0.options", "given twice"),
        ([{"title": "   "}], "0.title", ""),
        ([{"title": "A", "inputType": "DATE"}], "0.inputType", ""),
        ([{"title": "A", "visibility": "FRIENDS"}], "0.visibility", ""),
    ],
)
async def test_questions_are_validated(client, db, questions, field, words):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    await db.commit()
    response = await client.post(QUESTIONS, headers=headers, params={"socialRoomSetId": str(room_set.id)}, json=questions)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == field and words in error["message"]


async def test_replacing_questions_keeps_answers_that_still_fit(client, db):
    host_headers, _, params = await arrange(db, client)
    _, headers = await make_caller(db)
    await db.commit()
    await client.post(
        DATA,
        headers=headers,
        params=params,
        json=[{"title": "Name tag", "value": "Ada"}, {"title": "Team", "value": "blue"}, {"title": "Years", "value": "3"}],
    )
    replaced = [
        {"title": "Team", "inputType": "SINGLE_SELECT", "options": ["red", "green"]},
        {"title": "Name tag", "inputType": "TEXT"},
        {"title": "Office", "inputType": "TEXT"},
    ]
    response = await client.post(QUESTIONS, headers=host_headers, params=params, json=replaced)
    assert response.status_code == 200, response.text
    mine = [(b["title"], b["value"]) for b in (await client.get(DATA, headers=headers, params=params)).json()]
    assert mine == [("Team", None), ("Name tag", "Ada"), ("Office", None)]


async def test_only_hosts_replace_questions_and_unseen_sets_are_404(client, db):
    host = await make_user(db)
    alternate, alternate_headers = await make_caller(db)
    room_set = await make_room_set(db, host, alternate_hosts=[alternate])
    _, headers = await make_caller(db)
    await db.commit()
    params = {"socialRoomSetId": str(room_set.id)}
    refused = await client.post(QUESTIONS, headers=headers, params=params, json=[{"title": "A"}])
    assert refused.status_code == 403 and "Only the host and alternate hosts" in refused.json()["detail"]
    assert (await client.post(QUESTIONS, headers=alternate_headers, params=params, json=[{"title": "A"}])).status_code == 200
    unknown = {"socialRoomSetId": "00000000-0000-4000-8000-000000000000"}
    assert (await client.get(DATA, headers=headers, params=unknown)).status_code == 404
    assert (await client.post(DATA, headers=headers, params=unknown, json=[])).status_code == 404
    assert (await client.get(DATA, headers=headers)).status_code == 400
