import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from roomsets.badging import service
from roomsets.badging.schemas import BadgeAnswerCreate, BadgeData, BadgeQuestionCreate
from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers

router = APIRouter(prefix="/api/v1/badging", tags=["Badges"], responses=problem_responses(400, 401))

RoomSetId = Annotated[uuid.UUID, Query(alias="socialRoomSetId", description="The room set.")]
BadgePage = Annotated[PageRequest, Depends(page_params(list(service.SORTABLE), default_sort="position,asc"))]


@router.get(
    "/user/badge/data",
    summary="Get my badge data",
    operation_id="getMyBadgeData",
    responses=problem_responses(404),
)
async def get_my_badge_data(
    request: Request, response: Response, session: SessionDep, caller: CurrentUser, room_set_id: RoomSetId,
    page: BadgePage,
) -> list[BadgeData]:
    """The set's badge questions with the caller's answers (`null` where unanswered), in the
    host's order (`position`) unless sorted by `title`."""
    items, total = await service.my_badge_data(session, caller, room_set_id, page)
    set_page_headers(request, response, page, total)
    return items


@router.post(
    "/questions",
    summary="Replace a room set's badge questions",
    operation_id="replaceBadgeQuestions",
    responses=problem_responses(403, 404, 422),
)
async def replace_questions(
    session: SessionDep,
    caller: CurrentUser,
    room_set_id: RoomSetId,
    items: Annotated[list[BadgeQuestionCreate], Body(max_length=100)],
) -> list[BadgeData]:
    """The host (or an alternate host) gives the set's whole list of questions, in order.
    Answers to questions whose title stays are kept while they still fit the question.
    Answers with the caller's own answers."""
    return await service.replace_questions(session, caller, room_set_id, items)


@router.post(
    "/user/badge/data",
    summary="Answer badge questions",
    operation_id="answerBadgeQuestions",
    responses=problem_responses(404, 422),
)
async def answer_questions(
    session: SessionDep,
    caller: CurrentUser,
    room_set_id: RoomSetId,
    items: Annotated[list[BadgeAnswerCreate], Body(max_length=100)],
) -> list[BadgeData]:
    """The caller answers questions by `title`; questions left out keep their answers, and an
    item with no `value` and no `multiValues` clears its answer. Answers with all the
    caller's badge data for the set."""
    return await service.answer_questions(session, caller, room_set_id, items)
