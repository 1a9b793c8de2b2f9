"""API-key authentication on every /api/v1 route."""

import asyncio

import pytest
from sqlalchemy import select

from roomsets.kit.auth import PREFIX_LENGTH, LastUsedRecorder, hash_key
from roomsets.kit.db import create_sessionmaker, utcnow
from roomsets.users import service as users
from roomsets.users.models import ApiKey
from tests.conftest import TEST_SECRET
from tests.factories import make_caller, make_key, make_room_set

MINE = "/api/v1/social/room/set/mine"


async def assert_401(response, detail_part: str) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
    assert detail_part in response.json()["detail"]


async def test_missing_key_is_401(client):
    await assert_401(await client.get(MINE), "X-API-Key")
    await assert_401(await client.get(MINE, headers={"X-API-Key": ""}), "X-API-Key")


@pytest.mark.parametrize("key", ["nonsense", "rsk_00000000_" + "a" * 43, "x" * 500])
async def test_unknown_key_is_401(client, key):
    await assert_401(await client.get(MINE, headers={"X-API-Key": key}), "not valid")


async def test_right_prefix_wrong_secret_is_401(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    forged = headers["X-API-Key"][:-4] + "AAAA"
    await assert_401(await client.get(MINE, headers={"X-API-Key": forged}), "not valid")


async def test_revoked_key_fails_on_the_next_request(client, db):
    user, headers = await make_caller(db)
    await db.commit()
    assert (await client.get(MINE, headers=headers)).status_code == 200
    await users.revoke_key(db, headers["X-API-Key"][:PREFIX_LENGTH])
    await db.commit()
    await assert_401(await client.get(MINE, headers=headers), "revoked")


async def test_other_keys_of_the_user_keep_working_after_a_revoke(client, db):
    user, headers = await make_caller(db)
    second = await make_key(db, user)
    await users.revoke_key(db, headers["X-API-Key"][:PREFIX_LENGTH])
    await db.commit()
    assert (await client.get(MINE, headers={"X-API-Key": second})).status_code == 200


async def test_inactive_account_is_401(client, db):
    user, headers = await make_caller(db)
    user.active = False
    await db.commit()
    await assert_401(await client.get(MINE, headers=headers), "not active")


async def test_keys_are_stored_only_as_hmac(db):
    user, headers = await make_caller(db)
    await db.commit()
    key = headers["X-API-Key"]
    stored = await db.scalar(select(ApiKey).where(ApiKey.user_id == user.id))
    assert stored.prefix == key[:PREFIX_LENGTH]
    assert stored.key_hash == hash_key(key, TEST_SECRET) and key not in stored.key_hash
    assert len(key) >= 40


async def test_last_used_is_recorded_off_the_request_path(client, db, app):
    user, headers = await make_caller(db)
    await make_room_set(db, user)
    await db.commit()
    before = utcnow()
    assert (await client.get(MINE, headers=headers)).status_code == 200
    key = await db.scalar(select(ApiKey).where(ApiKey.user_id == user.id))
    assert key.last_used_at is None
    await app.state.last_used.flush(app.state.write_sessionmaker)
    await db.refresh(key)
    assert key.last_used_at is not None and key.last_used_at >= before.replace(microsecond=0)


async def test_last_used_is_noted_at_most_once_a_minute(client, db, app):
    user, headers = await make_caller(db)
    await db.commit()
    await client.get(MINE, headers=headers)
    await app.state.last_used.flush(app.state.write_sessionmaker)
    for _ in range(3):
        await client.get(MINE, headers=headers)
    assert app.state.last_used._pending == {}


async def test_the_key_never_appears_in_an_error(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get(MINE, headers=headers, params={"size": 0})
    assert headers["X-API-Key"] not in response.text
    forged = headers["X-API-Key"] + "x"
    assert forged not in (await client.get(MINE, headers={"X-API-Key": forged})).text


async def test_workers_flushing_the_same_keys_at_once_do_not_deadlock(database, db):
    """Two workers noted the same keys in opposite orders; each flush writes them all in one
    transaction. On PostgreSQL that deadlocked before the writes were put in key order."""
    keys = []
    for _ in range(40):
        user, _ = await make_caller(db)
        keys.append(await db.scalar(select(ApiKey).where(ApiKey.user_id == user.id)))
    await db.commit()
    sessionmaker = create_sessionmaker(database.engine, writes=True)
    for _ in range(5):
        first, second = LastUsedRecorder(), LastUsedRecorder()
        now = utcnow()
        for key in keys:
            first.note(key, now)
        for key in reversed(keys):
            second.note(key, now)
        await asyncio.gather(first.flush(sessionmaker), second.flush(sessionmaker))
