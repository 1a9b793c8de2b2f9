"""Sessions that write queue for the database instead of failing ("database is locked")."""

import asyncio

from sqlalchemy import func, select, text

from roomsets.kit.db import create_engine, create_sessionmaker
from roomsets.users.models import Company


async def test_concurrent_read_then_write_transactions_all_succeed(database, clean_tables):
    writes = create_sessionmaker(database.engine, writes=True)

    async def read_then_write(n: int) -> None:
        async with writes() as session:
            await session.scalar(select(func.count()).select_from(Company))
            await asyncio.sleep(0.01)  # let the others read before anyone writes
            session.add(Company(name=f"company {n}"))
            await session.commit()

    await asyncio.gather(*(read_then_write(n) for n in range(8)))
    async with create_sessionmaker(database.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Company)) == 8


async def test_reading_sessions_see_each_new_commit(database, clean_tables):
    reads, writes = create_sessionmaker(database.engine), create_sessionmaker(database.engine, writes=True)
    async with reads() as reader:
        assert await reader.scalar(select(func.count()).select_from(Company)) == 0
        async with writes() as writer:
            writer.add(Company(name="new"))
            await writer.commit()
        assert await reader.scalar(select(func.count()).select_from(Company)) == 1


async def test_connections_are_set_up_for_the_service(database):
    """SQLite: foreign keys enforced, WAL. PostgreSQL: no JIT, which compiled a join's
    permission check for 40 ms on a large database (docs/performance.md)."""
    engine = create_engine(database.url)
    try:
        async with engine.connect() as connection:
            if database.backend == "postgresql":
                assert (await connection.execute(text("SHOW jit"))).scalar() == "off"
            else:
                assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
                assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    finally:
        await engine.dispose()
