"""API-key authentication: `X-API-Key` on every /api/v1 route.

A key looks like `rsk_<8 chars>_<43 chars>`. Its first 12 characters are the visible,
indexed prefix; the database keeps only an HMAC-SHA256 of the whole key under the
server secret, compared in constant time.
"""

import asyncio
import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from roomsets.kit.db import SessionDep, utcnow
from roomsets.kit.errors import Unauthorized
from roomsets.users.models import ApiKey, User

KEY_MARKER = "rsk_"
PREFIX_LENGTH = 12
log = logging.getLogger("roomsets.auth")

api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKeyAuth",
    description="An API key created with `roomsets key create`.",
    auto_error=False,
)


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str
    key_hash: str


def hash_key(key: str, secret: str) -> str:
    return hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()


def new_key(secret: str, material: str | None = None) -> NewKey:
    """A fresh random key, or the one derived from `material` (used for the demo key)."""
    if material is None:
        body = secrets.token_urlsafe(32)
        tag = secrets.token_urlsafe(6)[:8]
    else:
        digest = hmac.new(secret.encode(), material.encode(), hashlib.sha256).hexdigest()
        tag, body = digest[:8], digest[8:]
    key = f"{KEY_MARKER}{tag}_{body}"
    return NewKey(key, key[:PREFIX_LENGTH], hash_key(key, secret))


class LastUsedRecorder:
    """Buffers "last used" times of API keys and writes them in the background.

    A read request only notes the time in memory; a key is noted at most once a
    minute, and a periodic flush writes what was noted in one short transaction.
    """

    resolution = timedelta(minutes=1)

    def __init__(self) -> None:
        self._pending: dict[uuid.UUID, datetime] = {}

    def note(self, key: ApiKey, when: datetime) -> None:
        if key.last_used_at is None or when - key.last_used_at >= self.resolution:
            self._pending[key.id] = when

    async def flush(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        pending, self._pending = self._pending, {}
        if not pending:
            return
        async with sessionmaker() as session:
            # In key order: workers flushing the same keys at once then lock them in one
            # order, and cannot deadlock.
            for key_id, when in sorted(pending.items()):
                await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))
            await session.commit()

    async def run(self, sessionmaker: async_sessionmaker[AsyncSession], every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.flush(sessionmaker)
            except Exception:
                log.warning("could not record API key use; will retry", exc_info=True)


# Built once: every request runs it, and building a statement costs more than running it.
KEY_WITH_USER = select(ApiKey, User).join(User, User.id == ApiKey.user_id).where(ApiKey.prefix == bindparam("prefix"))


async def authenticate(session: AsyncSession, secret: str, presented: str | None) -> tuple[User, ApiKey]:
    if not presented:
        raise Unauthorized("Send your API key in the X-API-Key header.")
    row = (await session.execute(KEY_WITH_USER, {"prefix": presented[:PREFIX_LENGTH]})).one_or_none()
    # Hash even when no row matched, so timing does not tell a known prefix from an unknown one.
    presented_hash = hash_key(presented, secret)
    expected = row.ApiKey.key_hash if row else "0" * 64
    if row is None or not hmac.compare_digest(presented_hash, expected):
        raise Unauthorized("The API key is not valid.")
    if row.ApiKey.revoked_at is not None:
        raise Unauthorized("The API key has been revoked.")
    if not row.User.active:
        raise Unauthorized("The account of this API key is not active.")
    return row.User, row.ApiKey


async def _current_user(
    request: Request, session: SessionDep, presented: Annotated[str | None, Depends(api_key_header)]
) -> User:
    state = request.app.state
    user, key = await authenticate(session, state.secret_key, presented)
    state.last_used.note(key, utcnow())
    return user


CurrentUser = Annotated[User, Depends(_current_user)]
