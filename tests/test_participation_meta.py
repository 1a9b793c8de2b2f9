"""After a scripted scenario, R1's socialMeta and myBadgeData equal what S8, S11 and B1 list."""

from tests.factories import make_caller, make_callers, make_room_set, rooms_of

QUESTIONS = [
    {"title": "Role", "inputType": "SINGLE_SELECT", "options": ["dev", "ops"], "required": True},
    {"title": "Skills", "inputType": "MULTI_SELECT", "options": ["py", "go"]},
    {"title": "Years", "inputType": "NUMBER"},
]


async def listed(client, headers, path, **params):
    response = await client.get(path, headers=headers, params={"size": 1000, **params})
    assert response.status_code == 200, response.text
    assert int(response.headers["X-Total-Count"]) == len(response.json())
    return response.json()


async def assert_r1_matches_the_lists(client, headers) -> int:
    """Every room of the caller's sets: socialMeta equals S8/S11, myBadgeData equals B1."""
    sets = await listed(client, headers, "/api/v1/social/room/set/mine")
    checked = 0
    for room_set in sets:
        badges = await listed(
            client, headers, "/api/v1/badging/user/badge/data", socialRoomSetId=room_set["socialRoomSetId"]
        )
        for room in room_set["socials"]:
            base = f"/api/v1/social/{room['socialId']}"
            invites = await listed(client, headers, f"{base}/invites")
            attendees = await listed(client, headers, f"{base}/attendees")
            present = await listed(client, headers, f"{base}/attendees", isPresent="true")
            meta = room["socialMeta"]
            assert meta["numberOfInvites"] == len(invites)
            assert meta["numberOfAttendees"] == len({a["attendeeUserId"] for a in attendees if a["dateTimeArrived"]})
            assert meta["numberCurrentlyPresent"] == len(present)
            assert room["isOpen"] == bool(present)
            assert room["myBadgeData"] == badges
            checked += 1
    return checked


async def test_social_meta_and_badge_data_match_the_lists_for_two_hosts(client, db):
    host, host_headers = await make_caller(db)
    other_host, other_headers = await make_caller(db)
    main = await make_room_set(db, host, rooms=2)
    lobby, hall = await rooms_of(db, main)
    lobby.max_participants = 2
    second = await make_room_set(db, other_host, host_admitted=True)
    (stage,) = await rooms_of(db, second)
    stage.host_admitted = True
    people = await make_callers(db, 5)
    (a, a_h), (b, b_h), (c, c_h), (d, d_h), (e, e_h) = people
    await db.commit()

    async def post(path, headers, json=None, **params):
        response = await client.post(path, headers=headers, json=json, params=params)
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def join(headers, room):
        return await post(f"/api/v1/social/{room.id}/join", headers)

    async def leave(headers, room):
        return await post(f"/api/v1/social/{room.id}/leave", headers)

    for room_set, headers in ((main, host_headers), (second, other_headers)):
        await post("/api/v1/badging/questions", headers, QUESTIONS, socialRoomSetId=str(room_set.id))
    invited = await post(
        f"/api/v1/social/invite/{lobby.id}",
        host_headers,
        [{"invitedUserId": str(u.id)} for u in (a, b, c, other_host)] + [{"invitedUserId": str(a.id)}],
    )
    assert [i["error"] is None for i in invited] == [True, True, True, True, False]
    await post(f"/api/v1/social/invite/{hall.id}", host_headers, [{"invitedUser": {"emailAddress": d.email}}])
    await post(f"/api/v1/social/invite/{stage.id}", other_headers, [{"invitedUserId": str(host.id)}])

    for headers, role in ((a_h, "dev"), (b_h, "ops"), (c_h, "dev"), (d_h, "ops"), (e_h, "dev"), (host_headers, "ops")):
        for room_set in (main, second):
            await post(
                "/api/v1/badging/user/badge/data", headers, [{"title": "Role", "value": role}], socialRoomSetId=str(room_set.id)
            )
    await post(
        "/api/v1/badging/user/badge/data",
        host_headers,
        [{"title": "Skills", "multiValues": ["go"]}, {"title": "Years", "value": "7"}],
        socialRoomSetId=str(main.id),
    )
    await post(
        "/api/v1/badging/user/badge/data", other_headers, [{"title": "Role", "value": "dev"}], socialRoomSetId=str(second.id)
    )

    assert (await join(a_h, lobby))["status"] == "JOINED"
    assert (await join(b_h, lobby))["status"] == "JOINED"
    assert (await join(c_h, lobby))["status"] == "WAITING"
    assert (await join(d_h, lobby))["status"] == "WAITING"
    await leave(a_h, lobby)  # c moves up from the queue
    assert (await join(b_h, hall))["socialChanged"] is True  # d moves up too
    await join(e_h, lobby)  # waits: c and d fill the lobby
    await join(host_headers, lobby)  # a host always gets in
    await leave(e_h, lobby)
    await join(a_h, hall)
    await leave(a_h, hall)

    waiting = [await join(h, stage) for h in (c_h, d_h, e_h, host_headers)]
    assert [w["status"] for w in waiting] == ["WAITING"] * 4  # joining the other set does not move anyone
    await post(f"/api/v1/social/{stage.id}/attendees/{waiting[0]['socialAttendeeId']}/admit", other_headers)
    await post(f"/api/v1/social/{stage.id}/attendees/{waiting[1]['socialAttendeeId']}/reject", other_headers)
    await join(other_headers, stage)
    await leave(e_h, stage)

    assert await assert_r1_matches_the_lists(client, host_headers) == 2
    assert await assert_r1_matches_the_lists(client, other_headers) == 1

    mine = (await listed(client, host_headers, "/api/v1/social/room/set/mine"))[0]
    metas = {s["socialId"]: s["socialMeta"] for s in mine["socials"]}
    assert [metas[str(lobby.id)][k] for k in ("numberOfInvites", "numberOfAttendees", "numberCurrentlyPresent")] == [4, 5, 3]
    assert [metas[str(hall.id)][k] for k in ("numberOfInvites", "numberOfAttendees", "numberCurrentlyPresent")] == [1, 2, 1]
    assert [(b["title"], b["value"], b["multiValues"]) for b in mine["socials"][0]["myBadgeData"]] == [
        ("Role", "ops", None),
        ("Skills", None, ["go"]),
        ("Years", "7", None),
    ]
    stage_meta = (await listed(client, other_headers, "/api/v1/social/room/set/mine"))[0]["socials"][0]["socialMeta"]
    assert [stage_meta[k] for k in ("numberOfInvites", "numberOfAttendees", "numberCurrentlyPresent")] == [1, 2, 2]
