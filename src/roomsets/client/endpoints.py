"""Every endpoint of the API as a `Call`: built here once, sent by either client.

Paths and parameter names are the contract's (docs/reference/API.md), the same on a
Roomsets server and on Scoot.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from roomsets.client.core import (
    ID,
    Call,
    Page,
    Params,
    Versioned,
    bodies,
    body,
    paging,
    parse_list,
    parse_model,
    parse_nothing,
    parse_page,
    parse_versioned,
)
from roomsets.client.models import (
    BadgeAnswerCreate,
    BadgeData,
    BadgeQuestionCreate,
    EntryConfiguration,
    EntryConfigurationCreate,
    InvitedUserRef,
    Social,
    SocialAttendee,
    SocialCreate,
    SocialInvite,
    SocialInviteCreate,
    SocialRoomSet,
    SocialRoomSetCreate,
    SocialRoomSetUpdate,
    SocialUpdate,
    Theme,
    ThemeCustomCreate,
    User,
)

SET = "/api/v1/social/room/set"
SOCIAL = "/api/v1/social"
Sort = str | Sequence[str] | None


def _if_match(etag: str | None) -> tuple[tuple[str, str], ...]:
    return (("If-Match", etag),) if etag else ()


def _post(
    path: str, parse: Any, json: Any, params: Params = (), headers: tuple[tuple[str, str], ...] = ()
) -> Call[Any]:
    return Call("POST", path, parse, params=params, json=json, has_body=True, headers=headers)


# R1–R6: room sets


def my_room_sets(page: int, size: int, sort: Sort) -> Call[Page[SocialRoomSet]]:
    return Call("GET", f"{SET}/mine", parse_page(SocialRoomSet), paging(page, size, sort))


def copy_room_set(room_set_id: ID, name: str | None) -> Call[SocialRoomSet]:
    params = (("socialRoomSetId", str(room_set_id)), *((("name", name),) if name is not None else ()))
    return Call("POST", f"{SET}/copy", parse_model(SocialRoomSet), params)


def create_room_set(given: SocialRoomSetCreate | dict[str, Any] | None, fields: dict[str, Any]) -> Call[SocialRoomSet]:
    return _post(SET, parse_model(SocialRoomSet), body(SocialRoomSetCreate, given, fields))


def get_room_set(room_set_id: ID) -> Call[Versioned[SocialRoomSet]]:
    return Call("GET", f"{SET}/{room_set_id}", parse_versioned(SocialRoomSet))


def update_room_set(room_set_id: ID, if_match: str | None, changes: dict[str, Any]) -> Call[Versioned[SocialRoomSet]]:
    payload = body(SocialRoomSetUpdate, None, {"social_room_set_id": room_set_id, **changes})
    return _post(f"{SET}/update", parse_versioned(SocialRoomSet), payload, headers=_if_match(if_match))


def delete_room_set(room_set_id: ID) -> Call[None]:
    return Call("DELETE", f"{SET}/{room_set_id}", parse_nothing)


# S1–S11: rooms, invites, attendance


def create_room(room_set_id: ID, given: SocialCreate | dict[str, Any] | None, fields: dict[str, Any]) -> Call[Social]:
    payload = body(SocialCreate, given, fields)
    payload["socialRoomSetId"] = str(room_set_id)
    return _post(SOCIAL, parse_model(Social), payload)


def get_room(room_id: ID) -> Call[Versioned[Social]]:
    return Call("GET", f"{SOCIAL}/{room_id}", parse_versioned(Social))


def update_room(room_id: ID, if_match: str | None, changes: dict[str, Any]) -> Call[Versioned[Social]]:
    payload = body(SocialUpdate, None, {"social_id": room_id, **changes})
    return _post(f"{SOCIAL}/update", parse_versioned(Social), payload, headers=_if_match(if_match))


def delete_room(room_id: ID) -> Call[None]:
    return Call("DELETE", f"{SOCIAL}/{room_id}", parse_nothing)


def saved_rooms(page: int, size: int, sort: Sort) -> Call[Page[Social]]:
    return Call("GET", f"{SOCIAL}/saved", parse_page(Social), paging(page, size, sort))


def save_room(room_id: ID) -> Call[None]:
    return Call("POST", f"{SOCIAL}/{room_id}/save", parse_nothing)


def unsave_room(room_id: ID) -> Call[None]:
    return Call("DELETE", f"{SOCIAL}/{room_id}/save", parse_nothing)


Invitee = SocialInviteCreate | ID
"""Whom to invite: a user id, an e-mail address (a string with `@`) or a full SocialInviteCreate."""


def _invite_item(who: Invitee) -> SocialInviteCreate:
    if isinstance(who, SocialInviteCreate):
        return who
    if isinstance(who, str) and "@" in who:
        return SocialInviteCreate(invited_user=InvitedUserRef(email_address=who))
    return SocialInviteCreate(invited_user_id=who)  # type: ignore[arg-type]


def invite(room_id: ID, invitees: Iterable[Invitee]) -> Call[list[SocialInvite]]:
    payload = bodies(SocialInviteCreate, [_invite_item(who) for who in invitees])
    return _post(f"{SOCIAL}/invite/{room_id}", parse_list(SocialInvite), payload)


def invites(room_id: ID, page: int, size: int, sort: Sort) -> Call[Page[SocialInvite]]:
    return Call("GET", f"{SOCIAL}/{room_id}/invites", parse_page(SocialInvite), paging(page, size, sort))


def join(room_id: ID) -> Call[SocialAttendee]:
    return Call("POST", f"{SOCIAL}/{room_id}/join", parse_model(SocialAttendee))


def leave(room_id: ID) -> Call[SocialAttendee]:
    return Call("POST", f"{SOCIAL}/{room_id}/leave", parse_model(SocialAttendee))


def admit(room_id: ID, attendee_id: ID) -> Call[SocialAttendee]:
    return Call("POST", f"{SOCIAL}/{room_id}/attendees/{attendee_id}/admit", parse_model(SocialAttendee))


def reject(room_id: ID, attendee_id: ID) -> Call[SocialAttendee]:
    return Call("POST", f"{SOCIAL}/{room_id}/attendees/{attendee_id}/reject", parse_model(SocialAttendee))


def attendees(room_id: ID, is_present: bool | None, page: int, size: int, sort: Sort) -> Call[Page[SocialAttendee]]:
    params = paging(page, size, sort)
    if is_present is not None:
        params = (*params, ("isPresent", "true" if is_present else "false"))
    return Call("GET", f"{SOCIAL}/{room_id}/attendees", parse_page(SocialAttendee), params)


# T1–T2: themes


def create_theme(given: ThemeCustomCreate | dict[str, Any] | None, fields: dict[str, Any]) -> Call[Theme]:
    return _post("/api/v1/theme/custom", parse_model(Theme), body(ThemeCustomCreate, given, fields))


def get_theme(theme_id: ID) -> Call[Theme]:
    return Call("GET", f"/api/v1/theme/{theme_id}", parse_model(Theme))


def themes(page: int, size: int, sort: Sort) -> Call[Page[Theme]]:
    return Call("GET", "/api/v1/theme", parse_page(Theme), paging(page, size, sort))


# E1–E2: entry configuration


def _of_set(room_set_id: ID) -> Params:
    return (("socialRoomSetId", str(room_set_id)),)


def put_entry_configuration(
    room_set_id: ID, given: EntryConfigurationCreate | dict[str, Any] | None, fields: dict[str, Any]
) -> Call[EntryConfiguration]:
    payload = body(EntryConfigurationCreate, given, fields)
    return _post("/api/v1/rules/entry/config", parse_model(EntryConfiguration), payload, _of_set(room_set_id))


def get_entry_configuration(room_set_id: ID) -> Call[EntryConfiguration]:
    return Call("GET", "/api/v1/rules/entry/config", parse_model(EntryConfiguration), _of_set(room_set_id))


# B1–B3: badges


def my_badge_data(room_set_id: ID, page: int, size: int, sort: Sort) -> Call[Page[BadgeData]]:
    params = (*_of_set(room_set_id), *paging(page, size, sort))
    return Call("GET", "/api/v1/badging/user/badge/data", parse_page(BadgeData), params)


def replace_badge_questions(
    room_set_id: ID, questions: Sequence[BadgeQuestionCreate | dict[str, Any]]
) -> Call[list[BadgeData]]:
    payload = bodies(BadgeQuestionCreate, questions)
    return _post("/api/v1/badging/questions", parse_list(BadgeData), payload, _of_set(room_set_id))


def answer_badge_questions(
    room_set_id: ID, answers: Sequence[BadgeAnswerCreate | dict[str, Any]]
) -> Call[list[BadgeData]]:
    payload = bodies(BadgeAnswerCreate, answers)
    return _post("/api/v1/badging/user/badge/data", parse_list(BadgeData), payload, _of_set(room_set_id))


# U1–U2: users


def company_users(company_id: ID, page: int, size: int, sort: Sort) -> Call[Page[User]]:
    return Call("GET", f"/api/v1/company/{company_id}/users", parse_page(User), paging(page, size, sort))


def me() -> Call[User]:
    return Call("GET", "/api/v1/user/me", parse_model(User))
