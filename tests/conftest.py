"""Test fixtures: every data-layer test runs on SQLite and on PostgreSQL.

Each engine gets a fresh database built by the migrations (never `create_all`), once
per test run; every test starts from empty tables. PostgreSQL is reached through
ROOMSETS_TEST_POSTGRES_URL (default: the local server's `test` database, used only to
create and drop a database of our own). When it is unreachable the PostgreSQL half is
skipped with a plain message, unless ROOMSETS_TEST_REQUIRE_POSTGRES=1 (as in CI), where
that is an error.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from roomsets.app import create_app
from roomsets.migrate import upgrade_async
from roomsets.models import Base
from roomsets.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "ROOMSETS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("ROOMSETS_TEST_REQUIRE_POSTGRES") == "1"
TEST_SECRET = "test-secret-key"
BASE_URL = "http://testserver"

BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Database:
    backend: str
    url: str
    engine: AsyncEngine = field(repr=False)


async def create_postgres_database() -> tuple[str, AsyncEngine]:
    name = f"roomsets_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        await admin.dispose()
        message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable ({exc.__class__.__name__}: {exc})"
        if REQUIRE_POSTGRES:
            pytest.fail(message + "; ROOMSETS_TEST_REQUIRE_POSTGRES=1 makes this run mandatory", pytrace=False)
        pytest.skip(message + "; PostgreSQL tests skipped")
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False), admin


async def drop_postgres_database(admin: AsyncEngine, url: str) -> None:
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    from roomsets.kit.db import create_engine

    admin = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'roomsets.db'}"
    else:
        url, admin = await create_postgres_database()
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        yield Database(request.param, url, engine)
    finally:
        await engine.dispose()
        if admin is not None:
            await drop_postgres_database(admin, url)


def make_settings(database: Database, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database.url,
        "secret_key": TEST_SECRET,
        "public_base_url": BASE_URL,
        # On, so every test passes through the limiter, but never the reason a test fails.
        "rate_limit_per_second": 1000.0,
        "rate_limit_burst": 1_000_000,
        # Tests flush "last used" times themselves; a timed flush would land inside
        # statement counts at random.
        "key_last_used_flush_seconds": 3600.0,
    }
    values.update(overrides)
    return Settings(**values)


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield app, client


@pytest.fixture(scope="session")
async def app_and_client(database: Database) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    async with running_app(make_settings(database)) as pair:
        yield pair


@pytest.fixture
async def app(app_and_client: tuple[Any, httpx.AsyncClient], clean_tables: None) -> Any:
    return app_and_client[0]


@pytest.fixture
async def client(app_and_client: tuple[Any, httpx.AsyncClient], clean_tables: None) -> httpx.AsyncClient:
    return app_and_client[1]


@pytest.fixture
async def clean_tables(database: Database) -> AsyncIterator[None]:
    yield
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with database.engine.begin() as connection:
        if database.backend == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
async def db(database: Database, clean_tables: None) -> AsyncIterator[AsyncSession]:
    """A session for arranging data directly; commit what the API must see."""
    from roomsets.kit.db import create_sessionmaker

    async with create_sessionmaker(database.engine)() as session:
        yield session


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counter.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def live_server(database: Database, **env: str) -> Iterator[str]:
    """`uvicorn` serving the app in a subprocess on a free loopback port; yields its URL.

    Each request is then its own transaction on its own connection, as in production.
    `env` adds ROOMSETS_* settings (names without the prefix, e.g. redis_url="...").
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "ROOMSETS_DATABASE_URL": database.url,
        "ROOMSETS_SECRET_KEY": TEST_SECRET,
        "ROOMSETS_PUBLIC_BASE_URL": BASE_URL,
        "ROOMSETS_RATE_LIMIT_PER_SECOND": "0",
        **{f"ROOMSETS_{name.upper()}": value for name, value in env.items()},
    }
    command = [
        sys.executable, "-m", "uvicorn", "roomsets.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]
    server = subprocess.Popen(command, env=environment, cwd=Path(__file__).resolve().parent.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
