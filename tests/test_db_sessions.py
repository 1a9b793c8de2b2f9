"""Sessions that write queue for the database instead of failing ("database is locked")."""

import asyncio

from sqlalchemy import func, select

from roomsets.kit.db import create_sessionmaker
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
