"""One migration history for both engines, in step with the models."""

import asyncio

from alembic import command
from alembic.script import ScriptDirectory

from roomsets.migrate import alembic_config
from tests.conftest import create_postgres_database, drop_postgres_database


def test_one_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


async def test_models_match_the_migrations(database):
    """`alembic check`: autogenerate finds nothing the migrations lack."""
    await asyncio.to_thread(command.check, alembic_config(database.url))


async def test_downgrade_to_base_and_up_again(database, tmp_path):
    if database.backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        admin = None
    else:
        url, admin = await create_postgres_database()
    try:
        config = alembic_config(url)
        await asyncio.to_thread(command.upgrade, config, "head")
        await asyncio.to_thread(command.downgrade, config, "base")
        await asyncio.to_thread(command.upgrade, config, "head")
    finally:
        if admin is not None:
            await drop_postgres_database(admin, url)
