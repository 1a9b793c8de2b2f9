import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Path, Request, Response
from fastapi.routing import APIRoute
from starlette.types import Message, Receive

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import ProblemError, problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.kit.urls import MediaDep
from roomsets.themes import service
from roomsets.themes.jobs import ThemeJobsDep
from roomsets.themes.models import UploadState
from roomsets.themes.schemas import Theme, ThemeCustomCreate


class ContentTooLarge(ProblemError):
    status, title = 413, "Content too large"


class UploadLimitedRoute(APIRoute):
    """Refuses a request body over `max_theme_upload_bytes` before it is parsed.

    The declared Content-Length is checked first; a body without one (chunked) is
    counted while it is read and refused as soon as it passes the limit.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH"):
                body = await _read_body(request, request.app.state.settings.max_theme_upload_bytes)
                request = Request(request.scope, _replay(body, request.receive))
            return await handler(request)

        return limited


def _too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(f"The request body is larger than {limit} bytes, the limit for theme uploads.")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the body already read, then defers to the real one (disconnects)."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


router = APIRouter(
    prefix="/api/v1/theme",
    tags=["Themes"],
    responses=problem_responses(400, 401),
    route_class=UploadLimitedRoute,
)

ThemesPage = Annotated[PageRequest, Depends(page_params(list(service.SORTABLE), default_sort="dateCreated,asc"))]


@router.post(
    "/custom",
    status_code=201,
    summary="Create Custom Theme",
    operation_id="createCustomTheme",
    responses=problem_responses(413, 422),
)
async def create_custom_theme(
    body: ThemeCustomCreate,
    response: Response,
    background: BackgroundTasks,
    session: SessionDep,
    caller: CurrentUser,
    media: MediaDep,
    jobs: ThemeJobsDep,
    x_request_id: Annotated[str | None, Header(max_length=64)] = None,
) -> Theme:
    """Creates a theme. Images are cut into tiles with a preview and a minimap after the
    answer: `uploadStatus` shows the progress (poll `GET /api/v1/theme/{socialThemeId}`)."""
    limits = service.ImageLimits.from_settings(jobs.settings)
    theme = await service.create_custom_theme(session, caller, body, jobs.storage, limits, request_id=x_request_id)
    if theme.upload_status == UploadState.IN_PROGRESS:
        # Background tasks run after the response, so after the commit: the job sees the theme.
        background.add_task(jobs.start, theme.id)
    response.headers["Location"] = f"{media.base_url}/api/v1/theme/{theme.id}"
    return (await service.render_themes(session, [theme], media.base_url))[0]


@router.get("", summary="Get Themes", operation_id="getThemes")
async def get_themes(
    request: Request, response: Response, session: SessionDep, caller: CurrentUser, page: ThemesPage, media: MediaDep
) -> list[Theme]:
    """The themes you may use: built-in ones, yours and your company's."""
    items, total = await service.list_themes(session, caller, page, media.base_url)
    set_page_headers(request, response, page, total)
    return items


@router.get("/{socialThemeId}", summary="Get Theme", operation_id="getTheme", responses=problem_responses(404))
async def get_theme(
    social_theme_id: Annotated[uuid.UUID, Path(alias="socialThemeId")],
    session: SessionDep,
    caller: CurrentUser,
    media: MediaDep,
) -> Theme:
    return await service.get_theme(session, caller, social_theme_id, media.base_url)
