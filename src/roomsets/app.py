"""The ASGI application: routers, error handlers and the lifespan of shared resources."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from roomsets import __version__
from roomsets.badging.routes import router as badging_router
from roomsets.console.routes import router as console_router
from roomsets.kit.auth import LastUsedRecorder
from roomsets.kit.db import DATABASE_WAIT_SECONDS, create_engine, create_sessionmaker
from roomsets.kit.errors import (
    DATABASE_RETRY_AFTER,
    ProblemGuardMiddleware,
    install_error_handlers,
    problem_response,
    problem_responses,
)
from roomsets.kit.observability import RequestContextMiddleware, StateCollector, metrics_endpoint
from roomsets.kit.ratelimit import Limiter, MemoryLimiter, RateLimitMiddleware, RedisLimiter
from roomsets.kit.security import SecurityHeadersMiddleware, install_cors, install_docs
from roomsets.kit.urls import MediaSettings
from roomsets.participation.routes import router as participation_router
from roomsets.rooms.routes import router as rooms_router
from roomsets.sets.render_cache import RenderCache
from roomsets.sets.routes import router as sets_router
from roomsets.settings import Settings, get_settings
from roomsets.themes.jobs import ThemeJobs
from roomsets.themes.media import media_files
from roomsets.themes.routes import router as themes_router
from roomsets.users.routes import router as users_router

log = logging.getLogger("roomsets")

DESCRIPTION = """\
An open, self-hostable server for the Scoot Room Set API: the same paths, the same
`X-API-Key` header and the same JSON as `https://api.scoot.app`.

Errors are `application/problem+json` (RFC 9457). Paged lists are bare JSON arrays with
`X-Total-Count` and an RFC 8288 `Link` header.
"""


def _pool_status(app: FastAPI) -> tuple[int, int]:
    engine = getattr(app.state, "engine", None)
    pool = engine.pool if engine is not None else None
    if pool is None or not hasattr(pool, "checkedout"):
        return 0, 0
    return pool.checkedout(), pool.size()


def _theme_jobs_running(app: FastAPI) -> int:
    jobs = getattr(app.state, "theme_jobs", None)
    return jobs.running if jobs is not None else 0


def make_limiter(settings: Settings) -> Limiter | None:
    if settings.rate_limit_per_second == 0:
        return None
    if settings.redis_url:
        return RedisLimiter(settings.redis_url, settings.rate_limit_per_second, settings.rate_limit_burst)
    return MemoryLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, settings.db_pool_size)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.write_sessionmaker = create_sessionmaker(engine, writes=True)
        app.state.read_sessionmaker = create_sessionmaker(engine, reads_only=True)
        recorder = app.state.last_used
        flusher = asyncio.create_task(recorder.run(app.state.write_sessionmaker, settings.key_last_used_flush_seconds))
        app.state.theme_jobs = ThemeJobs(settings, app.state.sessionmaker)
        app.state.theme_jobs.open()
        try:
            yield
        finally:
            await app.state.theme_jobs.close()
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await recorder.flush(app.state.write_sessionmaker)
            await engine.dispose()
            if limiter is not None:
                await limiter.close()

    app = FastAPI(
        title="Roomsets",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # One schema per model in the OpenAPI document (no `-Input`/`-Output` twins).
        separate_input_output_schemas=False,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret_key = settings.resolved_secret_key()
    app.state.media = MediaSettings.from_settings(settings)
    app.state.last_used = LastUsedRecorder()
    app.state.render_cache = RenderCache(int(settings.render_cache_mb * 2**20))
    install_error_handlers(app)
    limiter = make_limiter(settings)
    if limiter is not None:
        app.add_middleware(RateLimitMiddleware, limiter=limiter)
    install_cors(app, settings.cors_origins)
    app.add_middleware(ProblemGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    # Added last, so outermost: even a 429 gets a request id, a log line and metrics.
    app.add_middleware(RequestContextMiddleware)
    install_docs(app)
    app.state.state_collector = StateCollector(
        lambda: _pool_status(app), lambda: _theme_jobs_running(app), app.state.render_cache
    )
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    # Order matters where paths overlap: fixed paths (`/social/room/set/mine`,
    # `/social/saved`) are registered before the `{socialId}` patterns.
    for router in (sets_router, rooms_router, participation_router, badging_router, themes_router, users_router):
        # Bodies are counted while read (chunked ones too) and refused with 413 past the
        # limit: theme uploads carry base64 images, every other body is small JSON.
        # (Per router, not app-wide: FastAPI's app-wide limit answers outside our
        # middleware, in plain text.)
        limit = settings.max_theme_upload_bytes if router is themes_router else settings.max_json_body_bytes
        app.include_router(router, max_body_size=limit)
    app.include_router(console_router)
    app.mount("/media", media_files(settings), name="media")
    if settings.bench_limit_file is not None:
        from roomsets.benchmode import limit_router

        app.include_router(limit_router(settings.bench_limit_file))

    @app.get("/health", tags=["Service"], summary="Liveness")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["Service"], summary="Readiness: the database answers", responses=problem_responses(503))
    async def ready(request: Request) -> JSONResponse:
        try:
            async with app.state.engine.connect() as connection:
                await asyncio.wait_for(connection.execute(text("SELECT 1")), timeout=DATABASE_WAIT_SECONDS)
        except Exception as exc:
            log.warning("readiness check failed: %s", exc.__class__.__name__)
            return problem_response(
                request, 503, "The database is not reachable.", headers={"Retry-After": str(DATABASE_RETRY_AFTER)}
            )
        return JSONResponse({"status": "ready"})

    return app
