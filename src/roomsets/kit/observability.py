"""Request ids, one structured log line per request, and Prometheus metrics.

Every response carries `X-Request-ID` (the caller's, when it sent a sane one, else a new
one); log lines written while a request is served carry the same id. The access log
records method, route template, status and duration only: never headers (API keys),
query strings or bodies. Metrics are served at /metrics; with several worker processes
`roomsets serve` points PROMETHEUS_MULTIPROC_DIR at a shared directory so every scrape
sees all workers.
"""

import contextvars
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
access_log = logging.getLogger("roomsets.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

REQUESTS = Counter("roomsets_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "roomsets_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _route_of(scope: Scope) -> str:
    """The route template (`/api/v1/social/{socialId}`), so ids don't explode label sets."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return path
    return "/media" if scope["path"].startswith("/media/") else "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_of(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            access_log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={"http": {"method": scope["method"], "route": route, "status": status,
                                "duration_ms": round(elapsed * 1000, 2)}},
            )
            request_id_var.reset(token)


class StateCollector(Collector):
    """Read when scraped, of the process that answers: database pool use, running theme
    jobs, and R1's render cache (its hits and misses since start, what it holds)."""

    def __init__(
        self, pool_status: Callable[[], tuple[int, int]], theme_jobs: Callable[[], int], render_cache: Any
    ) -> None:
        self.pool_status = pool_status
        self.theme_jobs = theme_jobs
        self.render_cache = render_cache

    def collect(self) -> Iterable[GaugeMetricFamily]:
        in_use, size = self.pool_status()
        yield GaugeMetricFamily("roomsets_db_pool_connections_in_use", "Database connections checked out.", value=in_use)
        yield GaugeMetricFamily("roomsets_db_pool_size", "Database connections the pool keeps.", value=size)
        yield GaugeMetricFamily("roomsets_theme_jobs_running", "Theme image jobs running.", value=self.theme_jobs())
        cache = self.render_cache
        yield CounterMetricFamily("roomsets_render_cache_hits", "R1 sets served from the render cache.", value=cache.hits)
        yield CounterMetricFamily("roomsets_render_cache_misses", "R1 sets rendered (not cached, or stale).", value=cache.misses)
        yield GaugeMetricFamily("roomsets_render_cache_sets", "Sets held by the render cache.", value=len(cache))
        yield GaugeMetricFamily("roomsets_render_cache_bytes", "Bytes held by the render cache.", value=cache.bytes)


def metrics_response(state_collector: Collector) -> Response:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    body = generate_latest(registry)
    body += generate_latest(_single(state_collector))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def _single(collector: Collector) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return registry


async def metrics_endpoint(request: Request) -> Response:
    return metrics_response(request.app.state.state_collector)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["requestId"] = request_id
        if hasattr(record, "http"):
            entry["http"] = record.http
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


JsonFormatter.converter = time.gmtime  # type: ignore[assignment]


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A logging dictConfig for uvicorn and the app: JSON lines, or plain text for people."""
    formatter = {"()": JsonFormatter} if fmt == "json" else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            # Our access log replaces uvicorn's, which would print query strings.
            "uvicorn.access": {"handlers": [], "propagate": False},
            # libvips narrates every operation at INFO; only its warnings matter here.
            "pyvips": {"level": "WARNING"},
        },
    }
