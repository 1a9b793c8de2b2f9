"""PostgreSQL stopped mid-traffic: 503 fast, /ready fails, /health stays; recovery by itself.

Runs against a PostgreSQL cluster of its own in a temporary directory, which the test
stops and starts, so the machine's server is never disturbed.
"""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import exc as sa_exc

from roomsets.kit.db import create_engine, create_sessionmaker
from roomsets.kit.errors import is_database_unavailable, is_transaction_conflict
from roomsets.migrate import upgrade_async
from tests.conftest import REQUIRE_POSTGRES, TEST_SECRET, Database, live_server
from tests.factories import make_caller, make_room_set
from tests.pgcluster import TempCluster, postgres_bin

MINE = "/api/v1/social/room/set/mine"
BOUND_SECONDS = 6  # a request answers within this, database or not


@pytest.fixture
async def cluster():
    if postgres_bin() is None:
        message = "PostgreSQL server binaries are not installed"
        if REQUIRE_POSTGRES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    cluster = TempCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


async def arrange(cluster: TempCluster) -> dict[str, str]:
    await upgrade_async(cluster.url)
    engine = create_engine(cluster.url)
    try:
        async with create_sessionmaker(engine)() as session:
            host, headers = await make_caller(session)
            await make_room_set(session, host, rooms=2)
            await session.commit()
    finally:
        await engine.dispose()
    return headers


async def timed_get(client: httpx.AsyncClient, url: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.get(url, **kwargs)
    return response, time.monotonic() - started


async def test_database_outage_is_503_and_the_service_recovers_by_itself(cluster):
    headers = await arrange(cluster)
    database = Database("postgresql", cluster.url, engine=None)  # type: ignore[arg-type]
    with live_server(database, secret_key=TEST_SECRET) as url:
        async with httpx.AsyncClient(base_url=url, timeout=BOUND_SECONDS + 4) as client:
            assert (await client.get(MINE, headers=headers)).status_code == 200

            cluster.stop()
            outage = [await timed_get(client, MINE, headers=headers) for _ in range(5)]
            for response, seconds in outage:
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert int(response.headers["Retry-After"]) > 0
                assert seconds < BOUND_SECONDS
            ready, seconds = await timed_get(client, "/ready")
            assert ready.status_code == 503 and seconds < BOUND_SECONDS
            assert (await client.get("/health")).status_code == 200

            cluster.start()
            recovered_after = None
            started = time.monotonic()
            while time.monotonic() - started < 15:
                if (await client.get(MINE, headers=headers)).status_code == 200:
                    recovered_after = time.monotonic() - started
                    break
                await asyncio.sleep(0.2)
            assert recovered_after is not None and recovered_after < 10
            assert (await client.get("/ready")).status_code == 200


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError(), True),
        (sa_exc.TimeoutError("pool"), True),
        (sa_exc.OperationalError("select 1", {}, Exception("database is locked")), True),
        (sa_exc.IntegrityError("insert", {}, Exception("duplicate key")), False),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_mean_the_database_is_away(error, unavailable):
    assert is_database_unavailable(error) is unavailable


class _Driver(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "conflict"), [("40P01", True), ("40001", True), ("23505", False), ("57P01", False)]
)
def test_deadlocks_and_serialization_failures_are_conflicts_to_retry(sqlstate, conflict):
    error = sa_exc.DBAPIError("update", {}, _Driver(sqlstate))
    assert is_transaction_conflict(error) is conflict
