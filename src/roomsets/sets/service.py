"""Room sets: create, read, update, copy and delete, with the rules of who may do what."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging.models import BadgeQuestion
from roomsets.kit.db import utcnow
from roomsets.kit.errors import Forbidden, Invalid
from roomsets.kit.etags import Precondition, write_versioned
from roomsets.participation.models import EntryConfiguration
from roomsets.rooms import service as rooms
from roomsets.rooms.models import Social
from roomsets.rooms.schemas import SocialCreate
from roomsets.sets.models import RoomSet, RoomSetAlternateHost
from roomsets.sets.permissions import editable_set, is_set_host, readable_set
from roomsets.sets.schemas import SocialRoomSetCreate, SocialRoomSetUpdate
from roomsets.users.models import User

NAME_LENGTH = 255
SET_NULLABLE = {"description"}


async def create_room_set(session: AsyncSession, caller: User, body: SocialRoomSetCreate) -> RoomSet:
    """R3: a new set hosted by the caller, with its rooms (one named after the set if none are given)."""
    room_bodies = body.socials or [SocialCreate(name=body.name)]
    start = body.starting_point_index or 0
    if start >= len(room_bodies):
        raise Invalid("startingPointIndex", f"there are only {len(room_bodies)} rooms in socials")
    alternates = await rooms.existing_users(
        session, body.alternate_host_user_ids, "alternateHostUserIds", not_host=caller.id
    )
    now = utcnow()
    room_set = RoomSet(
        id=uuid.uuid4(),
        name=body.name,
        description=body.description,
        entry_option=body.entry_option,
        group_former_count=body.group_former_count,
        anyone_can_start=body.anyone_can_start,
        allow_guest_users=body.allow_guest_users,
        host_admitted=body.host_admitted,
        social_permission_type=body.social_permission_type,
        host_user_id=caller.id,
        created_at=now,
        updated_at=now,
        version=1,
    )
    session.add(room_set)
    await session.flush()
    room_ids = await rooms.insert_rooms(session, caller, room_set, room_bodies, field_prefix="socials")
    # Set after the rooms exist: the two tables point at each other.
    room_set.starting_point_social_id = room_ids[start]
    await rooms.replace_alternate_hosts(
        session, RoomSetAlternateHost, RoomSetAlternateHost.room_set_id, room_set.id, alternates
    )
    await session.flush()
    return room_set


async def get_room_set(session: AsyncSession, caller: User, room_set_id: uuid.UUID) -> RoomSet:
    return await readable_set(session, caller, room_set_id)


async def update_room_set(
    session: AsyncSession, caller: User, body: SocialRoomSetUpdate, precondition: Precondition
) -> RoomSet:
    """R5: a partial update; only the host may replace the alternate hosts."""
    room_set = await editable_set(session, caller, body.social_room_set_id)
    replace_hosts = "alternate_host_user_ids" in body.model_fields_set
    if replace_hosts and not is_set_host(room_set, caller):
        raise Forbidden("Only the host of this room set may change its alternate hosts.")
    precondition.check(room_set.version)
    changes = body.changes(exclude={"social_room_set_id", "alternate_host_user_ids"}, nullable=SET_NULLABLE)
    start = changes.get("starting_point_social_id")
    if start is not None:
        in_set = await session.scalar(select(Social.id).where(Social.id == start, Social.room_set_id == room_set.id))
        if in_set is None:
            raise Invalid("startingPointSocialId", f"{start} is not a room of this set")
    if replace_hosts:
        if body.alternate_host_user_ids is None:
            raise Invalid("alternateHostUserIds", "may not be null; send [] to remove every alternate host")
        user_ids = await rooms.existing_users(
            session, body.alternate_host_user_ids, "alternateHostUserIds", not_host=room_set.host_user_id
        )
        await rooms.replace_alternate_hosts(
            session, RoomSetAlternateHost, RoomSetAlternateHost.room_set_id, room_set.id, user_ids
        )
    await write_versioned(session, RoomSet, room_set.id, room_set.version, changes)
    return room_set


def copy_name(original: str) -> str:
    return f"Copy of {original}"[:NAME_LENGTH]


# Room columns a copy takes over; everything else (ids, session, creator, dates) is new.
COPIED_ROOM_COLUMNS = [
    "name",
    "description",
    "recurring",
    "anyone_can_start",
    "free",
    "allow_guest_users",
    "social_permission_type",
    "platform",
    "max_participants",
    "starting_width",
    "starting_height",
    "host_admitted",
    "theme_id",
    "playlist_id",
    "artifact_set_id",
    "start_at",
    "end_at",
]
COPIED_SET_COLUMNS = [
    "description",
    "entry_option",
    "group_former_count",
    "anyone_can_start",
    "allow_guest_users",
    "host_admitted",
    "social_permission_type",
]
COPIED_CONFIGURATION_COLUMNS = [
    "name",
    "entry_option",
    "group_spawn_size",
    "group_former_count",
    "starting_point_x",
    "starting_point_y",
    "entry_flow",
    "rules",
]
COPIED_QUESTION_COLUMNS = [
    "position",
    "title",
    "description",
    "options",
    "required",
    "featured",
    "visibility",
    "input_type",
]


def _columns(row: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


async def copy_room_set(
    session: AsyncSession, caller: User, room_set_id: uuid.UUID, name: str | None
) -> RoomSet:
    """R2: a deep copy owned by the caller, in one statement per table whatever the set's size.

    Copied: the set's settings, its rooms with their settings and theme references, the entry
    configuration (linked to the copied rooms) and the badge questions. Not copied: invites,
    attendees, answers, live sessions, saved marks and alternate hosts.
    """
    original = await readable_set(session, caller, room_set_id)
    originals = (
        await session.scalars(
            select(Social).where(Social.room_set_id == original.id).order_by(Social.created_at, Social.id)
        )
    ).all()
    configuration = await session.scalar(
        select(EntryConfiguration).where(EntryConfiguration.room_set_id == original.id)
    )
    questions = (
        await session.scalars(
            select(BadgeQuestion).where(BadgeQuestion.room_set_id == original.id).order_by(BadgeQuestion.position)
        )
    ).all()

    now = utcnow()
    new_set_id = uuid.uuid4()
    room_ids = {room.id: uuid.uuid4() for room in originals}
    await session.execute(
        RoomSet.__table__.insert(),
        [
            {
                **_columns(original, COPIED_SET_COLUMNS),
                "id": new_set_id,
                "name": name if name is not None else copy_name(original.name),
                "host_user_id": caller.id,
                "starting_point_social_id": None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        ],
    )
    new_configuration_id = None
    if configuration is not None:
        new_configuration_id = uuid.uuid4()
        await session.execute(
            EntryConfiguration.__table__.insert(),
            [
                {
                    **_columns(configuration, COPIED_CONFIGURATION_COLUMNS),
                    "id": new_configuration_id,
                    "room_set_id": new_set_id,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
    if originals:
        await session.execute(
            Social.__table__.insert(),
            [
                {
                    **_columns(room, COPIED_ROOM_COLUMNS),
                    "id": room_ids[room.id],
                    "room_set_id": new_set_id,
                    "creator_user_id": caller.id,
                    "company_id": caller.company_id,
                    "meta_id": uuid.uuid4(),
                    "session_id": None,
                    # Only links to the set's own configuration carry over, to its copy.
                    "configuration_id": (
                        new_configuration_id
                        if configuration is not None and room.configuration_id == configuration.id
                        else None
                    ),
                    "created_at": now + timedelta(microseconds=position),
                    "updated_at": now + timedelta(microseconds=position),
                    "updated_by_user_id": caller.id,
                    "version": 1,
                }
                for position, room in enumerate(originals)
            ],
        )
    if questions:
        await session.execute(
            BadgeQuestion.__table__.insert(),
            [
                {**_columns(q, COPIED_QUESTION_COLUMNS), "id": uuid.uuid4(), "room_set_id": new_set_id}
                for q in questions
            ],
        )
    start = room_ids.get(original.starting_point_social_id) if original.starting_point_social_id else None
    if start is None and originals:
        start = room_ids[originals[0].id]
    copy = await session.get(RoomSet, new_set_id)
    assert copy is not None
    copy.starting_point_social_id = start
    await session.flush()
    return copy


async def delete_room_set(session: AsyncSession, caller: User, room_set_id: uuid.UUID) -> None:
    """R6: only the host; rooms, invites, attendees, answers, saved marks and the entry
    configuration go with the set (foreign-key cascades); themes stay."""
    room_set = await editable_set(session, caller, room_set_id)
    if not is_set_host(room_set, caller):
        raise Forbidden("Only the host of this room set may delete it.")
    await session.execute(delete(RoomSet).where(RoomSet.id == room_set.id))
