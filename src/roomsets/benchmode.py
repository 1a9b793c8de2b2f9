"""The benchmark's "limit" route, mounted only when the harness starts the server in bench mode.

It answers precomputed bytes identical to an R1 page through the same server stack, so
the harness can compare R1 with the cost of the stack alone. A normal start never has it.
The harness writes the page into the file after the server started (it fetches it from R1),
so the file is read on the first request and kept.
"""

from pathlib import Path

from fastapi import APIRouter, Response


def limit_router(page_file: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    body: list[bytes] = []

    @router.get("/bench/limit")
    async def limit() -> Response:
        if not body:
            body.append(page_file.read_bytes())
        return Response(content=body[0], media_type="application/json")

    return router
