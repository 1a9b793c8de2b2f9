from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.kit.urls import MediaDep
from roomsets.sets import queries
from roomsets.sets.schemas import SocialRoomSet

router = APIRouter(
    prefix="/api/v1/social/room/set", tags=["Room sets"], responses=problem_responses(400, 401)
)

MyRoomSetsPage = Annotated[
    PageRequest, Depends(page_params(list(queries.SORTABLE), default_sort="dateCreated,asc"))
]


@router.get("/mine", summary="Get My Room Sets", operation_id="getMyRoomSets")
async def get_my_room_sets(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    page: MyRoomSetsPage,
    media: MediaDep,
) -> list[SocialRoomSet]:
    """Retrieves all room sets created by the current user."""
    items, total = await queries.my_room_sets(session, caller, page, media)
    set_page_headers(request, response, page, total)
    return items
