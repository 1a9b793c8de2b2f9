"""Arranging data for tests: small functions with sensible defaults, real API keys."""

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging.models import BadgeAnswer, BadgeQuestion, InputType
from roomsets.kit.db import utcnow
from roomsets.rooms.models import Social, SocialAlternateHost
from roomsets.sets.models import RoomSet, RoomSetAlternateHost
from roomsets.themes.models import Theme, ThemeTile, ThemeType, TileLayer
from roomsets.users import service as users
from roomsets.users.models import User
from tests.conftest import TEST_SECRET

_sequence = itertools.count(1)


async def make_user(session: AsyncSession, **kwargs: Any) -> User:
    n = next(_sequence)
    values: dict[str, Any] = {"email": f"user{n}@example.test", "first_name": "User", "last_name": f"No{n}"}
    values.update(kwargs)
    return await users.create_user(session, **values)


async def make_key(session: AsyncSession, user: User) -> str:
    return (await users.create_key(session, TEST_SECRET, user)).key


async def make_caller(session: AsyncSession, **kwargs: Any) -> tuple[User, dict[str, str]]:
    """A user and the headers that authenticate as them."""
    user = await make_user(session, **kwargs)
    return user, {"X-API-Key": await make_key(session, user)}


async def make_theme(session: AsyncSession, *, tiles: int = 0, **kwargs: Any) -> Theme:
    values: dict[str, Any] = {"type": ThemeType.SINGLE_COLOR, "name": f"Theme {next(_sequence)}", "color_primary": "#112233"}
    values.update(kwargs)
    theme = Theme(**values)
    session.add(theme)
    await session.flush()
    for position in range(tiles):
        session.add(
            ThemeTile(
                theme_id=theme.id,
                layer=TileLayer.SINGLE,
                position=position,
                key=f"themes/{theme.id}/tile-{position}.png",
                x=position * 1024,
                y=0,
                width=1024,
                height=1024,
            )
        )
    await session.flush()
    return theme


async def make_room_set(
    session: AsyncSession,
    host: User,
    *,
    rooms: int = 1,
    alternate_hosts: list[User] = (),  # type: ignore[assignment]
    room_alternate_hosts: list[User] = (),  # type: ignore[assignment]
    theme: Theme | None = None,
    created_at: datetime | None = None,
    **kwargs: Any,
) -> RoomSet:
    created_at = created_at or utcnow()
    room_set = RoomSet(
        name=kwargs.pop("name", f"Set {next(_sequence)}"),
        host_user_id=host.id,
        created_at=created_at,
        updated_at=created_at,
        **kwargs,
    )
    session.add(room_set)
    await session.flush()
    socials = []
    for index in range(rooms):
        social = Social(
            room_set_id=room_set.id,
            creator_user_id=host.id,
            company_id=host.company_id,
            name=f"Room {index + 1}",
            theme_id=theme.id if theme else None,
            created_at=created_at + timedelta(seconds=index),
            updated_at=created_at + timedelta(seconds=index),
            updated_by_user_id=host.id,
        )
        session.add(social)
        socials.append(social)
    await session.flush()
    room_set.starting_point_social_id = socials[0].id if socials else None
    for user in alternate_hosts:
        session.add(RoomSetAlternateHost(room_set_id=room_set.id, user_id=user.id))
    for social in socials:
        for user in room_alternate_hosts:
            session.add(SocialAlternateHost(social_id=social.id, user_id=user.id))
    await session.flush()
    return room_set


async def make_badge_question(
    session: AsyncSession, room_set: RoomSet, *, position: int = 0, **kwargs: Any
) -> BadgeQuestion:
    values: dict[str, Any] = {"title": f"Question {position}", "input_type": InputType.TEXT}
    values.update(kwargs)
    question = BadgeQuestion(room_set_id=room_set.id, position=position, **values)
    session.add(question)
    await session.flush()
    return question


async def answer(session: AsyncSession, question: BadgeQuestion, user: User, value: str | None = None, multi_values: list[str] | None = None) -> None:
    session.add(BadgeAnswer(question_id=question.id, user_id=user.id, value=value, multi_values=multi_values))
    await session.flush()


def new_id() -> str:
    return str(uuid.uuid4())


async def api_create_set(client: Any, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    """A room set made through R3, as R3 answers it."""
    body.setdefault("name", f"Set {next(_sequence)}")
    response = await client.post("/api/v1/social/room/set", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def make_entry_configuration(session: AsyncSession, room_set_id: uuid.UUID, *, rooms: list[uuid.UUID] = (), **kwargs: Any) -> Any:  # type: ignore[assignment]
    """An entry configuration of a set, linked to `rooms` (their configuration_id)."""
    from sqlalchemy import update

    from roomsets.participation.models import EntryConfiguration

    configuration = EntryConfiguration(room_set_id=room_set_id, **kwargs)
    session.add(configuration)
    await session.flush()
    if rooms:
        await session.execute(update(Social).where(Social.id.in_(rooms)).values(configuration_id=configuration.id))
    return configuration


async def make_invite(session: AsyncSession, social_id: uuid.UUID, user: User) -> None:
    from roomsets.participation.models import SocialInvite

    session.add(SocialInvite(social_id=social_id, invited_user_id=user.id))
    await session.flush()


def make_image(width: int, height: int, *, image_format: str = ".png", alpha: bool = False) -> bytes:
    """A real image with a pattern (so tiles differ), encoded as `.png`, `.jpg` or `.webp`."""
    import pyvips

    xy = pyvips.Image.xyz(width, height)
    bands = [(xy[0] % 256).cast("uchar"), (xy[1] % 256).cast("uchar"), ((xy[0] + xy[1]) % 256).cast("uchar")]
    if alpha:
        bands.append(((xy[0] * 255 / max(width - 1, 1)) % 256).cast("uchar"))
    image = bands[0].bandjoin(bands[1:]).copy(interpretation="srgb")
    return image.write_to_buffer(image_format)


async def rooms_of(session: AsyncSession, room_set: RoomSet) -> list[Social]:
    """The rooms of a set, oldest first."""
    from sqlalchemy import select

    return list(
        await session.scalars(
            select(Social).where(Social.room_set_id == room_set.id).order_by(Social.created_at, Social.id)
        )
    )


async def make_callers(session: AsyncSession, count: int, **kwargs: Any) -> list[tuple[User, dict[str, str]]]:
    return [await make_caller(session, **kwargs) for _ in range(count)]
