"""R1's render cache never serves stale data.

After every kind of write, through the API and straight to the database, R1's bytes equal a
render that bypasses the cache, on both engines; a write through one instance is seen by
the next R1 on another instance; a fragment expires when a room's end time passes.
"""

from datetime import timedelta

import pytest
from pydantic import TypeAdapter
from sqlalchemy import select, update

from roomsets.kit.db import create_sessionmaker, utcnow
from roomsets.rooms.models import Social
from roomsets.sets import queries
from roomsets.sets.models import RoomSet
from roomsets.sets.render_cache import RenderCache, fragment, join_sets
from roomsets.sets.schemas import SocialRoomSet
from roomsets.themes.models import Theme, ThemeTile, TileLayer, UploadState
from roomsets.users.models import Company, User
from tests.conftest import make_settings, running_app
from tests.factories import answer, make_badge_question, make_caller, make_room_set, make_theme, make_user, rooms_of

MINE = "/api/v1/social/room/set/mine"
SETS = "/api/v1/social/room/set"
ROOMS = "/api/v1/social"
PAGE = {"page": 0, "size": 20, "sort": "dateCreated,asc"}
PAGES = TypeAdapter(list[SocialRoomSet])


def answers_of(room_set: SocialRoomSet) -> dict:
    """The answers of the caller a set was rendered for, by question title."""
    badges = room_set.socials[0].my_badge_data if room_set.socials else []
    return {q.title: (q.value, q.multi_values) for q in badges if q.value is not None or q.multi_values is not None}


async def uncached(app, database, caller: User) -> bytes:
    """The caller's first page rendered without the cache, in a session of its own."""
    async with create_sessionmaker(database.engine)() as session:
        sets = (
            await session.scalars(
                select(RoomSet).where(RoomSet.host_user_id == caller.id).order_by(RoomSet.created_at, RoomSet.id)
            )
        ).all()
        return PAGES.dump_json(await queries.render_room_sets(session, caller, sets, app.state.media))


class Scene:
    """Two hosts whose sets share people and a theme, R1 warmed for both."""

    def __init__(self, client, app, database, db):
        self.client, self.app, self.database, self.db = client, app, database, db

    async def arrange(self):
        db = self.db
        self.host, self.headers = await make_caller(db, company_name="Acme")
        self.other, self.other_headers = await make_caller(db)
        self.guest, self.guest_headers = await make_caller(db)
        self.shared = await make_user(db)
        self.theme = await make_theme(db, tiles=2)
        self.room_set = await make_room_set(
            db, self.host, rooms=3, theme=self.theme, alternate_hosts=[self.shared], room_alternate_hosts=[self.shared]
        )
        self.second = await make_room_set(db, self.host, rooms=1, created_at=utcnow() + timedelta(minutes=1))
        self.others = await make_room_set(db, self.other, rooms=2, theme=self.theme, alternate_hosts=[self.shared])
        question = await make_badge_question(db, self.room_set, title="Team")
        await answer(db, question, self.host, value="blue")
        await answer(db, question, self.guest, value="red")
        await db.commit()
        self.rooms = await rooms_of(db, self.room_set)
        await self.check()

    async def mine(self, headers) -> bytes:
        response = await self.client.get(MINE, headers=headers, params=PAGE)
        assert response.status_code == 200, response.text
        return response.content

    async def check(self) -> None:
        """R1 (cache warmed by an earlier call) equals the uncached render, for both hosts."""
        for user, headers in ((self.host, self.headers), (self.other, self.other_headers)):
            first = await self.mine(headers)
            assert first == await uncached(self.app, self.database, user)
            assert await self.mine(headers) == first

    async def ok(self, response) -> dict:
        assert response.status_code in (200, 201, 204), response.text
        await self.check()
        return response.json() if response.content else {}


@pytest.fixture
async def scene(client, app, database, db):
    arranged = Scene(client, app, database, db)
    await arranged.arrange()
    return arranged


async def test_every_api_write_is_seen_by_the_next_r1(scene):
    c, s = scene.client, scene
    set_id, room_id = str(s.room_set.id), str(s.rooms[0].id)
    before = await s.mine(s.headers)
    await s.ok(await c.post(f"{SETS}/update", headers=s.headers, json={"socialRoomSetId": set_id, "name": "Renamed"}))
    assert await s.mine(s.headers) != before
    await s.ok(await c.post(f"{SETS}/update", headers=s.headers, json={"socialRoomSetId": set_id, "alternateHostUserIds": []}))
    await s.ok(await c.post(f"{ROOMS}/update", headers=s.headers, json={"socialId": room_id, "name": "Lobby", "hostAdmitted": True}))
    await s.ok(await c.post(f"{ROOMS}/update", headers=s.headers, json={"socialId": room_id, "alternateHostUserIds": [str(s.other.id)]}))
    await s.ok(await c.post(f"{ROOMS}/update", headers=s.headers, json={"socialId": room_id, "themeId": None}))
    created = await s.ok(await c.post(ROOMS, headers=s.headers, json={"socialRoomSetId": set_id, "name": "Annex"}))
    await s.ok(await c.delete(f"{ROOMS}/{created['socialId']}", headers=s.headers))
    await s.ok(await c.post(f"/api/v1/social/invite/{room_id}", headers=s.headers, json=[{"invitedUserId": str(s.guest.id)}]))
    await s.ok(await c.post(f"{ROOMS}/{room_id}/join", headers=s.headers))
    await s.ok(await c.post(f"{ROOMS}/{room_id}/join", headers=s.other_headers))
    waiting = await s.ok(await c.post(f"{ROOMS}/{room_id}/join", headers=s.guest_headers))
    assert waiting["status"] == "WAITING"  # host-admitted room
    await s.ok(await c.post(f"{ROOMS}/{room_id}/attendees/{waiting['socialAttendeeId']}/admit", headers=s.headers))
    await s.ok(await c.post(f"{ROOMS}/{room_id}/leave", headers=s.other_headers))
    params = {"socialRoomSetId": set_id}
    questions = [{"title": "Team", "inputType": "TEXT"}, {"title": "Role", "inputType": "TEXT"}]
    await s.ok(await c.post("/api/v1/badging/questions", headers=s.headers, params=params, json=questions))
    await s.ok(await c.post("/api/v1/badging/user/badge/data", headers=s.headers, params=params, json=[{"title": "Role", "value": "lead"}]))
    assert b'"value":"lead"' in await s.mine(s.headers)
    copied = await s.ok(await c.post(f"{SETS}/copy", headers=s.headers, params={"socialRoomSetId": set_id}))
    await s.ok(await c.delete(f"{SETS}/{copied['socialRoomSetId']}", headers=s.headers))
    await s.ok(await c.post(SETS, headers=s.headers, json={"name": "Fresh", "socials": [{"name": "Hall"}]}))


async def test_writes_straight_to_the_database_are_seen_too(scene):
    """Users, companies and themes have no write endpoint of their own: the CLI, jobs and
    operators change them; the triggers still bump every set they appear in."""
    s, db = scene, scene.db
    before = await s.mine(s.other_headers)
    await db.execute(update(User).where(User.id == s.shared.id).values(first_name="Renamed"))
    await db.commit()
    await s.check()
    assert await s.mine(s.other_headers) != before
    await db.execute(update(Company).where(Company.id == s.host.company_id).values(name="Acme Two"))
    await db.commit()
    await s.check()
    db.add(ThemeTile(theme_id=s.theme.id, layer=TileLayer.SINGLE, position=9, key="t/9.png", x=0, y=0, width=8, height=8))
    await db.execute(update(Theme).where(Theme.id == s.theme.id).values(upload_status=UploadState.COMPLETED, upload_progress=100))
    await db.commit()
    await s.check()
    await db.execute(update(User).where(User.id == s.host.id).values(last_name="Hopper"))
    await db.commit()
    await s.check()
    await db.delete(await db.get(Theme, s.theme.id))  # the rooms' theme becomes null
    await db.commit()
    await s.check()


async def test_the_callers_own_answers_are_spliced_in(scene):
    """One cached fragment, two callers who see the set: each gets their own myBadgeData."""
    s = scene
    mine = await s.mine(s.headers)
    assert b'"value":"blue"' in mine and b'"value":"red"' not in mine


async def test_a_fragment_expires_when_a_room_ends(scene, monkeypatch):
    s, db = scene, scene.db
    ends = utcnow() + timedelta(hours=1)
    await db.execute(update(Social).where(Social.id == s.rooms[0].id).values(end_at=ends))
    await db.commit()
    assert b'"isValid":false' not in await s.mine(s.headers)
    monkeypatch.setattr(queries, "utcnow", lambda: ends + timedelta(seconds=1))
    later = await s.mine(s.headers)
    assert later.count(b'"isValid":false') == 1


async def test_a_write_on_one_instance_is_seen_by_the_next_r1_on_another(scene, database):
    s = scene
    async with running_app(make_settings(database)) as (_, other_client):
        async def on_other() -> bytes:
            response = await other_client.get(MINE, headers=s.headers, params=PAGE)
            assert response.status_code == 200
            return response.content

        assert await on_other() == await s.mine(s.headers)  # both instances hold the set now
        response = await other_client.post(
            f"{SETS}/update", headers=s.headers, json={"socialRoomSetId": str(s.room_set.id), "name": "Moved"}
        )
        assert response.status_code == 200, response.text
        seen_here = await s.mine(s.headers)
        assert b'"name":"Moved"' in seen_here
        assert seen_here == await on_other() == await uncached(s.app, s.database, s.host)


async def test_the_cache_shares_users_and_themes_and_stays_within_its_budget(scene):
    s, now = scene, utcnow()
    async with create_sessionmaker(s.database.engine)() as session:
        sets = [await session.get(RoomSet, x.id) for x in (s.room_set, s.second, s.others)]
        rendered = await queries.render_room_sets(session, s.host, sets, s.app.state.media)
    first, second, third = (fragment(r, 1, now) for r in rendered)
    assert join_sets([(first, answers_of(rendered[0]))]) == PAGES.dump_json([rendered[0]])

    roomy = RenderCache(max_bytes=10**9)
    kept_first, kept_third = roomy.put(first), roomy.put(third)
    theme_chunks = [[c for c in f.chunks if c and c.startswith(b'{"socialThemeId"')] for f in (kept_first, kept_third)]
    assert theme_chunks[0][0] is theme_chunks[1][0]  # one copy of the theme for both sets
    shared = {id(c): c for f in (kept_first, kept_third) for c in f.shared}
    assert roomy.bytes < first.size + third.size + sum(len(c) for c in first.shared | third.shared) + 200 * len(shared)
    assert roomy.get(first.set_id, 2, now) is None and roomy.get(first.set_id, 1, now) is kept_first
    roomy.put(fragment(rendered[0], 0, now))  # an older render losing a race is not kept
    assert roomy.get(first.set_id, 1, now) is kept_first

    budget = RenderCache(max_bytes=first.size + second.size + sum(len(c) + 100 for c in first.shared | second.shared))
    for item in (first, second, third):
        budget.put(item)
        assert budget.bytes <= budget.max_bytes
    assert budget.get(first.set_id, 1, now) is None  # the least recently used went first
    assert budget.get(third.set_id, 1, now) is not None
    for item in (first, second, third):  # replacing and evicting gives every shared byte back
        budget.put(fragment(rendered[[first, second, third].index(item)], 5, now))
    empty = RenderCache(max_bytes=0)
    assert empty.put(first) is first and len(empty) == 0 and empty.bytes == 0
