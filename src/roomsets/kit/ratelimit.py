"""Rate limiting per API key: a token bucket, in-process or shared through Redis.

Every /api/v1 response carries `RateLimit-Limit` (the burst), `RateLimit-Remaining` (whole
tokens left) and `RateLimit-Reset` (seconds until the bucket is full again); a request
with no token left is answered `429` with `Retry-After`. Buckets are keyed by a hash of
the presented key, so keys never reach Redis or memory in clear. Requests without a key
are not limited here: they are refused with 401 by authentication anyway.

With Redis (ROOMSETS_REDIS_URL) every instance draws from one bucket per key, computed
atomically by a Lua script on Redis' own clock. If Redis cannot be reached the request
is let through (fail open) and a warning is logged: an outage of the limiter must not
become an outage of the API.
"""

import hashlib
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from roomsets.kit.errors import send_problem

log = logging.getLogger("roomsets.ratelimit")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    reset_seconds: int
    retry_after: int


class Limiter(Protocol):
    burst: int

    async def take(self, bucket: str) -> Decision: ...

    async def close(self) -> None: ...


def _decision(tokens: float, allowed: bool, rate: float, burst: int) -> Decision:
    return Decision(
        allowed=allowed,
        remaining=max(int(tokens), 0),
        reset_seconds=math.ceil((burst - tokens) / rate) if tokens < burst else 0,
        retry_after=0 if allowed else max(math.ceil((1 - tokens) / rate), 1),
    )


class MemoryLimiter:
    """Buckets in this process; the least recently used are forgotten past `max_buckets`."""

    def __init__(self, rate: float, burst: int, max_buckets: int = 100_000) -> None:
        self.rate, self.burst, self.max_buckets = rate, burst, max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def take(self, bucket: str) -> Decision:
        now = time.monotonic()
        tokens, last = self._buckets.pop(bucket, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self._buckets[bucket] = (tokens, now)
        if len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)
        return _decision(tokens, allowed, self.rate, self.burst)

    async def close(self) -> None:
        return None


# KEYS[1] bucket; ARGV rate, burst, ttl. Returns {allowed, tokens*1000}.
_TOKEN_BUCKET = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - at) * rate)
local allowed = 0
if tokens >= 1 then
    tokens = tokens - 1
    allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', t)
redis.call('EXPIRE', KEYS[1], ttl)
return {allowed, math.floor(tokens * 1000)}
"""


class RedisLimiter:
    def __init__(self, url: str, rate: float, burst: int) -> None:
        import redis.asyncio as redis

        self.rate, self.burst = rate, burst
        self._client = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_TOKEN_BUCKET)
        self._ttl = max(math.ceil(burst / rate) + 1, 1)

    async def take(self, bucket: str) -> Decision:
        try:
            allowed, milli_tokens = await self._script(keys=[f"roomsets:rl:{bucket}"], args=[self.rate, self.burst, self._ttl])
        except Exception as exc:
            log.warning("rate limiter unavailable, letting the request through: %s", exc.__class__.__name__)
            return Decision(True, self.burst, 0, 0)
        return _decision(milli_tokens / 1000, bool(allowed), self.rate, self.burst)

    async def close(self) -> None:
        await self._client.aclose()


def bucket_of(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


class RateLimitMiddleware:
    """Applies the limiter to /api/v1 requests that carry an X-API-Key."""

    def __init__(self, app: ASGIApp, limiter: Limiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/v1/"):
            return await self.app(scope, receive, send)
        key = next((v for k, v in scope["headers"] if k == b"x-api-key"), b"")
        if not key:
            return await self.app(scope, receive, send)
        decision = await self.limiter.take(bucket_of(key.decode("latin-1")))
        headers = {
            "RateLimit-Limit": str(self.limiter.burst),
            "RateLimit-Remaining": str(decision.remaining),
            "RateLimit-Reset": str(decision.reset_seconds),
        }
        if not decision.allowed:
            return await _too_many(scope, send, headers, decision.retry_after)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers.items():
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _too_many(scope: Scope, send: Send, headers: dict[str, str], retry_after: int) -> None:
    detail = f"This API key sent too many requests; try again in {retry_after} s."
    raw = [(b"retry-after", str(retry_after).encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    await send_problem(scope, send, 429, detail, raw)
