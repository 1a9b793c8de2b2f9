"""Bench mode's reference routes exist only when the harness asks for them."""

from tests.conftest import make_settings, running_app
from tests.factories import make_caller

ROUTES = ["/bench/limit", "/bench/session", "/bench/auth"]


async def test_a_normal_start_has_no_bench_routes(client):
    for path in ROUTES:
        assert (await client.get(path)).status_code == 404


async def test_bench_mode_answers_the_page_file_through_each_step(database, db, tmp_path):
    page = tmp_path / "page.json"
    page.write_bytes(b'[{"name":"a page"}]')
    _, headers = await make_caller(db)
    await db.commit()
    async with running_app(make_settings(database, bench_limit_file=str(page))) as (_, client):
        for path in ROUTES:
            response = await client.get(path, headers=headers)
            assert (response.status_code, response.content) == (200, page.read_bytes()), path
        refused = await client.get("/bench/auth")
        assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
