import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.participation import entry, service
from roomsets.participation.schemas import (
    EntryConfiguration,
    EntryConfigurationCreate,
    SocialAttendee,
    SocialInvite,
    SocialInviteCreate,
)

router = APIRouter(responses=problem_responses(400, 401))

InvitesPage = Annotated[
    PageRequest, Depends(page_params(list(service.INVITE_SORTABLE), default_sort="dateTimeInvited,asc"))
]
AttendeesPage = Annotated[
    PageRequest, Depends(page_params(list(service.ATTENDEE_SORTABLE), default_sort="dateTimeArrived,asc"))
]
SocialId = Annotated[uuid.UUID, Path(alias="socialId")]
AttendeeId = Annotated[uuid.UUID, Path(alias="socialAttendeeId")]
RoomSetId = Annotated[uuid.UUID, Query(alias="socialRoomSetId", description="The room set.")]
ENTRY_REFUSALS = problem_responses(403, 404, 409)


@router.post(
    "/api/v1/social/invite/{socialId}",
    tags=["Invites"],
    summary="Invite users to a room",
    operation_id="inviteToSocial",
    responses=problem_responses(403, 404, 422),
)
async def invite(
    session: SessionDep,
    caller: CurrentUser,
    social_id: SocialId,
    items: Annotated[list[SocialInviteCreate], Body(max_length=1000)],
) -> list[SocialInvite]:
    """One answer per item, in order, always `200`: items that failed (unknown user or e-mail,
    already invited, yourself, named twice) carry `error` and were not saved; the rest were.
    Only the room's hosts and alternate hosts invite."""
    return await service.invite(session, caller, social_id, items)


@router.get(
    "/api/v1/social/{socialId}/invites",
    tags=["Invites"],
    summary="Invites of a room",
    operation_id="getSocialInvites",
    responses=problem_responses(404),
)
async def get_invites(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    social_id: SocialId,
    page: InvitesPage,
) -> list[SocialInvite]:
    """Every invite of the room for its hosts; anyone else who can see the room gets their own."""
    items, total = await service.invites(session, caller, social_id, page)
    set_page_headers(request, response, page, total)
    return items


@router.post(
    "/api/v1/social/{socialId}/join",
    tags=["Attendance"],
    summary="Enter a room",
    operation_id="joinSocial",
    responses=ENTRY_REFUSALS,
)
async def join(
    session: SessionDep, caller: CurrentUser, social_id: SocialId
) -> SocialAttendee:
    """The caller enters the room (`JOINED`), or its queue (`WAITING`), or is refused (`403`
    with the reason). Joining another room of the same set moves the caller (`socialChanged`)."""
    return await service.join(session, caller, social_id)


@router.post(
    "/api/v1/social/{socialId}/leave",
    tags=["Attendance"],
    summary="Leave a room",
    operation_id="leaveSocial",
    responses=ENTRY_REFUSALS,
)
async def leave(
    session: SessionDep, caller: CurrentUser, social_id: SocialId
) -> SocialAttendee:
    """The caller leaves the room or its queue (`409` when in neither)."""
    return await service.leave(session, caller, social_id)


@router.post(
    "/api/v1/social/{socialId}/attendees/{socialAttendeeId}/admit",
    tags=["Attendance"],
    summary="Admit a waiting attendee",
    operation_id="admitSocialAttendee",
    responses=ENTRY_REFUSALS,
)
async def admit(
    session: SessionDep,
    caller: CurrentUser,
    social_id: SocialId,
    attendee_id: AttendeeId,
) -> SocialAttendee:
    """A host lets a `WAITING` attendee in (`409` when the room is full or the attendee is not waiting)."""
    return await service.decide(session, caller, social_id, attendee_id, admit=True)


@router.post(
    "/api/v1/social/{socialId}/attendees/{socialAttendeeId}/reject",
    tags=["Attendance"],
    summary="Reject a waiting attendee",
    operation_id="rejectSocialAttendee",
    responses=ENTRY_REFUSALS,
)
async def reject(
    session: SessionDep,
    caller: CurrentUser,
    social_id: SocialId,
    attendee_id: AttendeeId,
) -> SocialAttendee:
    """A host turns a `WAITING` attendee away (`REJECTED`); they may ask again with a new join."""
    return await service.decide(session, caller, social_id, attendee_id, admit=False)


@router.get(
    "/api/v1/social/{socialId}/attendees",
    tags=["Attendance"],
    summary="Attendees of a room",
    operation_id="getSocialAttendees",
    responses=problem_responses(404),
)
async def get_attendees(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    social_id: SocialId,
    page: AttendeesPage,
    is_present: Annotated[
        bool | None, Query(alias="isPresent", description="true: only those inside; false: everyone else.")
    ] = None,
) -> list[SocialAttendee]:
    """Hosts see every attendee (waiting, inside, rejected, gone); others only those inside."""
    items, total = await service.attendees(session, caller, social_id, is_present, page)
    set_page_headers(request, response, page, total)
    return items


@router.post(
    "/api/v1/rules/entry/config",
    tags=["Entry rules"],
    summary="Create or replace a room set's entry configuration",
    operation_id="putEntryConfiguration",
    status_code=200,
    responses={201: {"model": EntryConfiguration, "description": "Created"}, **problem_responses(403, 404, 422)},
)
async def put_entry_configuration(
    request: Request, response: Response, session: SessionDep, caller: CurrentUser, room_set_id: RoomSetId,
    body: EntryConfigurationCreate,
) -> EntryConfiguration:
    """`201` with `Location` when the set had no configuration, else `200`. Host and alternate hosts only."""
    config, created = await entry.put_configuration(session, caller, room_set_id, body)
    if created:
        response.status_code = 201
        response.headers["Location"] = str(request.url)
    return config


@router.get(
    "/api/v1/rules/entry/config",
    tags=["Entry rules"],
    summary="A room set's entry configuration",
    operation_id="getEntryConfiguration",
    responses=problem_responses(404),
)
async def get_entry_configuration(session: SessionDep, caller: CurrentUser, room_set_id: RoomSetId) -> EntryConfiguration:
    return await entry.get_configuration(session, caller, room_set_id)
