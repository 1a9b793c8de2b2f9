"""The benchmark's reference routes, mounted only when the harness starts the server in bench mode.

`/bench/limit` answers precomputed bytes identical to an R1 page through the same server
stack, so the harness can compare R1 with the cost of the stack alone. Two steps between
the limit and R1 show where the rest goes: `/bench/session` adds R1's request-scoped
session dependency (no statement), `/bench/auth` adds the API-key check (one statement).
All three answer the same bytes. A normal start never has them.
The harness writes the page into the file after the server started (it fetches it from R1),
so the file is read on the first request and kept.
"""

from pathlib import Path

from fastapi import APIRouter, Response

from roomsets.kit.auth import CurrentUser
from roomsets.kit.db import SessionDep


def limit_router(page_file: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    body: list[bytes] = []

    def page() -> Response:
        if not body:
            body.append(page_file.read_bytes())
        return Response(content=body[0], media_type="application/json")

    @router.get("/bench/limit")
    async def limit() -> Response:
        return page()

    @router.get("/bench/session")
    async def with_session(session: SessionDep) -> Response:
        return page()

    @router.get("/bench/auth")
    async def with_auth(session: SessionDep, caller: CurrentUser) -> Response:
        return page()

    return router
