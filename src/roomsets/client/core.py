"""What the sync and async clients share: configuration, requests, answers, retries, paging.

An endpoint is described once as a `Call`: how to build its request and how to read its
answer. `ClientCore` turns a call into an `httpx.Request` and an `httpx.Response` into a
result or a typed error; the two clients differ only in how they send the request and wait.
"""

import dataclasses
import os
import random
import time
import uuid
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

import httpx
import pydantic

from roomsets.client.errors import (
    ConfigurationError,
    ConnectionFailedError,
    UnexpectedResponseError,
    ValidationError,
    error_from_response,
    retry_after_seconds,
)
from roomsets.kit.errors import ProblemFieldError
from roomsets.themes.models import UploadState
from roomsets.themes.schemas import Theme

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

ID = uuid.UUID | str
"""An object id: a UUID or its string form."""

URL_VARIABLE = "ROOMSETS_URL"
KEY_VARIABLE = "ROOMSETS_API_KEY"
API_PREFIX = "/api/v1"
USER_AGENT = "roomsets-client/0.1"

Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Retry:
    """When and how long to wait before sending a request again.

    Only `429 Too Many Requests` and `503 Service Unavailable` are retried: both mean the
    request was not carried out. The wait is the answer's `Retry-After` when it has one,
    else `backoff * 2**n` (n = retries so far, with up to 25 % jitter), at most `max_backoff`.
    A `Retry-After` longer than `max_wait` is not waited for: the error is raised at once.
    """

    max_retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_wait: float = 120.0
    statuses: frozenset[int] = frozenset({429, 503})

    def delay(self, response: httpx.Response, retries_done: int) -> float | None:
        """Seconds to wait before retrying `response`'s request, or None to stop here."""
        if response.status_code not in self.statuses or retries_done >= self.max_retries:
            return None
        told = retry_after_seconds(response)
        if told is not None:
            return told if told <= self.max_wait else None
        computed = min(self.backoff * 2**retries_done, self.max_backoff)
        return computed * random.uniform(0.75, 1.0)



@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paged list: its items, `total` over all pages (`X-Total-Count`, None
    when the server does not send it) and where the next page is."""

    items: list[T]
    total: int | None
    page: int
    size: int
    next_params: Params | None = dataclasses.field(default=None, repr=False)

    @property
    def has_next(self) -> bool:
        return self.next_params is not None


class Versioned(NamedTuple, Generic[T]):
    """An object with its `ETag`, to send back as `if_match=` on an update."""

    value: T
    etag: str | None


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request to the API and how to read its answer."""

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: Params = ()
    json: Any = None
    has_body: bool = False
    headers: tuple[tuple[str, str], ...] = ()

    def with_params(self, params: Params) -> "Call[T]":
        return dataclasses.replace(self, params=params)


def raw_call(method: str, path: str, params: Any, json: Any) -> Call[httpx.Response]:
    """A call whose result is the answer itself, for what the endpoint methods do not cover."""
    query = tuple(httpx.QueryParams(params).multi_items())
    return Call(method, path, lambda response: response, query, json=json, has_body=json is not None)


def resolve_config(base_url: str | None, api_key: str | None) -> tuple[str, str]:
    """The base URL and key from the arguments, else from ROOMSETS_URL / ROOMSETS_API_KEY."""
    base_url = base_url or os.environ.get(URL_VARIABLE)
    api_key = api_key or os.environ.get(KEY_VARIABLE)
    if not base_url:
        raise ConfigurationError(
            f"No base URL: pass base_url= (or --url) or set {URL_VARIABLE}, "
            "e.g. http://127.0.0.1:8000 for a Roomsets server or https://api.scoot.app for Scoot."
        )
    if not api_key:
        raise ConfigurationError(f"No API key: pass api_key= (or --api-key) or set {KEY_VARIABLE}.")
    base_url = base_url.rstrip("/")
    # A base URL copied with the API prefix still works: paths below carry the prefix.
    if base_url.endswith(API_PREFIX):
        base_url = base_url[: -len(API_PREFIX)]
    return base_url, api_key


class ClientCore:
    """Builds requests and reads answers; knows nothing of how they are sent."""

    def __init__(self, base_url: str | None, api_key: str | None, retry: Retry | None) -> None:
        self.base_url, self.api_key = resolve_config(base_url, api_key)
        self.retry = retry or Retry()

    def build(self, http: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> httpx.Request:
        headers = {"X-API-Key": self.api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
        headers.update(call.headers)
        return http.build_request(
            call.method,
            self.base_url + call.path,
            params=list(call.params) or None,
            json=call.json if call.has_body else None,
            headers=headers,
        )

    def finish(self, call: Call[T], response: httpx.Response) -> T:
        """The call's result, or the typed error of an error answer."""
        if response.is_error:
            raise error_from_response(response)
        try:
            return call.parse(response)
        except (pydantic.ValidationError, ValueError) as exc:
            raise UnexpectedResponseError(
                f"The answer to {call.method} {call.path} does not fit the documented object: {exc}",
                status=response.status_code,
                title="Unexpected response",
                response=response,
            ) from exc


# Reading answers.


def parse_model(model: type[M]) -> Callable[[httpx.Response], M]:
    return lambda response: model.model_validate_json(response.content)


def parse_list(model: type[M]) -> Callable[[httpx.Response], list[M]]:
    adapter = pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]
    return lambda response: adapter.validate_json(response.content)


def parse_versioned(model: type[M]) -> Callable[[httpx.Response], Versioned[M]]:
    return lambda response: Versioned(model.model_validate_json(response.content), response.headers.get("etag"))


def parse_nothing(response: httpx.Response) -> None:
    return None


def parse_page(model: type[M]) -> Callable[[httpx.Response], Page[M]]:
    adapter = pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]

    def parse(response: httpx.Response) -> Page[M]:
        items = adapter.validate_json(response.content)
        sent = response.request.url.params
        page, size = int(sent.get("page", 0)), int(sent.get("size", len(items) or 1))
        total_header = response.headers.get("x-total-count")
        total = int(total_header) if total_header is not None and total_header.isdigit() else None
        return Page(items, total, page, size, _next_params(response, page, size, len(items), total))

    return parse


def _next_params(response: httpx.Response, page: int, size: int, count: int, total: int | None) -> Params | None:
    """The query of the next page: from `Link: rel="next"` when the server sends a Link;
    else from `X-Total-Count`; else there is one as long as pages come back full."""
    if "link" in response.headers:
        url = response.links.get("next", {}).get("url")
        # Only the query is taken, and sent to our own base URL: the key never goes elsewhere.
        return tuple(httpx.URL(url).params.multi_items()) if url else None
    more = (page + 1) * size < total if total is not None else count == size and count > 0
    if not more:
        return None
    kept = tuple((k, v) for k, v in response.request.url.params.multi_items() if k != "page")
    return (*kept, ("page", str(page + 1)))


# Building bodies and queries.


def body(model: type[M], given: M | dict[str, Any] | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The JSON of a request body: a model, a dict (camelCase or snake_case keys) or keyword
    fields, checked by the server's own model. Keys not given are not sent, so the server's
    defaults (and, on updates, the current values) apply."""
    if given is not None and fields:
        raise TypeError("pass either a body or keyword fields, not both")
    try:
        if given is None:
            checked = model(**fields)
        elif isinstance(given, model):
            checked = given
        else:
            checked = model.model_validate(given)
    except pydantic.ValidationError as exc:
        raise local_validation_error(exc) from exc
    return checked.model_dump(mode="json", by_alias=True, exclude_unset=True)


def bodies(model: type[M], items: Sequence[M | dict[str, Any]]) -> list[dict[str, Any]]:
    return [body(model, item, {}) for item in items]


def local_validation_error(exc: pydantic.ValidationError) -> ValidationError:
    """The client's 422 for a body it refused to send: same class, same field errors."""
    errors = [
        ProblemFieldError(field=".".join(str(p) for p in e["loc"]) or "body", message=e["msg"])
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return ValidationError(detail, title="Validation failed (not sent)", errors=errors)


def paging(page: int, size: int, sort: str | Sequence[str] | None) -> Params:
    sorts = [sort] if isinstance(sort, str) else list(sort or ())
    return (("page", str(page)), ("size", str(size)), *(("sort", s) for s in sorts))


# The exchange: what happens between a call and its result, written once for both clients.
# An exchange is a generator that yields an `httpx.Request` to send (and receives its
# `httpx.Response`) or a float of seconds to wait; its return value is the result. The
# sync client drives it with `httpx.Client.send` and `time.sleep`, the async client with
# `await httpx.AsyncClient.send` and `await asyncio.sleep`.

Step = httpx.Request | float
Exchange = Generator[Step, httpx.Response | None, T]


def exchange(core: ClientCore, http: httpx.Client | httpx.AsyncClient, call: Call[T]) -> Exchange[T]:
    """Send `call`, retrying 429 and 503 answers as `core.retry` says."""
    request = core.build(http, call)
    retries = 0
    while True:
        response = yield request
        assert response is not None
        delay = core.retry.delay(response, retries)
        if delay is None:
            return core.finish(call, response)
        retries += 1
        yield delay


def theme_finished(theme: Theme) -> bool:
    return theme.upload_status is None or theme.upload_status.status != UploadState.IN_PROGRESS


def wait_for_theme(
    core: ClientCore,
    http: httpx.Client | httpx.AsyncClient,
    call: Call[Theme],
    interval: float,
    timeout: float | None,
    on_progress: Callable[[Theme], None] | None,
) -> Exchange[Theme]:
    """Poll the theme until its `uploadStatus` is COMPLETED or FAILED (or it has none)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        theme = yield from exchange(core, http, call)
        if on_progress is not None:
            on_progress(theme)
        if theme_finished(theme):
            return theme
        if deadline is not None and time.monotonic() + interval > deadline:
            raise TimeoutError(f"theme {theme.social_theme_id} is still being processed after {timeout} s")
        yield interval


def connection_failed(request: httpx.Request, exc: httpx.TransportError) -> ConnectionFailedError:
    return ConnectionFailedError(f"{request.method} {request.url} failed: {exc.__class__.__name__}: {exc}")
