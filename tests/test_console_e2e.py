"""The host console (/console) end to end: a real browser against a live server.

Playwright drives Debian's Chromium at /usr/bin/chromium; it never downloads a browser.
Where that binary is missing the browser tests are skipped with that reason, unless
ROOMSETS_TEST_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails them.

The browser tests run once, on SQLite: the console only calls the API, whose behaviour on
both engines the API tests cover, so a second run on PostgreSQL would double their time
without testing anything new. The page's headers are checked on both engines.

A failing browser step leaves a screenshot and the page's console messages in
test-artifacts/.
"""

import contextlib
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import Database, live_server
from tests.factories import make_caller

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("ROOMSETS_TEST_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Generous: the whole suite may share the machine with other test runs.
TIMEOUT_MS = 15_000
# A count change shows at the next timed refresh (every 5 s); three of them may pass.
REFRESH_WAIT_MS = 20_000
KEY_STORAGE = "roomsets.console.apiKey"


def require_browser() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"Chromium is not installed at {CHROMIUM}"
    if REQUIRE_BROWSER:
        pytest.fail(message + "; ROOMSETS_TEST_REQUIRE_BROWSER=1 makes the browser tests mandatory", pytrace=False)
    pytest.skip(message + "; browser tests of the console skipped (apt-get install chromium to run them)")


@dataclass
class Console:
    url: str
    page: Any
    messages: list[str] = field(default_factory=list)

    async def sign_in(self, key: str) -> None:
        await self.page.goto(f"{self.url}/console")
        await self.page.get_by_label("API key").fill(key)
        await self.page.get_by_role("button", name="Sign in", exact=True).click()

    def set_card(self, name: str) -> Any:
        return self.page.get_by_role("article", name=name, exact=True)

    def dialog(self) -> Any:
        return self.page.get_by_role("dialog")


@pytest.fixture
async def console(database: Database, db: AsyncSession, request: pytest.FixtureRequest) -> AsyncIterator[Console]:
    if database.backend != "sqlite":
        pytest.skip("browser tests run once, on SQLite (see the module docstring)")
    require_browser()
    from playwright.async_api import async_playwright

    with live_server(database) as url:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                page = await context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                console = Console(url, page)
                page.on("console", lambda message: console.messages.append(f"{message.type}: {message.text}"))
                page.on("pageerror", lambda error: console.messages.append(f"pageerror: {error}"))
                yield console
            finally:
                await browser.close()


@contextlib.asynccontextmanager
async def screenshot_on_failure(console: Console, name: str) -> AsyncIterator[None]:
    try:
        yield
    except BaseException as failure:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            await console.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        lines = [f"failure: {failure!r}", f"url: {console.page.url}", "page console:", *console.messages]
        (ARTIFACTS / f"{name}.log").write_text("\n".join(lines) + "\n")
        raise


async def commit(db: AsyncSession) -> None:
    await db.commit()


def problems_in(messages: list[str]) -> list[str]:
    """Script errors and policy violations; expected failed loads (a refused key) are not problems."""
    return [m for m in messages if m.startswith("pageerror") or "Content Security Policy" in m]


async def test_host_creates_copies_admits_and_deletes_through_the_console(
    console: Console, db: AsyncSession, request: pytest.FixtureRequest
) -> None:
    host, host_headers = await make_caller(db, first_name="Hana", last_name="Host")
    guest, guest_headers = await make_caller(db, first_name="Wes", last_name="Waiting")
    await commit(db)
    page = console.page
    async with httpx.AsyncClient(base_url=console.url, timeout=10) as api:
        town_hall = (
            await api.post("/api/v1/social/room/set", json={"name": "Town Hall", "hostAdmitted": True}, headers=host_headers)
        ).json()
        room_id = town_hall["socials"][0]["socialId"]
        joined = await api.post(f"/api/v1/social/{room_id}/join", headers=guest_headers)
        assert joined.json()["status"] == "WAITING", joined.text

        async with screenshot_on_failure(console, request.node.name):
            await console.sign_in(host_headers["X-API-Key"])
            await page.get_by_text("Hana Host").wait_for()
            assert await page.evaluate(f"sessionStorage.getItem('{KEY_STORAGE}')") == host_headers["X-API-Key"]
            assert await page.evaluate("localStorage.length") == 0

            # A set with two rooms.
            await page.get_by_role("button", name="New room set", exact=True).click()
            dialog = console.dialog()
            await dialog.get_by_label("Name", exact=True).fill("Spring Summit")
            await dialog.get_by_label("Size of the first room").select_option("Small")
            await dialog.get_by_role("button", name="Create room set").click()
            summit = console.set_card("Spring Summit")
            await summit.get_by_role("heading", name="Spring Summit", exact=True, level=2).wait_for()
            await summit.get_by_role("button", name="Add a room to Spring Summit").click()
            await dialog.get_by_label("Name", exact=True).fill("Breakout")
            await dialog.get_by_label("Size", exact=True).select_option("Mini")
            await dialog.get_by_role("button", name="Add room", exact=True).click()
            await summit.get_by_role("heading", name="Breakout", exact=True).wait_for()
            await summit.get_by_text("2,000 × 2,000 px").wait_for()
            await summit.get_by_text("4,000 × 4,000 px").wait_for()

            # Its copy.
            await summit.get_by_role("button", name="Copy Spring Summit", exact=True).click()
            assert await dialog.get_by_label("Name of the copy").input_value() == "Copy of Spring Summit"
            await dialog.get_by_role("button", name="Copy room set", exact=True).click()
            copy = console.set_card("Copy of Spring Summit")
            await copy.get_by_role("heading", name="Breakout", exact=True).wait_for()
            await copy.get_by_text("2 rooms", exact=True).wait_for()

            # A phone's width: the page reflows instead of scrolling sideways.
            await page.set_viewport_size({"width": 375, "height": 800})
            assert await page.evaluate("document.documentElement.scrollWidth") <= 375
            await page.set_viewport_size({"width": 1280, "height": 900})

            # The waiting guest, admitted.
            hall = console.set_card("Town Hall")
            await hall.get_by_role("button", name="People in Town Hall", exact=True).click()
            await dialog.get_by_role("button", name="Admit Wes Waiting", exact=True).click()
            present = dialog.locator(".people-section", has=page.get_by_role("heading", name=re.compile("^Present")))
            await present.get_by_text("Wes Waiting", exact=True).wait_for()
            await dialog.get_by_role("button", name="Close", exact=True).click()
            await hall.locator(f'[data-count="{room_id}:numberCurrentlyPresent"]').filter(has_text="1").wait_for()

            # Counts follow the room while the page stays open.
            summit_room = next(
                s["socials"][0]["socialId"]
                for s in (await api.get("/api/v1/social/room/set/mine", headers=host_headers)).json()
                if s["name"] == "Spring Summit"
            )
            visitor_headers = (await make_caller(db))[1]
            await commit(db)
            visit = await api.post(f"/api/v1/social/{summit_room}/join", headers=visitor_headers)
            assert visit.json()["status"] == "JOINED", visit.text
            present_count = summit.locator(f'[data-count="{summit_room}:numberCurrentlyPresent"]')
            await present_count.filter(has_text="1").wait_for(timeout=REFRESH_WAIT_MS)

            # The copy, deleted after a question; Escape backs out and focus returns to the button.
            delete_copy = copy.get_by_role("button", name="Delete Copy of Spring Summit", exact=True)
            await delete_copy.focus()
            await page.keyboard.press("Enter")
            await dialog.get_by_text("This cannot be undone.", exact=False).wait_for()
            await page.keyboard.press("Escape")
            await dialog.wait_for(state="hidden")
            assert await delete_copy.evaluate("button => button === document.activeElement")
            await delete_copy.click()
            await dialog.get_by_role("button", name="Delete room set", exact=True).click()
            await copy.wait_for(state="detached")
            await page.get_by_text("Deleted “Copy of Spring Summit”.").wait_for()

            # Signing out forgets the key.
            await page.get_by_role("button", name="Sign out", exact=True).click()
            await page.get_by_label("API key").wait_for()
            assert await page.evaluate(f"sessionStorage.getItem('{KEY_STORAGE}')") is None

        assert problems_in(console.messages) == []
        mine = (await api.get("/api/v1/social/room/set/mine", params={"sort": "name,asc"}, headers=host_headers)).json()
        assert [(s["name"], len(s["socials"])) for s in mine] == [("Spring Summit", 2), ("Town Hall", 1)]
        attendees = (await api.get(f"/api/v1/social/{room_id}/attendees", headers=host_headers)).json()
        assert [(a["attendeeUserId"], a["status"]) for a in attendees] == [(str(guest.id), "JOINED")]


async def test_sign_in_with_a_bad_key_says_why_in_words(console: Console, request: pytest.FixtureRequest) -> None:
    async with screenshot_on_failure(console, request.node.name):
        await console.sign_in("rsk_not_a_real_key")
        alert = console.page.locator("#sign-in-error")
        await alert.get_by_text("The API key is not valid.").wait_for()
        assert await alert.get_attribute("role") == "alert"
        assert await console.page.get_by_label("API key").get_attribute("aria-invalid") == "true"
        assert await console.page.evaluate(f"sessionStorage.getItem('{KEY_STORAGE}')") is None
        assert await console.page.get_by_role("button", name="Sign out").is_hidden()
    assert problems_in(console.messages) == []


async def test_console_page_is_served_under_a_strict_policy(client: httpx.AsyncClient) -> None:
    page = await client.get("/console")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert re.search(r"script-src 'self'\s*;", policy), policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script>" not in page.text
    for name, content_type in [("app.js", "text/javascript"), ("api.js", "text/javascript"), ("style.css", "text/css")]:
        asset = await client.get(f"/console/{name}")
        assert asset.status_code == 200
        assert asset.headers["content-type"].startswith(content_type)


async def test_console_serves_only_its_own_files(client: httpx.AsyncClient) -> None:
    for path in ["/console/routes.py", "/console/__init__.py", "/console/..%2Fapp.py", "/console/nothing.js"]:
        answer = await client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"
