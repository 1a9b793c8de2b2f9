import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep
from roomsets.kit.errors import problem_responses
from roomsets.kit.paging import PageRequest, page_params, set_page_headers
from roomsets.users import service
from roomsets.users.schemas import User

router = APIRouter(prefix="/api/v1", tags=["Users"], responses=problem_responses(400, 401))

CompanyUsersPage = Annotated[
    PageRequest, Depends(page_params(list(service.COMPANY_USERS_SORTABLE), default_sort="name,asc"))
]


@router.get("/user/me", summary="Get the caller", operation_id="getMe")
async def get_me(caller: CurrentUser) -> User:
    """The user whose API key made the request."""
    return User.from_model(caller)


@router.get(
    "/company/{companyId}/users",
    summary="Get Company Users",
    operation_id="getCompanyUsers",
    responses=problem_responses(404),
)
async def get_company_users(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: CurrentUser,
    page: CompanyUsersPage,
    company_id: Annotated[uuid.UUID, Path(alias="companyId")],
) -> list[User]:
    """Users of a company, paged; only members of the company may list them (others get 404)."""
    users, total = await service.company_users(session, caller, company_id, page)
    set_page_headers(request, response, page, total)
    return [User.from_model(u) for u in users]
