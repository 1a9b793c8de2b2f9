"""U1 `GET /api/v1/company/{companyId}/users` and U2 `GET /api/v1/user/me`."""

import uuid

from tests.contract import seed_objects
from tests.factories import make_caller, make_user


async def test_me_is_the_caller(client, db):
    me, headers = await make_caller(db, company_name="Acme", first_name="Ada", last_name="Lovelace")
    await db.commit()
    response = await client.get("/api/v1/user/me", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(seed_objects()["User"])
    assert (body["userId"], body["name"], body["emailAddress"]) == (str(me.id), "Ada Lovelace", me.email)


async def test_me_without_a_key_is_401(client):
    assert (await client.get("/api/v1/user/me")).status_code == 401


async def test_company_users_lists_the_members_by_name(client, db):
    me, headers = await make_caller(db, company_name="Acme", first_name="Zed", last_name="Z")
    colleague = await make_user(db, company_name="Acme", first_name="amy", last_name="A")
    await make_user(db, company_name="Other")
    await make_user(db)
    await db.commit()
    response = await client.get(f"/api/v1/company/{me.company_id}/users", headers=headers)
    assert response.status_code == 200
    assert [u["userId"] for u in response.json()] == [str(colleague.id), str(me.id)]
    assert response.headers["X-Total-Count"] == "2"


async def test_company_users_are_paged_and_sortable(client, db):
    me, headers = await make_caller(db, company_name="Acme", first_name="M", last_name="M")
    others = [await make_user(db, company_name="Acme", first_name=f"U{n}", last_name="X") for n in range(4)]
    await db.commit()
    response = await client.get(
        f"/api/v1/company/{me.company_id}/users",
        params={"sort": "registeredDateTime,desc", "page": 0, "size": 2},
        headers=headers,
    )
    assert [u["userId"] for u in response.json()] == [str(others[3].id), str(others[2].id)]
    assert response.headers["X-Total-Count"] == "5"


async def test_company_users_of_another_company_is_404(client, db):
    _, headers = await make_caller(db, company_name="Acme")
    outsider = await make_user(db, company_name="Other")
    await db.commit()
    assert (await client.get(f"/api/v1/company/{outsider.company_id}/users", headers=headers)).status_code == 404
    assert (await client.get(f"/api/v1/company/{uuid.uuid4()}/users", headers=headers)).status_code == 404


async def test_company_users_for_a_caller_without_company_is_404(client, db):
    _, headers = await make_caller(db)
    member = await make_user(db, company_name="Acme")
    await db.commit()
    assert (await client.get(f"/api/v1/company/{member.company_id}/users", headers=headers)).status_code == 404


async def test_company_users_reject_an_unknown_sort_key(client, db):
    me, headers = await make_caller(db, company_name="Acme")
    await db.commit()
    response = await client.get(f"/api/v1/company/{me.company_id}/users", params={"sort": "age"}, headers=headers)
    assert response.status_code == 400 and [e["field"] for e in response.json()["errors"]] == ["sort"]
