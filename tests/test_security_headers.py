"""Security headers, the API reference page's CSP, and CORS (off unless configured)."""

import base64
import hashlib
import re

from tests.conftest import make_settings, running_app

MINE = "/api/v1/social/room/set/mine"


async def test_api_answers_forbid_everything_active(client):
    for response in (await client.get("/health"), await client.get(MINE)):
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_docs_page_allows_exactly_its_inline_script_by_hash(client):
    response = await client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for script in re.findall(r"<script>(.*?)</script>", response.text, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


async def test_cors_is_off_by_default(client):
    response = await client.options(MINE, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_only_configured_origins(database):
    settings = make_settings(database, cors_origins=["https://console.example"])
    async with running_app(settings) as (_, client):
        preflight = await client.options(
            MINE,
            headers={"Origin": "https://console.example", "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "X-API-Key"},
        )
        assert preflight.headers["access-control-allow-origin"] == "https://console.example"
        answer = await client.get(MINE, headers={"Origin": "https://console.example"})
        assert "X-Total-Count" in answer.headers["access-control-expose-headers"]
        other = await client.get(MINE, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
