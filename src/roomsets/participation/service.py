"""Invites, entering and leaving rooms, the waiting queue and the attendee list.

Every change of who is where in a room set is decided while holding a lock on the set's
row (`SELECT ... FOR NO KEY UPDATE` on PostgreSQL, the database's write lock on SQLite).
A user is in at most one room of a set, so a decision about one room depends on the
others: serializing on the set keeps capacity, queue positions, sessions and the
one-room rule free of races, and since the set is always locked before any room row is
written, two joins cannot deadlock. Rooms are read before the lock only to check that
the caller may see them, and read again under it.

Hosts of a room (its set's host and alternate hosts, and the room's own alternate hosts)
skip every entry condition: they always enter, even a full room.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging import service as badging
from roomsets.kit.db import UtcDateTime, utcnow
from roomsets.kit.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from roomsets.kit.paging import PageRequest
from roomsets.participation import rules
from roomsets.participation.models import AttendeeStatus, EntryConfiguration, SocialAttendee, SocialInvite
from roomsets.participation.schemas import SocialAttendee as AttendeeRead
from roomsets.participation.schemas import SocialInvite as InviteRead
from roomsets.participation.schemas import SocialInviteCreate
from roomsets.rooms.models import Social
from roomsets.sets import permissions
from roomsets.sets.locking import lock_set, lock_set_of_room
from roomsets.sets.models import EntryOption, RoomSet
from roomsets.users import service as users
from roomsets.users.models import Company, User
from roomsets.users.schemas import User as UserRead

ACTIVE = (AttendeeStatus.JOINED, AttendeeStatus.WAITING)
NEVER = datetime(9999, 12, 31, tzinfo=UTC)

# Attendees who never got in have no arrival time; they sort as if they came last.
ATTENDEE_SORTABLE = {
    "dateTimeArrived": case(
        (SocialAttendee.first_joined_at.is_(None), literal(NEVER, UtcDateTime())),
        else_=SocialAttendee.arrived_at,
    )
}
INVITE_SORTABLE = {"dateTimeInvited": SocialInvite.invited_at}


# -- invites ------------------------------------------------------------------------------


async def invite(
    session: AsyncSession, caller: User, social_id: uuid.UUID, items: Sequence[SocialInviteCreate]
) -> list[InviteRead]:
    """S7: one answer per item, in order; items that fail carry `error` and are not saved."""
    await lock_set_of_room(session, social_id)
    room = await permissions.readable_room(session, caller, social_id, for_update=True)
    if not await is_host(session, caller, room):
        raise Forbidden("Only the hosts and alternate hosts of this room may invite people to it.")

    emails: dict[int, str | None] = {}
    for i, item in enumerate(items):
        raw = item.invited_user.email_address if item.invited_user else None
        try:
            emails[i] = users.normalize_email(raw) if raw else None
        except Invalid:
            emails[i] = None
    ids = {item.invited_user_id for item in items if item.invited_user_id}
    named_emails = {e for e in emails.values() if e}
    found = (await session.scalars(select(User).where(or_(User.id.in_(ids), User.email.in_(named_emails))))).all()
    by_id = {u.id: u for u in found}
    by_email = {u.email: u for u in found}
    invited = set(
        await session.scalars(select(SocialInvite.invited_user_id).where(SocialInvite.social_id == room.id))
    )
    attended = set(
        await session.scalars(
            select(SocialAttendee.user_id).where(
                SocialAttendee.social_id == room.id, SocialAttendee.first_joined_at.is_not(None)
            )
        )
    )

    named: set[uuid.UUID] = set()
    answers: list[InviteRead] = []
    for i, item in enumerate(items):
        user, error = _invitee(item, emails[i], by_id, by_email)
        if user is not None and error is None:
            if user.id == caller.id:
                error = "You cannot invite yourself."
            elif user.id in named:
                error = f"{user.email} is named more than once in this request."
            elif user.id in invited:
                error = f"{user.email} is invited to this room already."
        if error is not None:
            answers.append(
                InviteRead(
                    social_invite_id=None,
                    social_id=room.id,
                    invited_user_id=user.id if user else item.invited_user_id,
                    invited_user=UserRead.from_model(user) if user else None,
                    did_attend=False,
                    date_time_invited=None,
                    error=error,
                )
            )
            continue
        assert user is not None
        row = SocialInvite(
            id=uuid.uuid4(),
            social_id=room.id,
            invited_user_id=user.id,
            invited_by_user_id=caller.id,
            did_attend=user.id in attended,
            invited_at=utcnow(),
        )
        session.add(row)
        named.add(user.id)
        answers.append(_render_invite(row, user))
    await session.flush()
    return answers


def _invitee(
    item: SocialInviteCreate, email: str | None, by_id: dict[uuid.UUID, User], by_email: dict[str, User]
) -> tuple[User | None, str | None]:
    raw_email = item.invited_user.email_address if item.invited_user else None
    if item.invited_user_id is not None:
        user = by_id.get(item.invited_user_id)
        if user is None:
            return None, f"There is no user {item.invited_user_id}."
        if raw_email and email != user.email:
            return user, "invitedUserId and invitedUser.emailAddress name different users."
        return user, None
    if raw_email:
        if email is None:
            return None, f"{raw_email!r} is not an e-mail address."
        user = by_email.get(email)
        return (user, None) if user else (None, f"There is no user with e-mail {email}.")
    return None, "Name the invitee with invitedUserId or invitedUser.emailAddress."


async def invites(
    session: AsyncSession, caller: User, social_id: uuid.UUID, page: PageRequest
) -> tuple[list[InviteRead], int]:
    """S8: every invite of the room for its hosts; anyone else sees only their own."""
    room = await permissions.readable_room(session, caller, social_id)
    where = [SocialInvite.social_id == room.id]
    if not await is_host(session, caller, room):
        where.append(SocialInvite.invited_user_id == caller.id)
    total = await session.scalar(select(func.count()).select_from(SocialInvite).where(*where))
    rows = (
        await session.execute(
            page.select_page(
                select(SocialInvite, User).join(User, User.id == SocialInvite.invited_user_id).where(*where),
                INVITE_SORTABLE,
                SocialInvite.id,
            )
        )
    ).all()
    return [_render_invite(invite, user) for invite, user in rows], total or 0


def _render_invite(invite: SocialInvite, user: User) -> InviteRead:
    return InviteRead(
        social_invite_id=invite.id,
        social_id=invite.social_id,
        invited_user_id=user.id,
        invited_user=UserRead.from_model(user),
        did_attend=invite.did_attend,
        date_time_invited=invite.invited_at,
        error=None,
    )


# -- entering and leaving -----------------------------------------------------------------


async def join(session: AsyncSession, caller: User, social_id: uuid.UUID) -> AttendeeRead:
    """S9 join: the caller enters the room, or its queue, or is refused with a reason (403)."""
    asked = await permissions.readable_room(session, caller, social_id)
    room_set = await _lock_set(session, asked.room_set_id)
    room = await _reload_room(session, asked.id)
    current = await session.scalar(
        select(SocialAttendee)
        .where(
            SocialAttendee.room_set_id == room_set.id,
            SocialAttendee.user_id == caller.id,
            SocialAttendee.status.in_(ACTIVE),
        )
        .execution_options(populate_existing=True)
    )
    host = await is_host(session, caller, room)
    option, entry_rules = await _entry_of(session, room, room_set)

    redirected = False
    start = room_set.starting_point_social_id
    if option == EntryOption.STARTING_POINT and not host and current is None and start not in (None, room.id):
        landing = await session.scalar(
            select(Social)
            .join(RoomSet, RoomSet.id == Social.room_set_id)
            .where(Social.id == start, permissions.room_readable(caller))
            .execution_options(populate_existing=True)
        )
        if landing is None:
            raise Forbidden("This room set is entered through its starting point room, which is not open to you.")
        room, redirected = landing, True
        host = await is_host(session, caller, room)
        option, entry_rules = await _entry_of(session, room, room_set)

    row = await _attendee(session, room.id, caller.id)
    if row is not None and row.status in ACTIVE:
        return await _render_attendee(session, row, caller)

    if not host:
        await _check_entry(session, caller, room, room_set, option, entry_rules)

    moved = current is not None
    if current is not None:
        await _depart(session, current)
        await _settle(session, await _reload_room(session, current.social_id))

    # Places freed earlier (a raised maxParticipants, admission switched off) go to the queue first.
    await _settle(session, room)
    joined, waiting = await _counts(session, room.id)
    now = utcnow()
    if row is None:
        row = SocialAttendee(
            id=uuid.uuid4(), social_id=room.id, room_set_id=room_set.id, user_id=caller.id, favorite_user_ids=[]
        )
        session.add(row)
    row.is_host = host
    row.social_changed = moved or redirected
    row.updated_at = now
    if not host and (room.host_admitted or joined >= room.max_participants):
        row.status, row.is_present, row.queue_position = AttendeeStatus.WAITING, False, waiting + 1
    else:
        await _enter(session, room, row, now)
    await _settle(session, room)
    return await _render_attendee(session, row, caller)


async def _check_entry(
    session: AsyncSession,
    caller: User,
    room: Social,
    room_set: RoomSet,
    option: EntryOption,
    entry_rules: Sequence[dict],
) -> None:
    """The conditions a non-host must meet to enter, in the documented order."""
    if caller.is_guest and not room.allow_guest_users:
        raise Forbidden("Guest users may not enter this room.")
    if option == EntryOption.ACCOUNT and (caller.is_guest or not caller.email_verified):
        raise Forbidden("This room admits only account users with a verified e-mail address.")
    if option == EntryOption.CUSTOM_RULES and entry_rules:
        company = await session.scalar(select(Company.name).where(Company.id == caller.company_id))
        answers = await badging.answers_by_title(session, room_set.id, caller.id)
        profile = rules.Profile.of(caller, company, answers)
        for i, rule in enumerate(entry_rules):
            if not rules.holds(rule, profile):
                message = f"you do not meet this rule ({rules.describe(rule)})"
                raise Forbidden(
                    f"This room's entry rules turn you away: rules.{i}: {message}.",
                    [FieldError(f"rules.{i}", message)],
                )
    missing = await badging.unanswered_required(session, room_set.id, caller.id)
    if missing:
        raise Forbidden(
            "Answer the required badge questions of this room set first: "
            + ", ".join(repr(t) for t in missing)
            + ".",
            [FieldError(f"badge:{title}", "this required question has no answer") for title in missing],
        )
    if not room.anyone_can_start and not await _host_present(session, room.id):
        raise Forbidden("This room has not started yet: a host has to arrive first.")


async def leave(session: AsyncSession, caller: User, social_id: uuid.UUID) -> AttendeeRead:
    """S9 leave: the caller leaves the room or its queue; a freed place goes to the queue's head."""
    row = await _attendee(session, social_id, caller.id)
    if row is None or row.status not in ACTIVE:
        # Someone in a room may always leave it; anyone else learns only what they may see.
        await permissions.readable_room(session, caller, social_id)
        raise Conflict("You are not in this room or its queue.")
    await _lock_set(session, row.room_set_id)
    row = await _attendee(session, social_id, caller.id)
    if row is None or row.status not in ACTIVE:
        raise Conflict("You are not in this room or its queue.")
    await _depart(session, row)
    await _settle(session, await _reload_room(session, social_id))
    return await _render_attendee(session, row, caller)


async def decide(
    session: AsyncSession, caller: User, social_id: uuid.UUID, attendee_id: uuid.UUID, *, admit: bool
) -> AttendeeRead:
    """S10: a host admits a waiting attendee into the room, or rejects them."""
    room = await permissions.readable_room(session, caller, social_id)
    if not await is_host(session, caller, room):
        raise Forbidden("Only the hosts of this room may admit or reject waiting attendees.")
    await _lock_set(session, room.room_set_id)
    room = await _reload_room(session, room.id)
    row = await session.scalar(
        select(SocialAttendee)
        .where(SocialAttendee.id == attendee_id, SocialAttendee.social_id == room.id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(f"There is no attendee {attendee_id} in room {room.id}.")
    if row.status != AttendeeStatus.WAITING:
        raise Conflict(f"This attendee is {row.status}, not WAITING; only waiting attendees are admitted or rejected.")
    if admit:
        joined, _ = await _counts(session, room.id)
        if joined >= room.max_participants:
            raise Conflict(f"The room is full ({joined} of {room.max_participants} places taken).")
        await _enter(session, room, row, utcnow())
    else:
        row.status, row.is_present, row.queue_position = AttendeeStatus.REJECTED, False, None
        row.updated_at = utcnow()
    await _settle(session, room)
    user = await session.get_one(User, row.user_id)
    return await _render_attendee(session, row, user)


async def _depart(session: AsyncSession, row: SocialAttendee) -> None:
    row.status, row.is_present, row.queue_position = AttendeeStatus.LEFT, False, None
    row.updated_at = utcnow()
    await session.flush()


async def _enter(session: AsyncSession, room: Social, row: SocialAttendee, now: datetime) -> None:
    row.status, row.is_present, row.queue_position = AttendeeStatus.JOINED, True, None
    row.arrived_at = now
    row.updated_at = now
    if row.first_joined_at is None:
        row.first_joined_at = now
        await session.execute(
            update(SocialInvite)
            .where(SocialInvite.social_id == room.id, SocialInvite.invited_user_id == row.user_id)
            .values(did_attend=True)
        )
    if room.session_id is None:
        room.session_id = uuid.uuid4().hex
    await session.flush()


async def _settle(session: AsyncSession, room: Social) -> None:
    """Fill free places from the head of the queue (unless hosts admit), number the queue
    1..n without gaps, and close the session of a room nobody is in any more."""
    await session.flush()
    waiting = list(
        await session.scalars(
            select(SocialAttendee)
            .where(SocialAttendee.social_id == room.id, SocialAttendee.status == AttendeeStatus.WAITING)
            .order_by(SocialAttendee.queue_position, SocialAttendee.updated_at, SocialAttendee.id)
            .execution_options(populate_existing=True)
        )
    )
    joined, _ = await _counts(session, room.id)
    now = utcnow()
    while not room.host_admitted and waiting and joined < room.max_participants:
        await _enter(session, room, waiting.pop(0), now)
        joined += 1
    for position, row in enumerate(waiting, start=1):
        row.queue_position = position
    if joined == 0:
        room.session_id = None
    await session.flush()


async def _lock_set(session: AsyncSession, room_set_id: uuid.UUID) -> RoomSet:
    await lock_set(session, room_set_id)
    room_set = await session.scalar(
        select(RoomSet).where(RoomSet.id == room_set_id).execution_options(populate_existing=True)
    )
    if room_set is None:
        raise NotFound(f"There is no room set {room_set_id}.")
    return room_set


async def _reload_room(session: AsyncSession, social_id: uuid.UUID) -> Social:
    room = await session.scalar(
        select(Social).where(Social.id == social_id).execution_options(populate_existing=True)
    )
    if room is None:
        raise NotFound(f"There is no room {social_id}.")
    return room


async def _attendee(session: AsyncSession, social_id: uuid.UUID, user_id: uuid.UUID) -> SocialAttendee | None:
    return await session.scalar(
        select(SocialAttendee)
        .where(SocialAttendee.social_id == social_id, SocialAttendee.user_id == user_id)
        .execution_options(populate_existing=True)
    )


async def _counts(session: AsyncSession, social_id: uuid.UUID) -> tuple[int, int]:
    """How many are in the room, and how many wait for it."""
    await session.flush()
    rows = await session.execute(
        select(SocialAttendee.status, func.count())
        .where(SocialAttendee.social_id == social_id, SocialAttendee.status.in_(ACTIVE))
        .group_by(SocialAttendee.status)
    )
    counts = dict(rows.tuples().all())
    return counts.get(AttendeeStatus.JOINED, 0), counts.get(AttendeeStatus.WAITING, 0)


async def _host_present(session: AsyncSession, social_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(SocialAttendee.id).where(
            SocialAttendee.social_id == social_id,
            SocialAttendee.status == AttendeeStatus.JOINED,
            SocialAttendee.is_host.is_(True),
        ).limit(1)
    )
    return found is not None


async def is_host(session: AsyncSession, caller: User, room: Social) -> bool:
    """Whether the caller hosts the room: set host, set alternate host or room alternate host."""
    return bool(
        await session.scalar(
            select(permissions.room_editable(caller))
            .select_from(Social)
            .join(RoomSet, RoomSet.id == Social.room_set_id)
            .where(Social.id == room.id)
        )
    )


async def _entry_of(session: AsyncSession, room: Social, room_set: RoomSet) -> tuple[EntryOption, list[dict]]:
    """The entry option and rules that apply to a room.

    A room follows the configuration it is linked to. In a set that has a configuration,
    rooms not linked to it are open (DEFAULT); a set without one applies its own
    `entryOption` (which then has no rules) to every room.
    """
    if room.configuration_id is not None:
        config = await session.get(EntryConfiguration, room.configuration_id)
        if config is not None:
            return config.entry_option, list(config.rules)
    has_config = await session.scalar(
        select(EntryConfiguration.id).where(EntryConfiguration.room_set_id == room_set.id)
    )
    return (EntryOption.DEFAULT if has_config else room_set.entry_option), []


# -- the attendee list --------------------------------------------------------------------


async def attendees(
    session: AsyncSession, caller: User, social_id: uuid.UUID, is_present: bool | None, page: PageRequest
) -> tuple[list[AttendeeRead], int]:
    """S11: hosts see every attendee of the room; others see only those inside it."""
    room = await permissions.readable_room(session, caller, social_id)
    where = [SocialAttendee.social_id == room.id]
    if not await is_host(session, caller, room):
        where.append(SocialAttendee.status == AttendeeStatus.JOINED)
    if is_present is True:
        where.append(SocialAttendee.status == AttendeeStatus.JOINED)
    elif is_present is False:
        where.append(SocialAttendee.status != AttendeeStatus.JOINED)
    total = await session.scalar(select(func.count()).select_from(SocialAttendee).where(*where))
    rows = (
        await session.execute(
            page.select_page(
                select(SocialAttendee, User).join(User, User.id == SocialAttendee.user_id).where(*where),
                ATTENDEE_SORTABLE,
                SocialAttendee.id,
            )
        )
    ).all()
    _, waiting = await _counts(session, room.id)
    return [_attendee_read(row, user, waiting) for row, user in rows], total or 0


async def _render_attendee(session: AsyncSession, row: SocialAttendee, user: User) -> AttendeeRead:
    _, waiting = await _counts(session, row.social_id)
    return _attendee_read(row, user, waiting)


def _attendee_read(row: SocialAttendee, user: User, queue_length: int) -> AttendeeRead:
    return AttendeeRead(
        social_attendee_id=row.id,
        social_id=row.social_id,
        attendee_user_id=row.user_id,
        attendee_user=UserRead.from_model(user),
        date_time_arrived=row.arrived_at if row.first_joined_at is not None else None,
        is_host=row.is_host,
        is_present=row.is_present,
        location=row.location,
        ring_color=row.ring_color,
        token_id=row.token_id,
        stream_connection_id=row.stream_connection_id,
        status=row.status,
        queue_position=row.queue_position,
        queue_length=queue_length,
        presenter_video_quality=row.presenter_video_quality,
        social_changed=row.social_changed,
        updated_websocket_url=row.updated_websocket_url,
        favorite_user_ids=[uuid.UUID(str(u)) for u in row.favorite_user_ids or []],
    )
