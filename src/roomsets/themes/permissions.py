"""Who may use a theme, as an SQL filter: the one place for it.

A built-in theme (no owner) is usable by everyone; a custom theme by its creator and
by the users of the company the creator belonged to when making it. "Use" covers
seeing it (T2), picking it as a room's `themeId`, and reusing its images in a new
theme (`imageFarId` and the like). A theme that is not usable is not visible: 404.
"""

import uuid

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.kit.errors import NotFound
from roomsets.themes.models import Theme
from roomsets.users.models import User


def usable_theme(caller: User) -> ColumnElement[bool]:
    """Filter on Theme: the themes the caller may use."""
    same_company = Theme.company_id == caller.company_id if caller.company_id is not None else false()
    return or_(Theme.owner_user_id.is_(None), Theme.owner_user_id == caller.id, same_company)


async def usable(session: AsyncSession, caller: User, theme_id: uuid.UUID) -> Theme:
    """The theme, if the caller may use it; else 404."""
    theme = await session.scalar(select(Theme).where(Theme.id == theme_id, usable_theme(caller)))
    if theme is None:
        raise NotFound(f"There is no theme {theme_id} that you can use.")
    return theme
