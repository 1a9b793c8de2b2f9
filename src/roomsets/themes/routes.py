import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Path, Request, Response

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.kit.urls import MediaDep
from roomsets.themes import service
from roomsets.themes.jobs import ThemeJobsDep
from roomsets.themes.models import UploadState
from roomsets.themes.schemas import Theme, ThemeCustomCreate

router = APIRouter(
    prefix="/api/v1/theme",
    tags=["Themes"],
    responses=problem_responses(400, 401),
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
