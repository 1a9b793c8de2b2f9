"""The demo data set: a host with three room sets and everything R1 shows, loaded once.

Sets and rooms are made through the room set and room services, as the API makes them.
Loading is idempotent: it runs only when the demo host does not exist yet, and people,
themes and entry configurations have fixed ids (uuid5 of a readable name).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging.models import BadgeAnswer, BadgeQuestion, BadgeVisibility, InputType
from roomsets.kit.db import utcnow
from roomsets.kit.etags import ANY_VERSION
from roomsets.participation.models import AttendeeStatus, EntryConfiguration, SocialAttendee, SocialInvite
from roomsets.rooms import service as rooms_service
from roomsets.rooms.models import Social
from roomsets.rooms.schemas import SocialCreate, SocialUpdate
from roomsets.rooms.sizes import RoomSize
from roomsets.sets import service as sets
from roomsets.sets.models import EntryOption, SocialPermissionType
from roomsets.sets.schemas import SocialRoomSetCreate
from roomsets.themes.builtin import install_generated_themes
from roomsets.themes.models import Theme, ThemeType
from roomsets.themes.storage import Storage
from roomsets.users import service as users
from roomsets.users.models import ApiKey, User

NAMESPACE = uuid.UUID("5b1d7a44-3c1e-4f7e-9d1a-6a0f2a9c0d11")
HOST_EMAIL = "dana.host@demo.roomsets.dev"
COMPANY = "Demo Events"


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


@dataclass(frozen=True)
class DemoResult:
    key: str
    host_id: uuid.UUID
    created: bool


BUILTIN_THEMES = [
    ("Midnight", "#7c5cff", "#2ec4b6", "#0f1020", "#1b1d3a", "#ffffff", "#7c5cff"),
    ("Meadow", "#2f9e44", "#f08c00", "#f4fce3", "#d8f5a2", "#ffffff", "#2f9e44"),
    ("Paper", "#343a40", "#1c7ed6", "#ffffff", "#f1f3f5", "#ffffff", "#343a40"),
]

PEOPLE = [
    ("alex.alt", "Alex", "Altman", COMPANY, False),
    ("sam.guest", "Sam", "Rivera", None, True),
    ("kim.lee", "Kim", "Lee", COMPANY, False),
    ("noor.haddad", "Noor", "Haddad", "Northwind", False),
    ("jo.meyer", "Jo", "Meyer", None, False),
    ("ravi.patel", "Ravi", "Patel", COMPANY, False),
]

# (set name, permission, entry option, host admitted, rooms as (name, size))
SETS = [
    (
        "Product Launch",
        SocialPermissionType.PUBLIC,
        EntryOption.DEFAULT,
        False,
        [("Lobby", RoomSize.LARGE), ("Main Stage", RoomSize.JUMBO), ("Lounge", RoomSize.SMALL)],
    ),
    (
        "Team Offsite",
        SocialPermissionType.COMPANY,
        EntryOption.ACCOUNT,
        True,
        [("Plenary", RoomSize.MEDIUM), ("Breakout", RoomSize.MINI)],
    ),
    ("Open House", SocialPermissionType.COMPANY_AND_CONNECTIONS, EntryOption.DEFAULT, False, [("Hall", RoomSize.X_LARGE)]),
]


async def install_builtin_themes(session: AsyncSession) -> list[uuid.UUID]:
    ids = []
    for name, primary, secondary, background, gradient, button_text, button_bg in BUILTIN_THEMES:
        theme_id = demo_id(f"theme:{name}")
        ids.append(theme_id)
        if await session.get(Theme, theme_id) is None:
            session.add(
                Theme(
                    id=theme_id,
                    type=ThemeType.SINGLE_COLOR,
                    name=name,
                    description=f"Built-in {name.lower()} colour theme.",
                    color_primary=primary,
                    color_secondary=secondary,
                    color_background=background,
                    color_gradient_background=gradient,
                    color_button_text=button_text,
                    color_button_bg=button_bg,
                )
            )
    await session.flush()
    return ids


async def load_demo(session: AsyncSession, secret: str, storage: Storage | None = None) -> DemoResult:
    """Load the demo once; with `storage`, the built-in image themes are drawn and used too
    (the server tiles them when it starts)."""
    theme_ids = await install_builtin_themes(session)
    if storage is not None:
        theme_ids = await install_generated_themes(session, storage) + theme_ids
    host = await users.find_user_by_email(session, HOST_EMAIL)
    created = host is None
    if host is None:
        host = await _load_people_and_sets(session, theme_ids)
    key = await users.create_key(session, secret, host, material=f"demo-key:{host.id}")
    stored = await session.scalar(select(ApiKey).where(ApiKey.prefix == key.prefix))
    if stored is not None and stored.revoked_at is not None:
        key = await users.create_key(session, secret, host)
    return DemoResult(key=key.key, host_id=host.id, created=created)


async def _load_people_and_sets(session: AsyncSession, theme_ids: list[uuid.UUID]) -> User:
    host = await users.create_user(
        session,
        email=HOST_EMAIL,
        first_name="Dana",
        last_name="Host",
        company_name=COMPANY,
        email_verified=True,
        time_zone="Europe/Berlin",
        user_id=demo_id("user:host"),
    )
    people = [
        await users.create_user(
            session,
            email=f"{handle}@demo.roomsets.dev",
            first_name=first,
            last_name=last,
            company_name=company,
            guest=guest,
            email_verified=not guest,
            user_id=demo_id(f"user:{handle}"),
        )
        for handle, first, last, company, guest in PEOPLE
    ]
    alex = people[0]
    now = utcnow()
    for index, (name, permission, entry_option, host_admitted, rooms) in enumerate(SETS):
        room_set = await sets.create_room_set(
            session,
            host,
            SocialRoomSetCreate(
                name=name,
                description=f"{name}: a demo Scootaverse.",
                entry_option=entry_option,
                social_permission_type=permission,
                host_admitted=host_admitted,
                alternate_host_user_ids=[alex.id],
                socials=[
                    SocialCreate(
                        name=room_name,
                        description=f"{size.value} room",
                        size=size,
                        theme_id=theme_ids[(index + position) % len(theme_ids)],
                        alternate_host_user_ids=[alex.id] if position == 0 else [],
                    )
                    for position, (room_name, size) in enumerate(rooms)
                ],
            ),
        )
        config = EntryConfiguration(
            id=demo_id(f"config:{name}"), room_set_id=room_set.id, name=f"{name} entry", entry_option=entry_option
        )
        session.add(config)
        await session.flush()
        # Linking rooms to an entry configuration is E1's (participation's) job; the demo links them directly.
        await session.execute(
            update(Social).where(Social.room_set_id == room_set.id).values(configuration_id=config.id)
        )
        socials = list(
            await session.scalars(
                select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at, Social.id)
            )
        )
        # Alex, an alternate host, last touched every room but the first.
        for social in socials[1:]:
            await rooms_service.update_room(
                session,
                alex,
                SocialUpdate(social_id=social.id, description=f"{social.description}, tidied by Alex"),
                ANY_VERSION,
            )
        questions = [
            BadgeQuestion(
                id=demo_id(f"question:{name}:role"),
                room_set_id=room_set.id,
                position=0,
                title="Role",
                description="What do you do?",
                options=["Engineering", "Design", "Sales", "Other"],
                required=True,
                featured=True,
                input_type=InputType.SINGLE_SELECT,
            ),
            BadgeQuestion(
                id=demo_id(f"question:{name}:hello"),
                room_set_id=room_set.id,
                position=1,
                title="Say hello",
                description="One line others see on your badge.",
                visibility=BadgeVisibility.ACCOUNT_USERS,
                input_type=InputType.TEXT,
            ),
        ]
        session.add_all(questions)
        await session.flush()
        session.add(BadgeAnswer(question_id=questions[0].id, user_id=host.id, value="Design"))
        stage = socials[0]
        attended = {p.id for p in people[2:6]} if index == 0 else set()
        for person in people[1:]:
            session.add(
                SocialInvite(
                    social_id=stage.id,
                    invited_user_id=person.id,
                    invited_by_user_id=host.id,
                    did_attend=person.id in attended,
                )
            )
        if index == 0:
            joined = [people[2], people[3], people[4]]
            for person in joined:
                session.add(
                    SocialAttendee(
                        social_id=stage.id,
                        room_set_id=room_set.id,
                        user_id=person.id,
                        status=AttendeeStatus.JOINED,
                        is_present=True,
                        arrived_at=now,
                        first_joined_at=now,
                    )
                )
            session.add(
                SocialAttendee(
                    social_id=stage.id,
                    room_set_id=room_set.id,
                    user_id=people[5].id,
                    status=AttendeeStatus.LEFT,
                    arrived_at=now - timedelta(hours=1),
                    first_joined_at=now - timedelta(hours=1),
                )
            )
            stage.session_id = f"demo-session-{stage.id.hex[:8]}"
    await session.flush()
    return host
