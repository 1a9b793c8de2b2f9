"""Rooms: create, update, delete, save; the rules every way of making a room shares."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from roomsets.kit.db import utcnow
from roomsets.kit.errors import Conflict, Forbidden, Invalid
from roomsets.kit.etags import Precondition, bump_version, write_versioned
from roomsets.kit.paging import PageRequest
from roomsets.rooms.models import SavedSocial, Social, SocialAlternateHost
from roomsets.rooms.schemas import SocialCreate, SocialUpdate
from roomsets.rooms.sizes import SIZES, RoomSize
from roomsets.sets.locking import lock_set_of_room
from roomsets.sets.models import RoomSet
from roomsets.sets.permissions import editable_room, editable_set, is_set_host, readable_room, room_readable
from roomsets.themes.models import Theme
from roomsets.themes.permissions import usable_theme
from roomsets.users.models import User

DEFAULT_SIZE = SIZES[RoomSize.MEDIUM]

SAVED_SORTABLE = {
    "dateSaved": SavedSocial.saved_at,
    "name": func.lower(Social.name),
}


def _field(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


async def check_themes(session: AsyncSession, caller: User, wanted: dict[str, uuid.UUID]) -> None:
    """`wanted` maps field names to theme ids; 422 naming the first field whose theme the caller may not use."""
    if not wanted:
        return
    usable = set(
        await session.scalars(select(Theme.id).where(Theme.id.in_(set(wanted.values())), usable_theme(caller)))
    )
    for field, theme_id in wanted.items():
        if theme_id not in usable:
            raise Invalid(field, f"there is no theme {theme_id} that you may use")


async def existing_users(
    session: AsyncSession, user_ids: Sequence[uuid.UUID], field: str, *, not_host: uuid.UUID
) -> list[uuid.UUID]:
    """`user_ids` without repeats, in order, once every one is a known user other than the host; else 422."""
    wanted = list(dict.fromkeys(user_ids))
    if not_host in wanted:
        raise Invalid(field, "the host cannot also be an alternate host")
    known = set(await session.scalars(select(User.id).where(User.id.in_(wanted)))) if wanted else set()
    unknown = [str(u) for u in wanted if u not in known]
    if unknown:
        raise Invalid(field, f"unknown users: {', '.join(unknown)}")
    return wanted


def _check_dates(start: datetime | None, end: datetime | None, prefix: str) -> None:
    if start is not None and end is not None and end <= start:
        raise Invalid(_field(prefix, "endDateTime"), "must be after startDateTime")


def _new_room_values(
    caller: User, room_set: RoomSet, body: SocialCreate, created_at: datetime
) -> dict[str, Any]:
    size = SIZES[body.size] if body.size else DEFAULT_SIZE
    return {
        "id": uuid.uuid4(),
        "room_set_id": room_set.id,
        "creator_user_id": caller.id,
        "company_id": caller.company_id,
        "meta_id": uuid.uuid4(),
        "name": body.name,
        "description": body.description,
        "session_id": None,
        "recurring": body.recurring,
        "anyone_can_start": _or(body.anyone_can_start, room_set.anyone_can_start),
        "free": body.free,
        "allow_guest_users": _or(body.allow_guest_users, room_set.allow_guest_users),
        "social_permission_type": _or(body.social_permission_type, room_set.social_permission_type),
        "platform": body.platform,
        "max_participants": _or(body.max_participants, size.max_participants),
        "starting_width": _or(body.starting_width, size.width),
        "starting_height": _or(body.starting_height, size.height),
        "host_admitted": _or(body.host_admitted, room_set.host_admitted),
        "theme_id": body.theme_id,
        "configuration_id": None,
        "playlist_id": body.playlist_id,
        "artifact_set_id": body.artifact_set_id,
        "start_at": body.start_date_time,
        "end_at": body.end_date_time,
        "created_at": created_at,
        "updated_at": created_at,
        "updated_by_user_id": caller.id,
        "version": 1,
    }


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


async def insert_rooms(
    session: AsyncSession, caller: User, room_set: RoomSet, bodies: Sequence[SocialCreate], *, field_prefix: str
) -> list[uuid.UUID]:
    """Validate and insert new rooms of `room_set` in one statement per table; their ids, in order.

    Rooms are ordered by creation time, so each gets a creation time one microsecond after
    the one before it: the set renders them in the order given.
    """
    prefixes = [_field(field_prefix, str(i)) if field_prefix else "" for i in range(len(bodies))]
    for body, prefix in zip(bodies, prefixes):
        _check_dates(body.start_date_time, body.end_date_time, prefix)
    await check_themes(
        session,
        caller,
        {_field(p, "themeId"): b.theme_id for b, p in zip(bodies, prefixes) if b.theme_id is not None},
    )
    alternates: list[tuple[int, list[uuid.UUID]]] = []
    for index, (body, prefix) in enumerate(zip(bodies, prefixes)):
        if body.alternate_host_user_ids:
            if not is_set_host(room_set, caller):
                raise Forbidden("Only the host of the room set may choose a room's alternate hosts.")
            field = _field(prefix, "alternateHostUserIds")
            alternates.append(
                (index, await existing_users(session, body.alternate_host_user_ids, field, not_host=room_set.host_user_id))
            )
    now = utcnow()
    rows = [
        _new_room_values(caller, room_set, body, now + timedelta(microseconds=i)) for i, body in enumerate(bodies)
    ]
    await session.execute(Social.__table__.insert(), rows)
    host_rows = [
        {"social_id": rows[index]["id"], "user_id": user_id, "added_at": now + timedelta(microseconds=n)}
        for index, user_ids in alternates
        for n, user_id in enumerate(user_ids)
    ]
    if host_rows:
        await session.execute(SocialAlternateHost.__table__.insert(), host_rows)
    return [row["id"] for row in rows]


async def replace_alternate_hosts(
    session: AsyncSession, link: Any, owner_column: Any, owner_id: uuid.UUID, user_ids: list[uuid.UUID]
) -> None:
    """Make `user_ids` the alternate hosts in `link` (a set's or a room's); kept ones keep their place."""
    current = set(await session.scalars(select(link.user_id).where(owner_column == owner_id)))
    removed = current - set(user_ids)
    if removed:
        await session.execute(delete(link).where(owner_column == owner_id, link.user_id.in_(removed)))
    now = utcnow()
    added = [u for u in user_ids if u not in current]
    if added:
        await session.execute(
            link.__table__.insert(),
            [
                {owner_column.key: owner_id, "user_id": u, "added_at": now + timedelta(microseconds=n)}
                for n, u in enumerate(added)
            ],
        )


async def create_room(session: AsyncSession, caller: User, body: SocialCreate) -> Social:
    """S1: a new room in a set the caller may change."""
    if body.social_room_set_id is None:
        raise Invalid("socialRoomSetId", "is required")
    room_set = await editable_set(session, caller, body.social_room_set_id)
    (social_id,) = await insert_rooms(session, caller, room_set, [body], field_prefix="")
    await bump_version(session, RoomSet, room_set.id)
    return await _load(session, social_id)


async def _load(session: AsyncSession, social_id: uuid.UUID) -> Social:
    room = await session.scalar(
        select(Social).where(Social.id == social_id).execution_options(populate_existing=True)
    )
    assert room is not None
    return room


async def get_room(session: AsyncSession, caller: User, social_id: uuid.UUID) -> Social:
    return await readable_room(session, caller, social_id)


ROOM_COLUMNS = {"start_date_time": "start_at", "end_date_time": "end_at"}
ROOM_NULLABLE = {"description", "theme_id", "playlist_id", "artifact_set_id", "start_date_time", "end_date_time"}


async def update_room(
    session: AsyncSession, caller: User, body: SocialUpdate, precondition: Precondition
) -> Social:
    """S3: a partial update; bumps the room's and its set's version."""
    await lock_set_of_room(session, body.social_id)
    room = await editable_room(session, caller, body.social_id)
    room_set = await session.get(RoomSet, room.room_set_id)
    assert room_set is not None
    replace_hosts = "alternate_host_user_ids" in body.model_fields_set
    if replace_hosts and not is_set_host(room_set, caller):
        raise Forbidden("Only the host of the room set may change a room's alternate hosts.")
    precondition.check(room.version)
    changes = body.changes(exclude={"social_id", "alternate_host_user_ids"}, nullable=ROOM_NULLABLE)
    _check_dates(
        changes.get("start_date_time", room.start_at), changes.get("end_date_time", room.end_at), ""
    )
    if changes.get("theme_id") is not None:
        await check_themes(session, caller, {"themeId": changes["theme_id"]})
    if replace_hosts:
        if body.alternate_host_user_ids is None:
            raise Invalid("alternateHostUserIds", "may not be null; send [] to remove every alternate host")
        user_ids = await existing_users(
            session, body.alternate_host_user_ids, "alternateHostUserIds", not_host=room_set.host_user_id
        )
        await replace_alternate_hosts(session, SocialAlternateHost, SocialAlternateHost.social_id, room.id, user_ids)
    values = {ROOM_COLUMNS.get(name, name): value for name, value in changes.items()}
    await write_versioned(session, Social, room.id, room.version, {**values, "updated_by_user_id": caller.id})
    await bump_version(session, RoomSet, room_set.id)
    return await _load(session, room.id)


async def delete_room(session: AsyncSession, caller: User, social_id: uuid.UUID) -> None:
    """S4: the last room of a set stays (409); a deleted starting point moves to the oldest room left."""
    # The set's lock also keeps two deletes racing for the last two rooms from both succeeding.
    await lock_set_of_room(session, social_id)
    room = await editable_room(session, caller, social_id)
    room_set = await session.get(RoomSet, room.room_set_id)
    assert room_set is not None
    other = aliased(Social)
    # One statement decides, so even without row locks (SQLite) a set never loses its last room.
    deleted = await session.execute(
        delete(Social).where(
            Social.id == room.id,
            exists().where(other.room_set_id == room_set.id, other.id != room.id),
        )
    )
    if deleted.rowcount != 1:
        raise Conflict("This is the last room of its set; delete the set instead.")
    values = {}
    if room_set.starting_point_social_id in (room.id, None):
        values["starting_point_social_id"] = await session.scalar(
            select(Social.id).where(Social.room_set_id == room_set.id).order_by(Social.created_at, Social.id).limit(1)
        )
    await bump_version(session, RoomSet, room_set.id, **values)


async def save_room(session: AsyncSession, caller: User, social_id: uuid.UUID) -> None:
    """S6: saving twice is the same as saving once."""
    await readable_room(session, caller, social_id)
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    await session.execute(
        dialect.insert(SavedSocial)
        .values(user_id=caller.id, social_id=social_id, saved_at=utcnow())
        .on_conflict_do_nothing()
    )


async def unsave_room(session: AsyncSession, caller: User, social_id: uuid.UUID) -> None:
    await readable_room(session, caller, social_id)
    await session.execute(
        delete(SavedSocial).where(SavedSocial.user_id == caller.id, SavedSocial.social_id == social_id)
    )


async def saved_rooms(session: AsyncSession, caller: User, page: PageRequest) -> tuple[list[Social], int]:
    """S5: one page of the rooms the caller saved and can still see, and their total."""
    statement = (
        select(Social)
        .join(SavedSocial, and_(SavedSocial.social_id == Social.id, SavedSocial.user_id == caller.id))
        .join(RoomSet, RoomSet.id == Social.room_set_id)
        .where(room_readable(caller))
    )
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rooms = (
        await session.scalars(
            page.select_page(statement, SAVED_SORTABLE, Social.id)
        )
    ).all()
    return list(rooms), total
