"""Absolute URLs of the things the service publishes, built from the public base URL."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from roomsets.settings import Settings


@dataclass(frozen=True)
class MediaSettings:
    """What rendering needs from the settings: where things are published."""

    base_url: str
    audio_host: str | None
    audio_element_url: str | None
    peer_connection_url: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> "MediaSettings":
        return cls(
            base_url=settings.base_url,
            audio_host=settings.audio_host,
            audio_element_url=settings.audio_element_url,
            peer_connection_url=settings.peer_connection_url,
        )


async def _media(request: Request) -> MediaSettings:
    return request.app.state.media


MediaDep = Annotated[MediaSettings, Depends(_media)]


def media_uri(base_url: str, key: str | None) -> str | None:
    """The public URI of a stored media object (a key under /media/), or an external URI as is."""
    if key is None:
        return None
    if "://" in key:
        return key
    return f"{base_url}/media/{key}"


def join_uri(base_url: str, social_id: uuid.UUID) -> str:
    return f"{base_url}/join/{social_id}"
