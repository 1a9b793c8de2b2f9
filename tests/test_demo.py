"""`roomsets demo`: the demo data set, built through the room set and room services."""

from sqlalchemy import func, select

from roomsets.demo import HOST_EMAIL, SETS, load_demo
from roomsets.models import Base
from tests.conftest import TEST_SECRET

MINE = "/api/v1/social/room/set/mine"


async def _counts(db):
    return {
        table.name: await db.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables
    }


async def test_loading_twice_creates_no_duplicates_and_gives_the_same_key(db):
    first = await load_demo(db, TEST_SECRET)
    await db.commit()
    counts = await _counts(db)
    second = await load_demo(db, TEST_SECRET)
    await db.commit()
    assert (first.created, second.created) == (True, False)
    assert second.key == first.key
    assert await _counts(db) == counts
    assert counts["room_sets"] == len(SETS)
    assert counts["socials"] == sum(len(rooms) for *_, rooms in SETS)


async def test_the_demo_host_sees_the_demo_sets_in_r1(client, db):
    result = await load_demo(db, TEST_SECRET)
    await db.commit()
    body = (await client.get(MINE, headers={"X-API-Key": result.key})).json()
    assert [s["name"] for s in body] == [name for name, *_ in SETS]
    for item, (name, permission, entry_option, host_admitted, rooms) in zip(body, SETS):
        assert item["hostUser"]["emailAddress"] == HOST_EMAIL
        assert (item["socialPermissionType"], item["entryOption"], item["hostAdmitted"]) == (
            permission.value, entry_option.value, host_admitted
        )
        assert [r["name"] for r in item["socials"]] == [room for room, _ in rooms]
        assert item["startingPointSocialId"] == item["socials"][0]["socialId"]
        assert [u["name"] for u in item["alternateHosts"]] == ["Alex Altman"]
        assert all(r["theme"] is not None and r["configurationId"] is not None for r in item["socials"])
        assert [u["name"] for u in item["socials"][0]["alternateHosts"]] == ["Alex Altman"]
        assert [r["updatedByUser"]["name"] for r in item["socials"]] == ["Dana Host"] + ["Alex Altman"] * (len(rooms) - 1)
        assert [b["title"] for b in item["socials"][0]["myBadgeData"]] == ["Role", "Say hello"]
    stage = body[0]["socials"][0]
    assert stage["isOpen"] is True
    assert (stage["socialMeta"]["numberOfInvites"], stage["socialMeta"]["numberCurrentlyPresent"]) == (5, 3)
    assert (stage["startingWidth"], stage["maxParticipants"]) == (12000, 125)
