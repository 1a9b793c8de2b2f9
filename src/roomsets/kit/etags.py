"""ETags and `If-Match`: optimistic concurrency on rows that carry a `version` column.

A row's ETag is its `version` as a strong validator (`"7"`). Every write bumps the
version with `UPDATE ... WHERE id = :id AND version = :seen`, so of two writers that
saw the same version exactly one succeeds; the other gets `412`.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.kit.db import utcnow
from roomsets.kit.errors import FieldError, PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


@dataclass(frozen=True)
class Precondition:
    """What an `If-Match` header allows: `versions=None` means any version (no header, or `*`)."""

    versions: frozenset[int] | None = None

    def check(self, current: int) -> None:
        if self.versions is not None and current not in self.versions:
            raise PreconditionFailed(
                f"If-Match does not match the current ETag {etag(current)}; reload and try again.",
                [FieldError("If-Match", "stale or unknown ETag")],
            )


ANY_VERSION = Precondition()


def parse_if_match(value: str | None) -> Precondition:
    """Strong comparison (RFC 9110 §13.1.1): weak tags and tags we never issued match nothing."""
    if value is None or value.strip() == "*":
        return ANY_VERSION
    versions = set()
    for tag in value.split(","):
        tag = tag.strip()
        if len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            versions.add(int(tag[1:-1]))
    return Precondition(frozenset(versions))


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(alias="If-Match", description="The ETag you last read; a stale one answers 412 and changes nothing."),
    ] = None,
) -> Precondition:
    return parse_if_match(if_match)


IfMatch = Annotated[Precondition, Depends(_if_match)]


async def write_versioned(
    session: AsyncSession, model: Any, row_id: uuid.UUID, seen_version: int, values: dict[str, Any]
) -> int:
    """Write `values` and bump the version, only if the row still has `seen_version`; the new version."""
    new_version = seen_version + 1
    result = await session.execute(
        update(model)
        .where(model.id == row_id, model.version == seen_version)
        .values(**values, version=new_version, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        raise PreconditionFailed("It was changed by someone else meanwhile; reload and try again.")
    return new_version


async def bump_version(session: AsyncSession, model: Any, row_id: uuid.UUID, **values: Any) -> None:
    """Mark a row changed, with `values` or because something it contains changed (a set, when
    one of its rooms does); the increment is atomic, so no write is lost."""
    await session.execute(
        update(model)
        .where(model.id == row_id)
        .values(**values, version=model.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
