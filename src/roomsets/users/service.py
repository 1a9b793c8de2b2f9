"""Accounts and API keys: the operator's side (CLI) and the lookups the API needs."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.kit.auth import NewKey, new_key
from roomsets.kit.db import utcnow
from roomsets.kit.errors import Conflict, Invalid, NotFound
from roomsets.kit.paging import PageRequest
from roomsets.users.models import ApiKey, Company, User


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise Invalid("email", f"{email!r} is not an e-mail address")
    return email


async def get_or_create_company(session: AsyncSession, name: str) -> Company:
    company = await session.scalar(select(Company).where(Company.name == name))
    if company is None:
        company = Company(name=name)
        session.add(company)
        await session.flush()
    return company


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def get_user_by_email(session: AsyncSession, email: str) -> User:
    user = await find_user_by_email(session, email)
    if user is None:
        raise NotFound(f"There is no user with e-mail {email!r}.")
    return user


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    first_name: str,
    last_name: str,
    company_name: str | None = None,
    guest: bool = False,
    email_verified: bool = False,
    time_zone: str = "UTC",
    user_id: uuid.UUID | None = None,
) -> User:
    email = normalize_email(email)
    if await find_user_by_email(session, email) is not None:
        raise Conflict(f"A user with e-mail {email!r} exists already.")
    company = await get_or_create_company(session, company_name) if company_name else None
    user = User(
        id=user_id or uuid.uuid4(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        name=f"{first_name} {last_name}".strip(),
        company_id=company.id if company else None,
        is_guest=guest,
        email_verified=email_verified,
        time_zone=time_zone,
    )
    session.add(user)
    await session.flush()
    return user


async def create_key(session: AsyncSession, secret: str, user: User, material: str | None = None) -> NewKey:
    """A new API key for `user`; the returned `key` is the only time it is visible."""
    for _ in range(5):
        made = new_key(secret, material)
        if await session.scalar(select(ApiKey.id).where(ApiKey.prefix == made.prefix)) is None:
            break
        if material is not None:
            return made
    else:
        raise Conflict("Could not find a free key prefix; try again.")
    session.add(ApiKey(user_id=user.id, prefix=made.prefix, key_hash=made.key_hash))
    await session.flush()
    return made


async def list_keys(session: AsyncSession, user: User) -> Sequence[ApiKey]:
    return (
        await session.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.created_at))
    ).all()


async def revoke_key(session: AsyncSession, prefix: str) -> ApiKey:
    key = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"There is no API key with prefix {prefix!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key


COMPANY_USERS_SORTABLE = {
    "name": func.lower(User.name),
    "emailAddress": User.email,
    "registeredDateTime": User.registered_at,
}


async def company_users(
    session: AsyncSession, caller: User, company_id: uuid.UUID, page: PageRequest
) -> tuple[Sequence[User], int]:
    """U1: one page of a company's users and their total; only its own members may list them."""
    if caller.company_id != company_id:
        raise NotFound(f"There is no company {company_id} that you belong to.")
    members = User.company_id == company_id
    total = (await session.execute(select(func.count()).select_from(User).where(members))).scalar_one()
    rows = (
        await session.scalars(
            page.select_page(select(User).where(members), COMPANY_USERS_SORTABLE, User.id)
        )
    ).all()
    return rows, total
