"""Bad input gets a clear problem+json error and changes nothing."""

import pytest
from sqlalchemy import func, select

from roomsets.models import Base
from tests.factories import make_caller, make_room_set

SETS = "/api/v1/social/room/set"


async def row_counts(db) -> dict[str, int]:
    return {
        table.name: (await db.execute(select(func.count()).select_from(table))).scalar_one()
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
async def arranged(client, db):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=2)
    await db.commit()
    return headers, room_set


BAD_REQUESTS = [
    ("malformed JSON", "POST", SETS, {"content": b'{"name": '}, 400),
    ("JSON that is not an object", "POST", SETS, {"json": ["name"]}, 422),
    ("wrong type", "POST", SETS, {"json": {"name": 12}}, 422),
    ("unknown enum value", "POST", SETS, {"json": {"name": "x", "entryOption": "SOMETIMES"}}, 422),
    ("string over its limit", "POST", SETS, {"json": {"name": "x" * 256}}, 422),
    ("blank name", "POST", SETS, {"json": {"name": "   "}}, 422),
    ("deeply nested body", "POST", SETS, {"content": b'{"name": "x", "description": ' + b"[" * 5000 + b"]" * 5000 + b"}"}, 400),
    ("body over 1 MiB", "POST", SETS, {"content": b'{"name": "' + b"x" * (1024 * 1024) + b'"}'}, 413),
    ("invalid UUID in the path", "GET", SETS + "/not-a-uuid", {}, 400),
    ("invalid UUID in the query", "POST", SETS + "/copy?socialRoomSetId=nope", {}, 400),
    ("unknown id", "GET", SETS + "/00000000-0000-0000-0000-000000000000", {}, 404),
]


@pytest.mark.parametrize(("case", "method", "path", "kwargs", "status"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
async def test_bad_input_is_a_problem_and_changes_nothing(client, db, arranged, case, method, path, kwargs, status):
    headers, _ = arranged
    if "content" in kwargs:
        headers = headers | {"Content-Type": "application/json"}
    before = await row_counts(db)
    response = await client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["detail"] and problem["title"]
    if status in (400, 422) and case not in ("malformed JSON", "deeply nested body"):
        assert problem.get("errors"), problem
    await db.rollback()
    assert await row_counts(db) == before


async def test_a_chunked_body_over_the_limit_is_413(client, db, arranged):
    headers, _ = arranged

    async def chunks():
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(SETS, headers=headers | {"Content-Type": "application/json"}, content=chunks())
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "larger" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "hostAdmitted": 0}, "hostAdmitted"),
        ({"name": "x", "anyoneCanStart": "yes"}, "anyoneCanStart"),
        ({"name": "x", "groupFormerCount": False}, "groupFormerCount"),
        ({"name": "x", "groupFormerCount": 2.5}, "groupFormerCount"),
        ({"name": "x", "socials": [{"name": "r", "endDateTime": 0}]}, "socials.0.endDateTime"),
    ],
)
async def test_json_types_are_not_coerced(client, db, arranged, body, field):
    headers, _ = arranged
    before = await row_counts(db)
    response = await client.post(SETS, headers=headers, json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    await db.rollback()
    assert await row_counts(db) == before


async def test_early_years_are_written_with_four_digits(client, db, arranged):
    headers, _ = arranged
    body = {"name": "x", "socials": [{"name": "r", "endDateTime": "0003-01-01T03:04:17Z"}]}
    response = await client.post(SETS, headers=headers, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["socials"][0]["endDateTime"] == "0003-01-01T03:04:17Z"


async def test_a_date_with_no_utc_equivalent_is_422(client, db, arranged):
    headers, _ = arranged
    body = {"name": "x", "socials": [{"name": "r", "endDateTime": "0001-01-01T00:00:00+01:00"}]}
    response = await client.post(SETS, headers=headers, json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["socials.0.endDateTime"]
