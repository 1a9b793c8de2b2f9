"""Engine, sessions, the declarative base and the column types shared by all tables."""

import enum
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, Enum, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every engine (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonColumn = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


DATABASE_WAIT_SECONDS = 5


def create_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # Bounded waits, so requests fail fast (503) instead of hanging while the database
    # is away. No pre-ping: asyncpg's is three round trips per checkout (a tenth of R1's
    # cost); a connection found dead is answered 503 once and the pool drops every
    # connection made before, so the service recovers by itself.
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=DATABASE_WAIT_SECONDS,
        # JIT off: it compiled every join's permission check (a plan whose estimated cost
        # passes jit_above_cost for a branch that never runs) for 40 ms on a 1M-room database.
        connect_args={"timeout": DATABASE_WAIT_SECONDS, "command_timeout": 30, "server_settings": {"jit": "off"}},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writing sessions take SQLite's write lock when their transaction begins.

    In a transaction that reads, then writes, the write fails at once with "database is
    locked" when another connection wrote meanwhile: SQLite cannot wait there without
    risking a deadlock. Sessions made with `writes=True` begin IMMEDIATE, so writers
    queue on the busy timeout instead. Other sessions keep the driver's default: it
    begins a transaction just before the first write, so pure reads never hold a lock.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if connection.get_execution_options().get("begin_immediate", False):
        dbapi_connection.isolation_level = None
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        dbapi_connection.isolation_level = ""


def create_sessionmaker(
    engine: AsyncEngine, *, writes: bool = False, reads_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions on `engine`; `writes=True` for work that writes (see `_sqlite_begin`).

    `reads_only=True` (the sessions of GET requests) runs each statement on its own on
    PostgreSQL, with no BEGIN and COMMIT around them: two round trips fewer per request, and
    the same view of the data as READ COMMITTED gives inside a transaction (a snapshot per
    statement). SQLite reads outside a transaction already.
    """
    bind = engine
    if writes:
        bind = engine.execution_options(begin_immediate=True)
    elif reads_only and engine.dialect.name == "postgresql":
        bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    reading = request.method in ("GET", "HEAD")
    sessionmaker = request.app.state.read_sessionmaker if reading else request.app.state.write_sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# scope="function": the commit runs when the route returns, not after the response
# went out, so a 2xx always means the write is durable.
SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]


def StrEnumType(enum_class: type[enum.StrEnum]) -> Enum:
    """An enum stored as its string value (VARCHAR), the same on every engine."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
