"""Who may see and change room sets and rooms, as SQL filters: the one place for it.

Reading a set or a room: its host, alternate hosts (of the set, or of the room),
invitees, and otherwise by `socialPermissionType`: PUBLIC anyone with a key; COMPANY
users of the host's company; CONNECTIONS users who share a room set with the host as
host, alternate host or invitee; COMPANY_AND_CONNECTIONS either. A set is readable when
the set itself is, or when any of its rooms is readable to the caller as a host or
invitee of that room.

Changing: the set's host and the set's alternate hosts change the set and its rooms;
a room's own alternate hosts change that room. Only the host deletes a set or changes
its alternate hosts (checked by the services with `is_set_host`).

Use the `*_readable`/`*_editable` filters in every statement that loads sets or rooms,
so a list or a get cannot forget them; "not visible → 404" follows by itself.
"""

import uuid

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from roomsets.kit.errors import Forbidden, NotFound
from roomsets.participation.models import SocialInvite
from roomsets.rooms.models import Social, SocialAlternateHost
from roomsets.sets.models import RoomSet, RoomSetAlternateHost, SocialPermissionType
from roomsets.users.models import User


def involved_set_ids(user_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """Ids of the room sets the user is in as host, alternate host (set or room) or invitee."""
    # correlate(None): these are standalone lists, even inside a statement on room_sets.
    involved = union(
        select(RoomSet.id).where(RoomSet.host_user_id == user_id).correlate(None),
        select(RoomSetAlternateHost.room_set_id).where(RoomSetAlternateHost.user_id == user_id).correlate(None),
        select(Social.room_set_id)
        .join(SocialAlternateHost, SocialAlternateHost.social_id == Social.id)
        .where(SocialAlternateHost.user_id == user_id)
        .correlate(None),
        select(Social.room_set_id)
        .join(SocialInvite, SocialInvite.social_id == Social.id)
        .where(SocialInvite.invited_user_id == user_id)
        .correlate(None),
    ).subquery()
    return select(involved.c[0])


def connected_user_ids(caller: User) -> Select[tuple[uuid.UUID]]:
    """Everyone who shares a room set with the caller as host, alternate host or invitee."""
    sets = involved_set_ids(caller.id)
    connected = union(
        select(RoomSet.host_user_id).where(RoomSet.id.in_(sets)).correlate(None),
        select(RoomSetAlternateHost.user_id).where(RoomSetAlternateHost.room_set_id.in_(sets)).correlate(None),
        select(SocialAlternateHost.user_id)
        .join(Social, Social.id == SocialAlternateHost.social_id)
        .where(Social.room_set_id.in_(sets))
        .correlate(None),
        select(SocialInvite.invited_user_id)
        .join(Social, Social.id == SocialInvite.social_id)
        .where(Social.room_set_id.in_(sets))
        .correlate(None),
    ).subquery()
    return select(connected.c[0])


def _same_company(caller: User, host_id: ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
    if caller.company_id is None:
        return false()
    return exists().where(User.id == host_id, User.company_id == caller.company_id)


def _by_permission_type(
    caller: User, permission: ColumnElement[SocialPermissionType], host_id: ColumnElement[uuid.UUID]
) -> ColumnElement[bool]:
    return or_(
        permission == SocialPermissionType.PUBLIC,
        and_(
            permission.in_([SocialPermissionType.COMPANY, SocialPermissionType.COMPANY_AND_CONNECTIONS]),
            _same_company(caller, host_id),
        ),
        and_(
            permission.in_([SocialPermissionType.CONNECTIONS, SocialPermissionType.COMPANY_AND_CONNECTIONS]),
            host_id.in_(connected_user_ids(caller)),
        ),
    )


def set_editable(caller: User) -> ColumnElement[bool]:
    """Filter on RoomSet: the caller is its host or one of its alternate hosts."""
    return or_(
        RoomSet.host_user_id == caller.id,
        exists().where(RoomSetAlternateHost.room_set_id == RoomSet.id, RoomSetAlternateHost.user_id == caller.id),
    )


def room_editable(caller: User) -> ColumnElement[bool]:
    """Filter on Social (joined with its RoomSet): set host, set alternate host or room alternate host."""
    return or_(
        set_editable(caller),
        exists().where(SocialAlternateHost.social_id == Social.id, SocialAlternateHost.user_id == caller.id),
    )


def room_readable(caller: User) -> ColumnElement[bool]:
    """Filter on Social (joined with its RoomSet)."""
    return or_(
        room_editable(caller),
        exists().where(SocialInvite.social_id == Social.id, SocialInvite.invited_user_id == caller.id),
        _by_permission_type(caller, Social.social_permission_type, RoomSet.host_user_id),
    )


def set_readable(caller: User) -> ColumnElement[bool]:
    """Filter on RoomSet."""
    room = aliased(Social)
    return or_(
        set_editable(caller),
        exists().where(room.room_set_id == RoomSet.id).where(
            or_(
                exists().where(SocialAlternateHost.social_id == room.id, SocialAlternateHost.user_id == caller.id),
                exists().where(SocialInvite.social_id == room.id, SocialInvite.invited_user_id == caller.id),
            )
        ),
        _by_permission_type(caller, RoomSet.social_permission_type, RoomSet.host_user_id),
    )


def is_set_host(room_set: RoomSet, caller: User) -> bool:
    return room_set.host_user_id == caller.id


async def readable_set(session: AsyncSession, caller: User, room_set_id: uuid.UUID, *, for_update: bool = False) -> RoomSet:
    """The set, if the caller may see it; else 404."""
    statement = select(RoomSet).where(RoomSet.id == room_set_id, set_readable(caller))
    if for_update:
        statement = statement.with_for_update(of=RoomSet)
    room_set = await session.scalar(statement)
    if room_set is None:
        raise NotFound(f"There is no room set {room_set_id} that you can see.")
    return room_set


async def editable_set(session: AsyncSession, caller: User, room_set_id: uuid.UUID) -> RoomSet:
    """The set, locked for update, if the caller may change it; 404 if unseen, 403 if only seen."""
    room_set = await readable_set(session, caller, room_set_id, for_update=True)
    allowed = await session.scalar(select(set_editable(caller)).where(RoomSet.id == room_set.id))
    if not allowed:
        raise Forbidden("Only the host and alternate hosts of this room set may change it.")
    return room_set


async def readable_room(session: AsyncSession, caller: User, social_id: uuid.UUID, *, for_update: bool = False) -> Social:
    statement = (
        select(Social).join(RoomSet, RoomSet.id == Social.room_set_id).where(Social.id == social_id, room_readable(caller))
    )
    if for_update:
        statement = statement.with_for_update(of=Social)
    room = await session.scalar(statement)
    if room is None:
        raise NotFound(f"There is no room {social_id} that you can see.")
    return room


async def editable_room(session: AsyncSession, caller: User, social_id: uuid.UUID) -> Social:
    """The room, locked for update, if the caller may change it; 404 if unseen, 403 if only seen."""
    room = await readable_room(session, caller, social_id, for_update=True)
    allowed = await session.scalar(
        select(room_editable(caller)).select_from(Social).join(RoomSet, RoomSet.id == Social.room_set_id).where(Social.id == room.id)
    )
    if not allowed:
        raise Forbidden("Only the hosts of this room may change it.")
    return room
