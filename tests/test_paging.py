"""Paging and sorting of R1: the rules of kit/paging, through HTTP."""

from datetime import timedelta

import pytest

from roomsets.kit.db import utcnow
from tests.factories import make_caller, make_room_set

MINE = "/api/v1/social/room/set/mine"


async def seven_sets(db):
    host, headers = await make_caller(db)
    start = utcnow()
    specs = [("delta", 3), ("Alpha", 1), ("charlie", 3), ("bravo", 2), ("echo", 1), ("Foxtrot", 2), ("golf", 3)]
    for n, (name, count) in enumerate(specs):
        await make_room_set(db, host, name=name, group_former_count=count, created_at=start + timedelta(minutes=n))
    await db.commit()
    return headers


async def names(client, headers, **params):
    response = await client.get(MINE, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()]


CREATION_ORDER = ["delta", "Alpha", "charlie", "bravo", "echo", "Foxtrot", "golf"]


async def test_default_order_is_date_created_ascending(client, db):
    headers = await seven_sets(db)
    assert await names(client, headers) == CREATION_ORDER


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "bravo", "charlie", "delta", "echo", "Foxtrot", "golf"]),
        ("name,asc", ["Alpha", "bravo", "charlie", "delta", "echo", "Foxtrot", "golf"]),
        ("name,desc", ["golf", "Foxtrot", "echo", "delta", "charlie", "bravo", "Alpha"]),
        ("dateCreated,asc", CREATION_ORDER),
        ("dateCreated,desc", list(reversed(CREATION_ORDER))),
        (["groupFormerCount,asc", "name,asc"], ["Alpha", "echo", "bravo", "Foxtrot", "charlie", "delta", "golf"]),
        (["groupFormerCount,desc", "name,desc"], ["golf", "delta", "charlie", "Foxtrot", "bravo", "echo", "Alpha"]),
        (["groupFormerCount,asc", "dateCreated,desc"], ["echo", "Alpha", "Foxtrot", "bravo", "golf", "charlie", "delta"]),
    ],
)
async def test_sort_keys_both_ways_and_combined(client, db, sort, expected):
    headers = await seven_sets(db)
    assert await names(client, headers, sort=sort) == expected


async def test_ties_are_broken_by_id_so_pages_never_overlap(client, db):
    host, headers = await make_caller(db)
    same_time = utcnow()
    for _ in range(9):
        await make_room_set(db, host, name="same", group_former_count=1, created_at=same_time)
    await db.commit()
    for sort in ("name", "name,desc", "groupFormerCount", "dateCreated,desc"):
        seen = []
        for page in range(4):
            response = await client.get(MINE, headers=headers, params={"page": page, "size": 3, "sort": sort})
            seen += [s["socialRoomSetId"] for s in response.json()]
        assert len(seen) == 9 and len(set(seen)) == 9, sort
        ids = seen if not sort.endswith("desc") else list(reversed(seen))
        assert ids == sorted(ids), sort


async def test_pages_partition_the_list(client, db):
    headers = await seven_sets(db)
    pages = [await names(client, headers, page=p, size=3) for p in range(3)]
    assert pages == [CREATION_ORDER[:3], CREATION_ORDER[3:6], CREATION_ORDER[6:]]


async def test_page_past_the_end_is_an_empty_list(client, db):
    headers = await seven_sets(db)
    response = await client.get(MINE, headers=headers, params={"page": 50, "size": 3})
    assert response.status_code == 200 and response.json() == []
    assert response.headers["X-Total-Count"] == "7"
    assert 'rel="prev"' in response.headers["Link"] and 'rel="next"' not in response.headers["Link"]


def parse_links(header: str) -> dict[str, str]:
    links = {}
    for part in header.split(", "):
        url, rel = part.split("; ")
        links[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return links


async def test_link_header_has_first_prev_next_last(client, db):
    headers = await seven_sets(db)
    response = await client.get(MINE, headers=headers, params={"page": 1, "size": 3, "sort": "name,desc"})
    links = parse_links(response.headers["Link"])
    assert set(links) == {"first", "prev", "next", "last"}
    assert "page=0" in links["first"] and "page=0" in links["prev"]
    assert "page=2" in links["next"] and "page=2" in links["last"]
    assert all("size=3" in url and "sort=name%2Cdesc" in url for url in links.values())
    following = await client.get(links["next"], headers=headers)
    assert [s["name"] for s in following.json()] == ["Alpha"]


async def test_first_page_has_no_prev_and_last_page_no_next(client, db):
    headers = await seven_sets(db)
    first = parse_links((await client.get(MINE, headers=headers, params={"size": 7})).headers["Link"])
    assert set(first) == {"first", "last"}


async def test_largest_page_size_is_allowed(client, db):
    headers = await seven_sets(db)
    assert len(await names(client, headers, size=1000)) == 7


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": -1}, "page"),
        ({"page": "first"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"size": 0}, "size"),
        ({"size": 1001}, "size"),
        ({"size": "many"}, "size"),
        ({"sort": "socials"}, "sort"),
        ({"sort": "name,sideways"}, "sort"),
        ({"sort": ["name", "name,desc"]}, "sort"),
        ({"sort": ""}, "sort"),
    ],
)
async def test_bad_paging_values_are_400_naming_the_parameter(client, db, params, field):
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.get(MINE, headers=headers, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["instance"] == MINE
    assert [e["field"] for e in problem["errors"]] == [field]
    assert field in problem["detail"]
