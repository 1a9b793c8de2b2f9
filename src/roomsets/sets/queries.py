"""Loading room sets with everything nested in them, in a fixed number of statements.

`render_room_sets` turns a page of RoomSet rows into wire objects with the same few
queries whatever the page holds: the rooms (with their creators, updaters, themes and
counts), the people (hosts and alternate hosts), the badge questions with the caller's
answers, and the tiles of themes not rendered before in their current state. It is the
one renderer of sets and rooms: every endpoint answering a SocialRoomSet or a Social uses it.
Rows read back from our own database are trusted, so the wire objects are constructed
without validation (`model_construct`): validating a page cost more than loading it.
"""

import functools
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from roomsets.badging.models import BadgeAnswer, BadgeQuestion
from roomsets.badging.schemas import BadgeData
from roomsets.kit.db import utcnow
from roomsets.kit.paging import PageRequest, SortKey
from roomsets.kit.urls import MediaSettings, join_uri
from roomsets.participation.models import AttendeeStatus, SocialAttendee, SocialInvite
from roomsets.rooms.models import Social, SocialAlternateHost
from roomsets.rooms.schemas import Social as SocialRead
from roomsets.rooms.schemas import SocialMeta
from roomsets.sets import schemas
from roomsets.sets.models import RoomSet, RoomSetAlternateHost
from roomsets.sets.render_cache import Answer, RenderCache, fragment, join_sets
from roomsets.themes.models import Theme
from roomsets.themes.service import render_themes
from roomsets.users.models import Company, User
from roomsets.users.schemas import User as UserRead

SORTABLE = {
    "name": func.lower(RoomSet.name),
    "dateCreated": RoomSet.created_at,
    "groupFormerCount": RoomSet.group_former_count,
}


# R1's hot statement is built once per sort order: building and hashing a statement
# cost more than running it (about 0.3 ms, measured).
@functools.cache
def _page_of_sets(sort: tuple[SortKey, ...]) -> Select[Any]:
    """One page of a host's sets in page order: ids, render versions, the total, and the host's
    badge answers to each set's questions (a row per answer; one row with none when none)."""
    order = PageRequest(0, 1, sort)
    page = order.select_page(
        select(
            RoomSet.id,
            RoomSet.render_version,
            func.count().over().label("total"),
            func.row_number().over(order_by=order.order_by(SORTABLE, RoomSet.id)).label("position"),
        ).where(RoomSet.host_user_id == bindparam("host")),
        SORTABLE,
        RoomSet.id,
    ).subquery()
    answered = (
        select(BadgeQuestion.room_set_id, BadgeQuestion.title, BadgeAnswer.value, BadgeAnswer.multi_values)
        .join(BadgeAnswer, and_(BadgeAnswer.question_id == BadgeQuestion.id, BadgeAnswer.user_id == bindparam("host")))
        .subquery()
    )
    return (
        select(page.c.id, page.c.render_version, page.c.total, answered.c.title, answered.c.value, answered.c.multi_values)
        .outerjoin(answered, answered.c.room_set_id == page.c.id)
        .order_by(page.c.position)
    )


async def my_room_sets(
    session: AsyncSession, caller: User, page: PageRequest, media: MediaSettings, cache: RenderCache
) -> tuple[bytes, int]:
    """R1: the room sets whose host is the caller, one page of them as JSON bytes, and their total.

    Warm, it is two statements: the caller's key (before this), and the page (ids, render
    versions, total, the caller's badge answers). Sets whose version is not in `cache` are
    rendered by `render_room_sets` and kept.
    """
    rows = (await session.execute(_page_of_sets(page.sort), {"host": caller.id, **page.params})).all()
    versions: dict[uuid.UUID, int] = {}
    answers: dict[uuid.UUID, dict[str, Answer]] = {}
    for row in rows:
        versions.setdefault(row.id, row.render_version)
        if row.title is not None:
            answers.setdefault(row.id, {})[row.title] = (row.value, row.multi_values)
    if rows:
        total = rows[0].total
    elif page.page == 0:
        total = 0
    else:  # past the end: the window saw no row, so count apart
        total = (
            await session.execute(select(func.count()).select_from(RoomSet).where(RoomSet.host_user_id == caller.id))
        ).scalar_one()

    now = utcnow()
    fragments = {set_id: cache.get(set_id, version, now) for set_id, version in versions.items()}
    missed = {set_id: version for set_id, version in versions.items() if fragments[set_id] is None}
    if missed:
        sets = (await session.scalars(select(RoomSet).where(RoomSet.id.in_(missed)))).all()
        # Stored under the version the page read: what was loaded is that state or newer.
        for rendered in await render_room_sets(session, caller, sets, media):
            fragments[rendered.social_room_set_id] = cache.put(fragment(rendered, missed[rendered.social_room_set_id], now))
    # A set deleted between the page and its rendering is left out.
    body = join_sets((found, answers.get(set_id)) for set_id, found in fragments.items() if found is not None)
    return body, total


async def render_room_sets(
    session: AsyncSession,
    caller: User,
    sets: Sequence[RoomSet],
    media: MediaSettings,
    *,
    only_social_ids: Sequence[uuid.UUID] | None = None,
) -> list[schemas.SocialRoomSet]:
    """The wire objects of `sets`, in order; with `only_social_ids`, only those rooms are loaded
    into `socials` (one more statement counts each set's rooms for `connectedRoom`)."""
    if not sets:
        return []
    set_ids = [s.id for s in sets]

    present = (
        select(func.count())
        .where(SocialAttendee.social_id == Social.id, SocialAttendee.status == AttendeeStatus.JOINED)
        .scalar_subquery()
    )
    ever_joined = (
        select(func.count())
        .where(SocialAttendee.social_id == Social.id, SocialAttendee.first_joined_at.is_not(None))
        .scalar_subquery()
    )
    invites = select(func.count()).where(SocialInvite.social_id == Social.id).scalar_subquery()
    in_scope = and_(
        Social.room_set_id.in_(set_ids),
        Social.id.in_(only_social_ids) if only_social_ids is not None else true(),
    )
    creator, updater = aliased(User), aliased(User)
    room_rows = (
        await session.execute(
            select(Social, Company.name, invites, ever_joined, present, creator, updater, Theme)
            .join(creator, creator.id == Social.creator_user_id)
            .join(updater, updater.id == Social.updated_by_user_id)
            .outerjoin(Company, Company.id == Social.company_id)
            .outerjoin(Theme, Theme.id == Social.theme_id)
            .where(in_scope)
            .order_by(Social.created_at, Social.id)
        )
    ).all()
    if only_social_ids is None:
        room_counts = Counter(r.Social.room_set_id for r in room_rows)
    else:
        counted = await session.execute(
            select(Social.room_set_id, func.count()).where(Social.room_set_id.in_(set_ids)).group_by(Social.room_set_id)
        )
        room_counts = Counter({room_set_id: n for room_set_id, n in counted})

    # Hosts and alternate hosts (of the sets and of their rooms) with their users, at once.
    links = union_all(
        select(literal("host").label("kind"), RoomSet.id.label("owner_id"), RoomSet.host_user_id.label("user_id"),
               RoomSet.created_at.label("added_at"))
        .where(RoomSet.id.in_(set_ids)),
        select(literal("set"), RoomSetAlternateHost.room_set_id, RoomSetAlternateHost.user_id,
               RoomSetAlternateHost.added_at)
        .where(RoomSetAlternateHost.room_set_id.in_(set_ids)),
        select(literal("room"), SocialAlternateHost.social_id, SocialAlternateHost.user_id, SocialAlternateHost.added_at)
        .join(Social, Social.id == SocialAlternateHost.social_id)
        .where(in_scope),
    ).subquery()
    people = (
        await session.execute(
            select(links.c.kind, links.c.owner_id, User)
            .join(User, User.id == links.c.user_id)
            .order_by(links.c.added_at, links.c.user_id)
        )
    ).all()
    users: dict[uuid.UUID, UserRead] = {}

    def user(model: User) -> UserRead:
        if model.id not in users:
            users[model.id] = UserRead.from_model(model)
        return users[model.id]

    hosts: dict[uuid.UUID, UserRead] = {}
    set_alternates: dict[uuid.UUID, list[UserRead]] = defaultdict(list)
    room_alternates: dict[uuid.UUID, list[UserRead]] = defaultdict(list)
    for kind, owner_id, person in people:
        if kind == "host":
            hosts[owner_id] = user(person)
        else:
            (set_alternates if kind == "set" else room_alternates)[owner_id].append(user(person))

    theme_rows = list({r.Theme.id: r.Theme for r in room_rows if r.Theme is not None}.values())
    themes = dict(zip((t.id for t in theme_rows), await render_themes(session, theme_rows, media.base_url), strict=True))

    badge_rows = (
        await session.execute(
            select(BadgeQuestion, BadgeAnswer.value, BadgeAnswer.multi_values)
            .outerjoin(
                BadgeAnswer, and_(BadgeAnswer.question_id == BadgeQuestion.id, BadgeAnswer.user_id == caller.id)
            )
            .where(BadgeQuestion.room_set_id.in_(set_ids))
            .order_by(BadgeQuestion.room_set_id, BadgeQuestion.position)
        )
    ).all()
    badges: dict[uuid.UUID, list[BadgeData]] = defaultdict(list)
    for q, value, multi_values in badge_rows:
        badges[q.room_set_id].append(BadgeData.from_question(q, value, multi_values))

    rooms_of: dict[uuid.UUID, list] = defaultdict(list)
    for r in room_rows:
        rooms_of[r.Social.room_set_id].append(r)

    now = utcnow()
    result = []
    for s in sets:
        rooms = rooms_of[s.id]
        socials = [
            SocialRead.model_construct(
                social_id=room.id,
                social_room_set_id=room.room_set_id,
                user_id=room.creator_user_id,
                company_id=room.company_id,
                name=room.name,
                description=room.description,
                social_uri=join_uri(media.base_url, room.id),
                session_id=room.session_id,
                is_open=room.session_id is not None,
                recurring=room.recurring,
                anyone_can_start=room.anyone_can_start,
                is_valid=room.end_at is None or room.end_at > now,
                free=room.free,
                allow_guest_users=room.allow_guest_users,
                user=user(room_creator),
                social_permission_type=room.social_permission_type,
                platform=room.platform,
                max_participants=room.max_participants,
                starting_width=room.starting_width,
                starting_height=room.starting_height,
                host_admitted=room.host_admitted,
                theme_id=room.theme_id,
                configuration_id=room.configuration_id,
                theme=themes.get(room.theme_id) if room.theme_id else None,
                playlist_id=room.playlist_id,
                artifact_set_id=room.artifact_set_id,
                start_date_time=room.start_at,
                end_date_time=room.end_at,
                date_created=room.created_at,
                company_name=company_name,
                social_meta=SocialMeta.model_construct(
                    social_meta_id=room.meta_id,
                    number_of_invites=n_invites,
                    number_of_attendees=n_attendees,
                    number_currently_present=n_present,
                    audio_host=media.audio_host,
                    audio_element_url=media.audio_element_url,
                    peer_connection_url=media.peer_connection_url,
                ),
                connected_room=room_counts[s.id] > 1,
                updated_by_user=user(room_updater),
                updated_date_time=room.updated_at,
                alternate_hosts=room_alternates[room.id],
                my_badge_data=badges[s.id],
            )
            for room, company_name, n_invites, n_attendees, n_present, room_creator, room_updater, _ in rooms
        ]
        result.append(
            schemas.SocialRoomSet.model_construct(
                social_room_set_id=s.id,
                name=s.name,
                description=s.description,
                entry_option=s.entry_option,
                group_former_count=s.group_former_count,
                anyone_can_start=s.anyone_can_start,
                allow_guest_users=s.allow_guest_users,
                host_admitted=s.host_admitted,
                social_permission_type=s.social_permission_type,
                starting_point_social_id=s.starting_point_social_id,
                host_user=hosts[s.id],
                socials=socials,
                alternate_hosts=set_alternates[s.id],
            )
        )
    return result


async def render_rooms(
    session: AsyncSession, caller: User, rooms: Sequence[Social], media: MediaSettings
) -> list[SocialRead]:
    """The wire objects of `rooms`, in the given order, rendered exactly as inside their sets."""
    if not rooms:
        return []
    set_ids = {room.room_set_id for room in rooms}
    sets = (await session.scalars(select(RoomSet).where(RoomSet.id.in_(set_ids)))).all()
    rendered = await render_room_sets(session, caller, sets, media, only_social_ids=[r.id for r in rooms])
    by_id = {social.social_id: social for room_set in rendered for social in room_set.socials}
    return [by_id[room.id] for room in rooms]
