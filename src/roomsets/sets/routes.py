import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.etags import IfMatch, etag
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.kit.urls import MediaDep
from roomsets.rooms.schemas import Name
from roomsets.sets import queries, service
from roomsets.sets.models import RoomSet
from roomsets.sets.schemas import SocialRoomSet, SocialRoomSetCreate, SocialRoomSetUpdate
from roomsets.users.models import User

PREFIX = "/api/v1/social/room/set"
router = APIRouter(prefix=PREFIX, tags=["Room sets"], responses=problem_responses(400, 401))

MyRoomSetsPage = Annotated[
    PageRequest, Depends(page_params(list(queries.SORTABLE), default_sort="dateCreated,asc"))
]
RoomSetId = Annotated[uuid.UUID, Path(alias="socialRoomSetId")]


@router.get(
    "/mine", summary="Get My Room Sets", operation_id="getMyRoomSets", response_model=list[SocialRoomSet]
)
async def get_my_room_sets(
    request: Request,
    session: SessionDep,
    caller: CurrentUser,
    page: MyRoomSetsPage,
    media: MediaDep,
) -> Response:
    """Retrieves all room sets created by the current user."""
    body, total = await queries.my_room_sets(session, caller, page, media, request.app.state.render_cache)
    response = Response(body, media_type="application/json")
    set_page_headers(request, response, page, total)
    return response


async def _render(
    session: SessionDep, caller: User, room_set: RoomSet, media: MediaDep, response: Response
) -> SocialRoomSet:
    (rendered,) = await queries.render_room_sets(session, caller, [room_set], media)
    response.headers["ETag"] = etag(room_set.version)
    return rendered


@router.post(
    "/copy",
    status_code=status.HTTP_201_CREATED,
    summary="Copy Room Set",
    operation_id="copyRoomSet",
    responses=problem_responses(404),
)
async def copy_room_set(
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    media: MediaDep,
    social_room_set_id: Annotated[uuid.UUID, Query(alias="socialRoomSetId")],
    name: Annotated[Name | None, Query(description="Name of the copy; default `Copy of <name>`.")] = None,
) -> SocialRoomSet:
    """A deep copy of a set you can see, owned by you: rooms, settings, themes, entry
    configuration and badge questions; not invites, attendees, answers or sessions."""
    room_set = await service.copy_room_set(session, caller, social_room_set_id, name)
    response.headers["Location"] = f"{PREFIX}/{room_set.id}"
    return await _render(session, caller, room_set, media, response)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create Room Set",
    operation_id="createRoomSet",
    responses=problem_responses(422),
)
async def create_room_set(
    response: Response, session: SessionDep, caller: CurrentUser, media: MediaDep, body: SocialRoomSetCreate
) -> SocialRoomSet:
    """A new set hosted by you; with no `socials`, one room named after the set is made."""
    room_set = await service.create_room_set(session, caller, body)
    response.headers["Location"] = f"{PREFIX}/{room_set.id}"
    return await _render(session, caller, room_set, media, response)


@router.post(
    "/update",
    summary="Update Room Set",
    operation_id="updateRoomSet",
    responses=problem_responses(403, 404, 412, 422),
)
async def update_room_set(
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    media: MediaDep,
    body: SocialRoomSetUpdate,
    precondition: IfMatch,
) -> SocialRoomSet:
    """A partial update: absent keys stay, `null` clears `description`."""
    room_set = await service.update_room_set(session, caller, body, precondition)
    return await _render(session, caller, room_set, media, response)


@router.get(
    "/{socialRoomSetId}", summary="Get Room Set", operation_id="getRoomSet", responses=problem_responses(404)
)
async def get_room_set(
    response: Response, session: SessionDep, caller: CurrentUser, media: MediaDep, room_set_id: RoomSetId
) -> SocialRoomSet:
    room_set = await service.get_room_set(session, caller, room_set_id)
    return await _render(session, caller, room_set, media, response)


@router.delete(
    "/{socialRoomSetId}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete Room Set",
    operation_id="deleteRoomSet",
    responses=problem_responses(403, 404),
)
async def delete_room_set(session: SessionDep, caller: CurrentUser, room_set_id: RoomSetId) -> None:
    """Deletes the set and everything in it; only its host may."""
    await service.delete_room_set(session, caller, room_set_id)
