import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.etags import IfMatch, etag
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.kit.urls import MediaDep
from roomsets.rooms import service
from roomsets.rooms.models import Social as SocialRow
from roomsets.rooms.schemas import Social, SocialCreate, SocialUpdate
from roomsets.sets import queries
from roomsets.users.models import User

PREFIX = "/api/v1/social"
router = APIRouter(prefix=PREFIX, tags=["Rooms"], responses=problem_responses(400, 401))

SavedPage = Annotated[PageRequest, Depends(page_params(list(service.SAVED_SORTABLE), default_sort="dateSaved,desc"))]
SocialId = Annotated[uuid.UUID, Path(alias="socialId")]


async def _render(session: SessionDep, caller: User, room: SocialRow, media: MediaDep, response: Response) -> Social:
    (rendered,) = await queries.render_rooms(session, caller, [room], media)
    response.headers["ETag"] = etag(room.version)
    return rendered


# Registered before the `/{socialId}` routes so that `saved` is never read as an id.
@router.get("/saved", summary="Get Saved Rooms", operation_id="getSavedRooms")
async def get_saved_rooms(
    request: Request, response: Response, session: SessionDep, caller: CurrentUser, page: SavedPage, media: MediaDep
) -> list[Social]:
    """The rooms you saved and can still see, paged; newest save first by default."""
    rooms, total = await service.saved_rooms(session, caller, page)
    set_page_headers(request, response, page, total)
    return await queries.render_rooms(session, caller, rooms, media)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create Room",
    operation_id="createRoom",
    responses=problem_responses(403, 404, 422),
)
async def create_room(
    response: Response, session: SessionDep, caller: CurrentUser, media: MediaDep, body: SocialCreate
) -> Social:
    """A new room in a set you host or co-host."""
    room = await service.create_room(session, caller, body)
    response.headers["Location"] = f"{PREFIX}/{room.id}"
    return await _render(session, caller, room, media, response)


@router.post(
    "/update", summary="Update Room", operation_id="updateRoom", responses=problem_responses(403, 404, 412, 422)
)
async def update_room(
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    media: MediaDep,
    body: SocialUpdate,
    precondition: IfMatch,
) -> Social:
    """A partial update: absent keys stay, `null` clears a nullable field."""
    room = await service.update_room(session, caller, body, precondition)
    return await _render(session, caller, room, media, response)


@router.get("/{socialId}", summary="Get Room", operation_id="getRoom", responses=problem_responses(404))
async def get_room(
    response: Response, session: SessionDep, caller: CurrentUser, media: MediaDep, social_id: SocialId
) -> Social:
    room = await service.get_room(session, caller, social_id)
    return await _render(session, caller, room, media, response)


@router.delete(
    "/{socialId}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete Room",
    operation_id="deleteRoom",
    responses=problem_responses(403, 404, 409),
)
async def delete_room(session: SessionDep, caller: CurrentUser, social_id: SocialId) -> None:
    """The last room of a set cannot be deleted; a deleted starting point moves to the oldest room."""
    await service.delete_room(session, caller, social_id)


@router.post(
    "/{socialId}/save",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Save Room",
    operation_id="saveRoom",
    responses=problem_responses(404),
)
async def save_room(session: SessionDep, caller: CurrentUser, social_id: SocialId) -> None:
    """Saving a saved room again changes nothing."""
    await service.save_room(session, caller, social_id)


@router.delete(
    "/{socialId}/save",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Unsave Room",
    operation_id="unsaveRoom",
    responses=problem_responses(404),
)
async def unsave_room(session: SessionDep, caller: CurrentUser, social_id: SocialId) -> None:
    """Unsaving a room that is not saved changes nothing."""
    await service.unsave_room(session, caller, social_id)
