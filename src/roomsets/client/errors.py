"""Errors the client raises: one class per problem status, all `RoomsetsError`s.

An error answer of the API is an RFC 9457 problem (`application/problem+json`); its
`status`, `title`, `detail`, `type`, `instance` and field `errors` are kept on the
exception. An answer that is not a problem (a proxy's HTML page) still raises the class
of its status, with the reason phrase as `title` and the start of the body as `detail`.
"""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import httpx
import pydantic

from roomsets.kit.errors import Problem, ProblemFieldError


class RoomsetsError(Exception):
    """Base of every error of the client. `status` is None when no HTTP answer was received."""

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        errors: list[ProblemFieldError] | None = None,
        type: str = "about:blank",
        instance: str | None = None,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title
        self.errors = errors or []
        self.type = type
        self.instance = instance
        self.retry_after = retry_after
        self.response = response

    def __str__(self) -> str:
        if self.status is None:
            return self.detail
        return f"{self.status} {self.title}: {self.detail}"


class BadRequestError(RoomsetsError):
    """400: a malformed request or a bad query parameter (`page`, `size`, `sort`, an id)."""


class AuthenticationError(RoomsetsError):
    """401: the API key is missing, unknown or revoked."""


class PermissionDeniedError(RoomsetsError):
    """403: the object is visible to you but you may not do this."""


class NotFoundError(RoomsetsError):
    """404: no such object, or not visible to you."""


class ConflictError(RoomsetsError):
    """409: the request conflicts with the object's state (last room of a set, a full room)."""


class PreconditionFailedError(RoomsetsError):
    """412: `If-Match` no longer matches: someone changed the object meanwhile."""


class ValidationError(RoomsetsError):
    """422: a body field breaks a rule; `errors` names each field."""


class RateLimitedError(RoomsetsError):
    """429: too many requests for this API key; raised once the retries are used up."""


class ServiceUnavailableError(RoomsetsError):
    """503: the service cannot answer now; raised once the retries are used up."""


class ConfigurationError(RoomsetsError):
    """The client lacks its base URL or API key."""


class ConnectionFailedError(RoomsetsError):
    """No HTTP answer: the server could not be reached or the connection broke."""


class UnexpectedResponseError(RoomsetsError):
    """A successful answer whose body does not fit the documented object."""


ERRORS_BY_STATUS: dict[int, type[RoomsetsError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: ValidationError,
    429: RateLimitedError,
    503: ServiceUnavailableError,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def error_from_response(response: httpx.Response) -> RoomsetsError:
    """The typed exception for an error answer."""
    status = response.status_code
    error_class = ERRORS_BY_STATUS.get(status, RoomsetsError)
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    try:
        problem = Problem.model_validate_json(response.content)
    except pydantic.ValidationError:
        text = " ".join(response.text.split())[:200]
        return error_class(
            text or phrase, status=status, title=phrase, retry_after=retry_after_seconds(response), response=response
        )
    return error_class(
        problem.detail,
        status=status,
        title=problem.title,
        errors=problem.errors,
        type=problem.type,
        instance=problem.instance,
        retry_after=retry_after_seconds(response),
        response=response,
    )
