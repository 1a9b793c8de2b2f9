"""Serves the console page and its files; nothing here touches the database."""

from importlib import resources
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from roomsets.kit.errors import NotFound
from roomsets.kit.security import html_page

router = APIRouter(include_in_schema=False)

_FILES = resources.files(__package__)
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# A fixed list rather than a directory listing: only these names are ever read.
ASSETS = frozenset({"app.js", "api.js", "dom.js", "style.css", "icon.svg"})
# The files change with the package, not while it runs; revalidating keeps upgrades visible at once.
NO_CACHE = {"Cache-Control": "no-cache"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@router.get("/console")
async def console(request: Request) -> HTMLResponse:
    page = _FILES.joinpath("index.html").read_text(encoding="utf-8")
    # Theme images are published under the public base URL, which may not be this origin.
    response = html_page(page, img_src=_origin(request.app.state.settings.base_url))
    response.headers.update(NO_CACHE)
    return response


@router.get("/console/")
async def console_slash() -> RedirectResponse:
    return RedirectResponse("/console", status_code=308)


@router.get("/console/{name}")
async def console_asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFound(f"The console has no file named {name!r}.")
    suffix = name[name.rfind("."):]
    body = _FILES.joinpath(name).read_bytes()
    return Response(body, media_type=CONTENT_TYPES[suffix], headers=NO_CACHE)
