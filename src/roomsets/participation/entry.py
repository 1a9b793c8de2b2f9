"""The entry configuration of a room set (E1, E2): one per set, linked to some of its rooms."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging.models import BadgeQuestion
from roomsets.kit.db import utcnow
from roomsets.kit.errors import Invalid, NotFound
from roomsets.participation import rules
from roomsets.participation.models import EntryConfiguration
from roomsets.participation.schemas import EntryConfiguration as EntryConfigurationRead
from roomsets.participation.schemas import EntryConfigurationCreate, EntryRule
from roomsets.rooms.models import Social
from roomsets.sets import permissions
from roomsets.sets.models import EntryOption
from roomsets.users.models import User


async def get_configuration(session: AsyncSession, caller: User, room_set_id: uuid.UUID) -> EntryConfigurationRead:
    """E2: anyone who can see the set may read its entry rules (they must meet them)."""
    await permissions.readable_set(session, caller, room_set_id)
    config = await session.scalar(select(EntryConfiguration).where(EntryConfiguration.room_set_id == room_set_id))
    if config is None:
        raise NotFound(f"Room set {room_set_id} has no entry configuration.")
    return await _render(session, config)


async def put_configuration(
    session: AsyncSession, caller: User, room_set_id: uuid.UUID, body: EntryConfigurationCreate
) -> tuple[EntryConfigurationRead, bool]:
    """E1: create or replace the set's configuration; True when it was created."""
    room_set = await permissions.editable_set(session, caller, room_set_id)
    rooms = {
        room.id: room
        for room in await session.scalars(
            select(Social).where(Social.room_set_id == room_set.id).execution_options(populate_existing=True)
        )
    }
    for i, social_id in enumerate(body.associated_social_ids):
        if social_id not in rooms:
            raise Invalid(f"associatedSocialIds.{i}", f"{social_id} is not a room of this room set")
    start = rooms.get(room_set.starting_point_social_id) if room_set.starting_point_social_id else None
    for field, value, limit in (
        ("startingPointX", body.starting_point_x, start.starting_width if start else None),
        ("startingPointY", body.starting_point_y, start.starting_height if start else None),
    ):
        if value is None:
            continue
        if start is None:
            raise Invalid(field, "the room set has no starting point room to place it in")
        if value > limit:
            raise Invalid(field, f"must be within the starting point room's size (0–{limit})")
    if body.entry_option == EntryOption.STARTING_POINT and start is None:
        raise Invalid("entryOption", "STARTING_POINT needs a starting point room in the set")
    titles = (
        await session.scalars(select(BadgeQuestion.title).where(BadgeQuestion.room_set_id == room_set.id))
    ).all()
    stored_rules = rules.validate_rules(body.rules, titles)

    config = await session.scalar(select(EntryConfiguration).where(EntryConfiguration.room_set_id == room_set.id))
    created = config is None
    now = utcnow()
    if config is None:
        config = EntryConfiguration(id=uuid.uuid4(), room_set_id=room_set.id, created_at=now)
        session.add(config)
    config.name = body.name
    config.entry_option = body.entry_option
    config.group_spawn_size = body.group_spawn_size
    config.group_former_count = body.group_former_count
    config.starting_point_x = body.starting_point_x
    config.starting_point_y = body.starting_point_y
    config.entry_flow = body.entry_flow
    config.rules = stored_rules
    config.updated_at = now
    await session.flush()

    linked = set(body.associated_social_ids)
    for room in rooms.values():
        wanted = config.id if room.id in linked else None
        if room.configuration_id != wanted:
            room.configuration_id = wanted
            room.version += 1  # the room's JSON changed, so must its ETag
    if (room_set.entry_option, room_set.group_former_count) != (body.entry_option, body.group_former_count):
        room_set.entry_option = body.entry_option
        room_set.group_former_count = body.group_former_count
        room_set.updated_at = now
        room_set.version += 1
    await session.flush()
    return await _render(session, config), created


async def _render(session: AsyncSession, config: EntryConfiguration) -> EntryConfigurationRead:
    linked = (
        await session.scalars(
            select(Social.id).where(Social.configuration_id == config.id).order_by(Social.created_at, Social.id)
        )
    ).all()
    return EntryConfigurationRead(
        configuration_id=config.id,
        name=config.name,
        entry_option=config.entry_option,
        group_spawn_size=config.group_spawn_size,
        group_former_count=config.group_former_count,
        starting_point_x=config.starting_point_x,
        starting_point_y=config.starting_point_y,
        entry_flow=config.entry_flow,
        rules=[EntryRule.model_validate(rule) for rule in config.rules],
        associated_social_ids=list(linked),
    )
