"""R3 `POST /api/v1/social/room/set`: create a set with its rooms."""

import pytest

from tests.factories import make_caller, make_theme, make_user

SETS = "/api/v1/social/room/set"
MINE = "/api/v1/social/room/set/mine"


async def test_create_answers_201_with_location_etag_and_the_r1_object(client, db):
    host, headers = await make_caller(db, company_name="Acme")
    await db.commit()
    response = await client.post(SETS, json={"name": "  Launch  "}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"{SETS}/{body['socialRoomSetId']}"
    assert response.headers["ETag"] == '"1"'
    mine = (await client.get(MINE, headers=headers)).json()
    assert mine == [body]
    assert body["name"] == "Launch"
