"""Domain errors and their one mapping to RFC 9457 problem+json responses."""

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import exc as sa_exc
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBLEM_MEDIA_TYPE = "application/problem+json"
DATABASE_RETRY_AFTER = 5
TOO_LARGE = "The request body is larger than this endpoint accepts."
SHUTTING_DOWN = "The server shut down before this request was done."
log = logging.getLogger("roomsets.errors")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ProblemError(Exception):
    """Base of every error a caller may see; `status` and `title` say which kind."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, errors: Sequence[FieldError] = (), headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}


class BadRequest(ProblemError):
    status, title = 400, "Bad request"


class Invalid(ProblemError):
    """The request is well formed but some field breaks a rule."""

    status, title = 422, "Validation failed"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", [FieldError(field, message)])


class Unauthorized(ProblemError):
    status, title = 401, "Unauthorized"

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'})


class Forbidden(ProblemError):
    status, title = 403, "Forbidden"


class NotFound(ProblemError):
    status, title = 404, "Not found"


class Conflict(ProblemError):
    status, title = 409, "Conflict"


class PreconditionFailed(ProblemError):
    status, title = 412, "Precondition failed"


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(status, detail, request.url.path, title=title, errors=errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def problem_body(
    status: int, detail: str, instance: str, *, title: str | None = None, errors: Sequence[FieldError] = ()
) -> dict[str, Any]:
    """The RFC 9457 document; for code below the routing layer (middleware) too."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return body


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "header", "body", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request, exc.status, exc.detail, title=exc.title, errors=exc.errors, headers=exc.headers
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    errors = [FieldError(_field_name(e.get("loc", ())), e.get("msg", "invalid")) for e in raw]
    in_body = any(e.get("loc", ("",))[0] == "body" for e in raw)
    if in_body and any(e.get("type") == "json_invalid" for e in raw):
        return problem_response(request, 400, "The request body is not valid JSON.", title="Malformed JSON")
    status = 422 if in_body else 400
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem_response(request, status, detail, title="Invalid request", errors=errors)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"There is no resource at {request.url.path}."
    if exc.status_code == 413:
        detail = TOO_LARGE
    if exc.status_code == 405:
        allowed = _allowed_methods(request) or headers.get("Allow", "").split(", ")
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}."
    return problem_response(request, exc.status_code, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API serves at this path, read from the OpenAPI document.

    Starlette names only the methods of the first route whose path matched, which is
    wrong where several routes share a path (GET and DELETE of one resource).
    """
    state = request.app.state
    if not hasattr(state, "path_methods"):
        state.path_methods = [
            (re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"), {m.upper() for m in operations})
            for path, operations in request.app.openapi()["paths"].items()
        ]
    methods: set[str] = set()
    for pattern, operations in state.path_methods:
        if pattern.match(request.url.path):
            methods |= operations
    return sorted(methods)


def is_database_unavailable(exc: BaseException) -> bool:
    """True for failures that mean "the database cannot be reached now": worth a retry."""
    if isinstance(exc, (OSError, TimeoutError, sa_exc.TimeoutError)):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or isinstance(exc, (sa_exc.InterfaceError, sa_exc.OperationalError)):
            return True
        return is_database_unavailable(exc.orig) if isinstance(exc.orig, BaseException) else False
    return type(exc).__module__.startswith("asyncpg") and any(
        base.__name__ in ("PostgresConnectionError", "InterfaceError", "ConnectionDoesNotExistError")
        for base in type(exc).__mro__
    )


def is_transaction_conflict(exc: BaseException) -> bool:
    """PostgreSQL gave up a transaction for another's sake (SQLSTATE class 40: a deadlock, a
    serialization failure); it was rolled back whole, so the request can simply be sent again."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith("40")


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    if is_database_unavailable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
        return problem_response(
            request, 503, "The database is not reachable right now; try again shortly.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    if isinstance(exc, sa_exc.IntegrityError) or is_transaction_conflict(exc):
        log.info("conflict on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
        return problem_response(request, 409, "The request conflicts with a concurrent change; try it again.")
    return await _on_unexpected(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, 500, "The server failed to answer this request.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    for database_error in (OSError, TimeoutError, sa_exc.TimeoutError, sa_exc.DBAPIError):
        app.add_exception_handler(database_error, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)


class ProblemFieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, sent as application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem+json answers for the given statuses."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


class ProblemGuardMiddleware:
    """Turns any error answer that is not problem+json into one.

    The exception handlers above shape every error the application raises; this guard
    covers the few answers that lower layers write themselves (Starlette's body limit
    sends a plain-text 413, for one), so no caller ever gets an error in another format.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: Message | None = None
        chunks: list[bytes] = []
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal held, started
            if message["type"] == "http.response.start":
                started = True
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] >= 400 and not content_type.startswith(PROBLEM_MEDIA_TYPE):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                return await _send_as_problem(scope, send, held, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except asyncio.CancelledError:
            # uvicorn cancels the requests still running when its graceful-shutdown time is
            # up, and would answer them with a plain-text 500; this one says what happened.
            if not started:
                with contextlib.suppress(Exception):  # the connection may be gone already
                    await send_problem(
                        scope, send, 503, SHUTTING_DOWN, [(b"retry-after", b"1"), (b"connection", b"close")]
                    )
            raise


async def _send_as_problem(scope: Scope, send: Send, start: Message, original: bytes) -> None:
    status = start["status"]
    text = original.decode("utf-8", "replace").strip()
    detail = text if text and len(text) < 200 and "<" not in text else HTTPStatus(status).phrase
    if status == 413:
        detail = TOO_LARGE
    await send_problem(scope, send, status, detail, start.get("headers", []))


async def send_problem(
    scope: Scope, send: Send, status: int, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """A problem+json answer written straight to ASGI, for middleware that answers on its own;
    `headers` are kept, but for the content type and length."""
    body = json.dumps(problem_body(status, detail, scope["path"])).encode()
    merged = MutableHeaders(raw=list(headers))
    merged["content-type"] = PROBLEM_MEDIA_TYPE
    merged["content-length"] = str(len(body))
    await send({"type": "http.response.start", "status": status, "headers": merged.raw})
    await send({"type": "http.response.body", "body": body})
