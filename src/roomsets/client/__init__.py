"""The Python client of the Room Set API, for a Roomsets server or Scoot.

    from roomsets.client import RoomsetsClient

    with RoomsetsClient() as client:          # ROOMSETS_URL, ROOMSETS_API_KEY
        for room_set in client.my_room_sets():
            print(room_set.name)

See docs/client.md.
"""

from roomsets.client import models
from roomsets.client.aio import AsyncRoomsetsClient
from roomsets.client.core import ID, Page, Retry, Versioned
from roomsets.client.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitedError,
    RoomsetsError,
    ServiceUnavailableError,
    UnexpectedResponseError,
    ValidationError,
)
from roomsets.client.sync import RoomsetsClient

__all__ = [
    "ID",
    "AsyncRoomsetsClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionFailedError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitedError",
    "Retry",
    "RoomsetsClient",
    "RoomsetsError",
    "ServiceUnavailableError",
    "UnexpectedResponseError",
    "ValidationError",
    "Versioned",
    "models",
]
