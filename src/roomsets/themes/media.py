"""/media/: stored theme images, served read-only with long cache lifetimes.

Keys never change meaning (see storage.py), so every answer may be cached for a year
as immutable. Dot-named files (temporaries of atomic writes) are never served.
"""

from pathlib import PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from roomsets.settings import Settings

IMMUTABLE = "public, max-age=31536000, immutable"


class MediaFiles(StaticFiles):
    async def check_config(self) -> None:
        # The directory appears with the first stored image; until then every path is a 404.
        return None

    async def get_response(self, path: str, scope: Scope) -> Response:
        if any(part.startswith(".") for part in PurePosixPath(path).parts):
            raise HTTPException(404)
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def media_files(settings: Settings) -> MediaFiles:
    return MediaFiles(directory=settings.media_dir, check_dir=False)
