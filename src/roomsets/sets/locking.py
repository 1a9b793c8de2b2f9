"""The one lock order of writers: a room set's row before anything inside the set.

Every write to a set's rooms, people, invites or attendees bumps the set's
`render_version` through a trigger, which takes the set row's lock. A writer that took a
room's row first and the set's second could deadlock with one that did the opposite, so
writers take the set first, with the same bump the trigger would make (it is also the
only way to take a write lock on SQLite, which ignores FOR UPDATE).
"""

import uuid

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.rooms.models import Social
from roomsets.sets.models import RoomSet


async def _bump(session: AsyncSession, which: ColumnElement[bool]) -> None:
    await session.execute(
        update(RoomSet)
        .where(which)
        .values(render_version=RoomSet.render_version + 1)
        .execution_options(synchronize_session=False)
    )


async def lock_set(session: AsyncSession, room_set_id: uuid.UUID) -> None:
    await _bump(session, RoomSet.id == room_set_id)


async def lock_set_of_room(session: AsyncSession, social_id: uuid.UUID) -> None:
    await _bump(session, RoomSet.id == select(Social.room_set_id).where(Social.id == social_id).scalar_subquery())
