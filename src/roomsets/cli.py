"""The `roomsets` command: serve, migrate, accounts, keys and the demo data set.

Commands meant for scripts print their one result alone on stdout; errors go to
stderr as one line and exit non-zero.
"""

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets import cli_api
from roomsets import migrate as migrations
from roomsets.demo import load_demo
from roomsets.kit.db import create_engine, create_sessionmaker
from roomsets.kit.errors import ProblemError
from roomsets.kit.schemas import format_utc
from roomsets.settings import get_settings
from roomsets.users import service as users

app = typer.Typer(help="Roomsets: a self-hostable server for the Scoot Room Set API.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="key")
app.add_typer(cli_api.sets_app, name="sets")
app.add_typer(cli_api.rooms_app, name="rooms")
app.add_typer(cli_api.themes_app, name="themes")

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction; a domain error exits 1 with its detail."""

    async def run() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            async with create_sessionmaker(engine, writes=True)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except ProblemError as exc:
        err.print(f"error: {exc.detail}", style="red", highlight=False)
        raise typer.Exit(1) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default from ROOMSETS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from ROOMSETS_PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the API with uvicorn."""
    import tempfile

    import uvicorn

    from roomsets.kit.observability import logging_config

    settings = get_settings()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its metrics here, so /metrics on any worker shows them all.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="roomsets-metrics-")
    uvicorn.run(
        "roomsets.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_level, settings.log_format),
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    migrations.upgrade(get_settings().database_url)
    err.print("database is up to date", highlight=False)


@app.command()
def demo() -> None:
    """Load the demo data set (once) and print the demo host's API key."""
    from roomsets.themes.storage import storage_from_settings

    settings = get_settings()
    secret = settings.resolved_secret_key()
    storage = storage_from_settings(settings)
    result = _in_transaction(lambda session: load_demo(session, secret, storage))
    err.print("demo data loaded" if result.created else "demo data already present", highlight=False)
    print(result.key)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="E-mail address (unique).")],
    first_name: Annotated[str, typer.Option(help="First name.")],
    last_name: Annotated[str, typer.Option(help="Last name.")],
    company: Annotated[str | None, typer.Option(help="Company name; created if new.")] = None,
    guest: Annotated[bool, typer.Option(help="Create a guest account.")] = False,
) -> None:
    """Create a user and print its userId."""

    async def work(session: AsyncSession) -> str:
        user = await users.create_user(
            session, email=email, first_name=first_name, last_name=last_name, company_name=company, guest=guest
        )
        return str(user.id)

    print(_in_transaction(work))


@key_app.command("create")
def key_create(email: Annotated[str, typer.Option(help="The key's user.")]) -> None:
    """Create an API key and print it. It is never shown again."""
    secret = get_settings().resolved_secret_key()

    async def work(session: AsyncSession) -> str:
        user = await users.get_user_by_email(session, email)
        return (await users.create_key(session, secret, user)).key

    print(_in_transaction(work))


@key_app.command("list")
def key_list(
    email: Annotated[str, typer.Option(help="The keys' user.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List a user's API keys (prefixes only)."""

    async def work(session: AsyncSession) -> list[dict[str, str | None]]:
        user = await users.get_user_by_email(session, email)
        return [
            {
                "prefix": k.prefix,
                "createdDateTime": format_utc(k.created_at),
                "lastUsedDateTime": format_utc(k.last_used_at) if k.last_used_at else None,
                "revokedDateTime": format_utc(k.revoked_at) if k.revoked_at else None,
            }
            for k in await users.list_keys(session, user)
        ]

    rows = _in_transaction(work)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("prefix", "created", "last used", "revoked")
    for row in rows:
        table.add_row(row["prefix"], row["createdDateTime"], row["lastUsedDateTime"] or "never", row["revokedDateTime"] or "")
    out.print(table)


@key_app.command("revoke")
def key_revoke(prefix: Annotated[str, typer.Argument(help="The key's visible prefix, as `key list` shows it.")]) -> None:
    """Revoke an API key; it fails on the next request."""
    _in_transaction(lambda session: users.revoke_key(session, prefix))
    err.print(f"revoked {prefix}", highlight=False)
