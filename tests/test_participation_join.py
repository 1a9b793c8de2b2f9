"""S9–S11: entering and leaving rooms, the queue, host admission and the attendee list."""

import pytest

from roomsets.participation.models import EntryConfiguration
from roomsets.sets.models import EntryOption, SocialPermissionType
from tests.factories import make_badge_question, make_caller, make_callers, make_room_set, make_user, rooms_of


def url(room, action: str = "join") -> str:
    return f"/api/v1/social/{room.id}/{action}"


async def join(client, headers, room):
    return await client.post(url(room), headers=headers)


async def leave(client, headers, room):
    return await client.post(url(room, "leave"), headers=headers)


async def decide(client, headers, room, attendee_id, action):
    return await client.post(f"/api/v1/social/{room.id}/attendees/{attendee_id}/{action}", headers=headers)


async def attendees(client, headers, room, **params):
    response = await client.get(f"/api/v1/social/{room.id}/attendees", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def room_json(client, headers, room):
    """The room as R1 shows it to its host."""
    sets = (await client.get("/api/v1/social/room/set/mine", headers=headers, params={"size": 1000})).json()
    return next(s for rs in sets for s in rs["socials"] if s["socialId"] == str(room.id))


async def one_room(db, host=None, **room_values):
    if host is None:
        host, host_headers = await make_caller(db)
    else:
        host_headers = None
    room_set = await make_room_set(db, host)
    (room,) = await rooms_of(db, room_set)
    for key, value in room_values.items():
        setattr(room, key, value)
    await db.commit()
    return host, host_headers, room_set, room


def assert_refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"], response.json()["detail"]


async def test_join_enters_an_open_room(client, db):
    _, _, _, room = await one_room(db)
    user, headers = await make_caller(db)
    await db.commit()
    response = await join(client, headers, room)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "JOINED" and body["isPresent"] is True
    assert body["attendeeUserId"] == str(user.id) and body["attendeeUser"]["userId"] == str(user.id)
    assert body["queuePosition"] is None and body["queueLength"] == 0
    assert body["socialChanged"] is False and body["isHost"] is False
    assert body["dateTimeArrived"].endswith("Z")


async def test_join_is_idempotent(client, db):
    _, _, _, room = await one_room(db)
    _, headers = await make_caller(db)
    await db.commit()
    first = (await join(client, headers, room)).json()
    second = (await join(client, headers, room)).json()
    assert second["socialAttendeeId"] == first["socialAttendeeId"] and second["status"] == "JOINED"


async def test_join_of_a_room_the_caller_cannot_see_is_404(client, db):
    _, _, _, room = await one_room(db, social_permission_type=SocialPermissionType.COMPANY)
    _, headers = await make_caller(db)
    await db.commit()
    assert_refused(await join(client, headers, room), 404, "no room")


async def test_guest_is_refused_unless_the_room_allows_guests(client, db):
    _, _, _, room = await one_room(db)
    _, headers = await make_caller(db, guest=True)
    await db.commit()
    assert_refused(await join(client, headers, room), 403, "Guest users may not enter")
    room.allow_guest_users = True
    await db.commit()
    assert (await join(client, headers, room)).json()["status"] == "JOINED"


@pytest.mark.parametrize(
    ("guest", "verified", "allowed"),
    [(False, True, True), (False, False, False), (True, True, False)],
)
async def test_account_entry_needs_a_verified_non_guest(client, db, guest, verified, allowed):
    _, _, room_set, room = await one_room(db, allow_guest_users=True)
    room_set.entry_option = EntryOption.ACCOUNT
    _, headers = await make_caller(db, guest=guest, email_verified=verified)
    await db.commit()
    response = await join(client, headers, room)
    if allowed:
        assert response.json()["status"] == "JOINED"
    else:
        assert_refused(response, 403, "only account users with a verified e-mail")


async def test_required_badge_questions_must_be_answered_first(client, db):
    _, _, room_set, room = await one_room(db)
    await make_badge_question(db, room_set, position=0, title="Role", required=True)
    await make_badge_question(db, room_set, position=1, title="Hobby")
    await make_badge_question(db, room_set, position=2, title="Team", required=True)
    _, headers = await make_caller(db)
    await db.commit()
    response = await join(client, headers, room)
    assert_refused(response, 403, "required badge questions")
    assert "'Role'" in response.json()["detail"] and "'Team'" in response.json()["detail"]
    assert "Hobby" not in response.json()["detail"]
    assert [e["field"] for e in response.json()["errors"]] == ["badge:Role", "badge:Team"]
    answers = [{"title": "Role", "value": "dev"}, {"title": "Team", "value": "blue"}]
    answered = await client.post(
        "/api/v1/badging/user/badge/data", headers=headers, params={"socialRoomSetId": str(room_set.id)}, json=answers
    )
    assert answered.status_code == 200, answered.text
    assert (await join(client, headers, room)).json()["status"] == "JOINED"


async def test_room_whose_host_has_not_arrived_refuses_non_hosts_unless_anyone_can_start(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, anyone_can_start=False)
    _, headers = await make_caller(db)
    await db.commit()
    assert_refused(await join(client, headers, room), 403, "a host has to arrive first")
    assert (await join(client, host_headers, room)).json()["isHost"] is True
    assert (await join(client, headers, room)).json()["status"] == "JOINED"


async def test_alternate_hosts_count_as_hosts(client, db):
    host = await make_user(db)
    alternate, alternate_headers = await make_caller(db)
    room_set = await make_room_set(db, host, alternate_hosts=[alternate])
    (room,) = await rooms_of(db, room_set)
    room.anyone_can_start, room.host_admitted = False, True
    await db.commit()
    body = (await join(client, alternate_headers, room)).json()
    assert (body["status"], body["isHost"]) == ("JOINED", True)


async def test_host_admitted_room_queues_non_hosts_until_a_host_admits(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, host_admitted=True)
    callers = await make_callers(db, 3)
    await db.commit()
    assert (await join(client, host_headers, room)).json()["status"] == "JOINED"
    waiting = [(await join(client, headers, room)).json() for _, headers in callers]
    assert [(w["status"], w["queuePosition"], w["queueLength"]) for w in waiting] == [
        ("WAITING", 1, 1),
        ("WAITING", 2, 2),
        ("WAITING", 3, 3),
    ]
    admitted = await decide(client, host_headers, room, waiting[1]["socialAttendeeId"], "admit")
    assert admitted.status_code == 200, admitted.text
    assert (admitted.json()["status"], admitted.json()["queuePosition"]) == ("JOINED", None)
    rejected = (await decide(client, host_headers, room, waiting[0]["socialAttendeeId"], "reject")).json()
    assert rejected["status"] == "REJECTED" and rejected["isPresent"] is False
    rest = await attendees(client, host_headers, room, isPresent="false")
    last = next(a for a in rest if a["socialAttendeeId"] == waiting[2]["socialAttendeeId"])
    assert (last["status"], last["queuePosition"], last["queueLength"]) == ("WAITING", 1, 1)


async def test_leave_in_a_host_admitted_room_does_not_promote(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, host_admitted=True)
    (_, inside), (_, outside) = await make_callers(db, 2)
    await db.commit()
    await join(client, host_headers, room)
    first = (await join(client, inside, room)).json()
    await decide(client, host_headers, room, first["socialAttendeeId"], "admit")
    waiting = (await join(client, outside, room)).json()
    await leave(client, inside, room)
    assert (await join(client, outside, room)).json()["status"] == "WAITING"
    assert waiting["queuePosition"] == 1


@pytest.mark.parametrize("action", ["admit", "reject"])
async def test_only_hosts_admit_or_reject(client, db, action):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, host_admitted=True)
    (_, waiting_headers), (_, other_headers) = await make_callers(db, 2)
    await db.commit()
    waiting = (await join(client, waiting_headers, room)).json()
    response = await decide(client, other_headers, room, waiting["socialAttendeeId"], action)
    assert_refused(response, 403, "Only the hosts of this room may admit or reject")


async def test_admit_or_reject_of_someone_not_waiting_is_409(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host)
    _, headers = await make_caller(db)
    await db.commit()
    inside = (await join(client, headers, room)).json()
    assert_refused(await decide(client, host_headers, room, inside["socialAttendeeId"], "admit"), 409, "not WAITING")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_refused(await decide(client, host_headers, room, unknown, "reject"), 404, "no attendee")


async def test_admit_into_a_full_room_is_409(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, host_admitted=True, max_participants=1)
    _, headers = await make_caller(db)
    await db.commit()
    await join(client, host_headers, room)
    waiting = (await join(client, headers, room)).json()
    assert_refused(await decide(client, host_headers, room, waiting["socialAttendeeId"], "admit"), 409, "full")


async def test_full_room_queues_and_leave_promotes_the_head(client, db):
    _, _, _, room = await one_room(db, max_participants=2)
    callers = await make_callers(db, 5)
    await db.commit()
    answers = [(await join(client, headers, room)).json() for _, headers in callers]
    assert [(a["status"], a["queuePosition"]) for a in answers] == [
        ("JOINED", None),
        ("JOINED", None),
        ("WAITING", 1),
        ("WAITING", 2),
        ("WAITING", 3),
    ]
    left = (await leave(client, callers[0][1], room)).json()
    assert (left["status"], left["isPresent"]) == ("LEFT", False)
    # The queue's head got the place; the others moved up without a gap.
    (head,) = [a for a in await attendees(client, callers[1][1], room) if a["socialAttendeeId"] == answers[2]["socialAttendeeId"]]
    assert head["status"] == "JOINED"
    again = [(await join(client, headers, room)).json() for _, headers in callers[3:]]
    assert [(a["status"], a["queuePosition"], a["queueLength"]) for a in again] == [("WAITING", 1, 2), ("WAITING", 2, 2)]


async def test_leaving_the_queue_closes_the_gap(client, db):
    _, _, _, room = await one_room(db, max_participants=1)
    callers = await make_callers(db, 4)
    await db.commit()
    for _, headers in callers:
        await join(client, headers, room)
    await leave(client, callers[2][1], room)
    last = (await join(client, callers[3][1], room)).json()
    assert (last["queuePosition"], last["queueLength"]) == (2, 2)


async def test_host_enters_a_full_room(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, max_participants=1)
    _, headers = await make_caller(db)
    await db.commit()
    await join(client, headers, room)
    assert (await join(client, host_headers, room)).json()["status"] == "JOINED"


async def test_leave_when_not_in_the_room_is_409(client, db):
    _, _, _, room = await one_room(db)
    _, headers = await make_caller(db)
    await db.commit()
    assert_refused(await leave(client, headers, room), 409, "not in this room")
    await join(client, headers, room)
    await leave(client, headers, room)
    assert_refused(await leave(client, headers, room), 409, "not in this room")


async def test_first_join_opens_a_session_and_last_leave_closes_it(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host)
    (_, a), (_, b) = await make_callers(db, 2)
    await db.commit()
    assert (await room_json(client, host_headers, room))["isOpen"] is False
    await join(client, a, room)
    opened = await room_json(client, host_headers, room)
    assert opened["isOpen"] is True and opened["sessionId"]
    await join(client, b, room)
    await leave(client, a, room)
    assert (await room_json(client, host_headers, room))["sessionId"] == opened["sessionId"]
    await leave(client, b, room)
    closed = await room_json(client, host_headers, room)
    assert (closed["isOpen"], closed["sessionId"]) == (False, None)
    await join(client, a, room)
    assert (await room_json(client, host_headers, room))["sessionId"] not in (None, opened["sessionId"])


async def test_joining_another_room_of_the_set_moves_the_caller(client, db):
    host, host_headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=2)
    first, second = await rooms_of(db, room_set)
    first.max_participants = 1
    (_, a), (_, b) = await make_callers(db, 2)
    await db.commit()
    await join(client, a, first)
    assert (await join(client, b, first)).json()["status"] == "WAITING"
    moved = (await join(client, a, second)).json()
    assert (moved["socialId"], moved["status"], moved["socialChanged"]) == (str(second.id), "JOINED", True)
    # a's place in the first room went to b, and the room a left is not counted for a any more.
    assert [x["status"] for x in await attendees(client, b, first)] == ["JOINED"]
    assert (await room_json(client, host_headers, first))["socialMeta"]["numberCurrentlyPresent"] == 1
    assert (await room_json(client, host_headers, second))["socialMeta"]["numberCurrentlyPresent"] == 1


async def test_a_refused_move_keeps_the_caller_where_they_were(client, db):
    host = await make_user(db)
    room_set = await make_room_set(db, host, rooms=2)
    first, second = await rooms_of(db, room_set)
    second.anyone_can_start = False
    _, headers = await make_caller(db)
    await db.commit()
    await join(client, headers, first)
    assert_refused(await join(client, headers, second), 403, "a host has to arrive first")
    assert [a["status"] for a in await attendees(client, headers, first)] == ["JOINED"]


async def test_starting_point_entry_lands_in_the_starting_room(client, db):
    host = await make_user(db)
    room_set = await make_room_set(db, host, rooms=2, entry_option=EntryOption.STARTING_POINT)
    start, other = await rooms_of(db, room_set)
    _, headers = await make_caller(db)
    await db.commit()
    landed = (await join(client, headers, other)).json()
    assert (landed["socialId"], landed["status"], landed["socialChanged"]) == (str(start.id), "JOINED", True)
    # Once inside the set, the caller moves where they ask.
    moved = (await join(client, headers, other)).json()
    assert (moved["socialId"], moved["socialChanged"]) == (str(other.id), True)


async def test_attendee_list_hosts_see_everyone_others_only_those_inside(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, max_participants=1)
    (_, a), (_, b), (_, c) = await make_callers(db, 3)
    await db.commit()
    await join(client, a, room)
    await join(client, b, room)
    await join(client, c, room)
    await leave(client, c, room)
    everyone = await attendees(client, host_headers, room)
    assert sorted(x["status"] for x in everyone) == ["JOINED", "LEFT", "WAITING"]
    assert [x["status"] for x in await attendees(client, b, room)] == ["JOINED"]
    assert [x["status"] for x in await attendees(client, host_headers, room, isPresent="true")] == ["JOINED"]
    assert sorted(x["status"] for x in await attendees(client, host_headers, room, isPresent="false")) == [
        "LEFT",
        "WAITING",
    ]
    assert await attendees(client, b, room, isPresent="false") == []


async def test_attendee_list_is_paged_and_sorted_by_arrival(client, db):
    _, _, _, room = await one_room(db)
    callers = await make_callers(db, 5)
    await db.commit()
    for _, headers in callers:
        await join(client, headers, room)
    viewer = callers[0][1]
    response = await client.get(
        f"/api/v1/social/{room.id}/attendees", headers=viewer, params={"size": 2, "sort": "dateTimeArrived,desc"}
    )
    assert response.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in response.headers["Link"]
    everyone = await attendees(client, viewer, room, sort="dateTimeArrived,asc")
    assert [a["attendeeUserId"] for a in everyone] == [str(user.id) for user, _ in callers]
    backwards = await attendees(client, viewer, room, sort="dateTimeArrived,desc")
    assert [a["attendeeUserId"] for a in backwards] == [str(user.id) for user, _ in reversed(callers)]
    bad = await client.get(f"/api/v1/social/{room.id}/attendees", headers=viewer, params={"sort": "status"})
    assert bad.status_code == 400


async def test_entry_rules_apply_only_to_rooms_linked_to_the_configuration(client, db):
    host = await make_user(db)
    room_set = await make_room_set(db, host, rooms=2, entry_option=EntryOption.ACCOUNT)
    linked, unlinked = await rooms_of(db, room_set)
    config = EntryConfiguration(room_set_id=room_set.id, entry_option=EntryOption.ACCOUNT, rules=[])
    db.add(config)
    await db.flush()
    linked.configuration_id = config.id
    _, headers = await make_caller(db, email_verified=False)
    await db.commit()
    assert_refused(await join(client, headers, linked), 403, "verified e-mail")
    assert (await join(client, headers, unlinked)).json()["status"] == "JOINED"


@pytest.mark.parametrize(
    ("flag", "set_value", "room_value", "guest", "expected"),
    [
        ("allow_guest_users", True, False, True, "Guest users may not enter"),
        ("allow_guest_users", False, True, True, "JOINED"),
        ("host_admitted", False, True, False, "WAITING"),
        ("host_admitted", True, False, False, "JOINED"),
        ("anyone_can_start", True, False, False, "a host has to arrive first"),
        ("anyone_can_start", False, True, False, "JOINED"),
    ],
)
async def test_the_rooms_own_flag_wins_over_the_sets(client, db, flag, set_value, room_value, guest, expected):
    host = await make_user(db)
    room_set = await make_room_set(db, host, **{flag: set_value})
    (room,) = await rooms_of(db, room_set)
    setattr(room, flag, room_value)
    _, headers = await make_caller(db, guest=guest)
    await db.commit()
    response = await join(client, headers, room)
    if expected in ("JOINED", "WAITING"):
        assert response.json()["status"] == expected
    else:
        assert_refused(response, 403, expected)


async def test_the_rooms_permission_type_wins_over_the_sets(client, db):
    host = await make_user(db)
    room_set = await make_room_set(db, host, social_permission_type=SocialPermissionType.PUBLIC)
    (room,) = await rooms_of(db, room_set)
    room.social_permission_type = SocialPermissionType.COMPANY
    _, headers = await make_caller(db)
    await db.commit()
    assert (await join(client, headers, room)).status_code == 404


async def test_a_rejected_attendee_may_ask_again_and_queues_at_the_end(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host, host_admitted=True)
    (_, a), (_, b) = await make_callers(db, 2)
    await db.commit()
    first = (await join(client, a, room)).json()
    await join(client, b, room)
    await decide(client, host_headers, room, first["socialAttendeeId"], "reject")
    again = (await join(client, a, room)).json()
    assert (again["socialAttendeeId"], again["status"], again["queuePosition"]) == (first["socialAttendeeId"], "WAITING", 2)


async def test_starting_point_that_the_caller_cannot_see_refuses_entry(client, db):
    host = await make_user(db)
    room_set = await make_room_set(db, host, rooms=2, entry_option=EntryOption.STARTING_POINT)
    start, other = await rooms_of(db, room_set)
    start.social_permission_type = SocialPermissionType.COMPANY
    _, headers = await make_caller(db)
    await db.commit()
    assert_refused(await join(client, headers, other), 403, "starting point room, which is not open to you")


async def test_hosts_are_not_sent_to_the_starting_point(client, db):
    host, host_headers = await make_caller(db)
    room_set = await make_room_set(db, host, rooms=2, entry_option=EntryOption.STARTING_POINT)
    _, other = await rooms_of(db, room_set)
    await db.commit()
    landed = (await join(client, host_headers, other)).json()
    assert (landed["socialId"], landed["socialChanged"]) == (str(other.id), False)


async def test_someone_inside_may_leave_a_room_they_can_no_longer_see(client, db):
    host, host_headers = await make_caller(db)
    _, _, _, room = await one_room(db, host=host)
    _, headers = await make_caller(db)
    await db.commit()
    await join(client, headers, room)
    room.social_permission_type = SocialPermissionType.COMPANY
    await db.commit()
    assert (await leave(client, headers, room)).json()["status"] == "LEFT"
    assert_refused(await leave(client, headers, room), 404, "no room")


async def test_attendee_list_query_count_does_not_grow_with_the_page(client, db, app):
    from tests.conftest import count_statements

    host, host_headers = await make_caller(db)
    small_set = await make_room_set(db, host)
    big_set = await make_room_set(db, host)
    (small,), (big,) = await rooms_of(db, small_set), await rooms_of(db, big_set)
    callers = await make_callers(db, 31)
    await db.commit()
    await join(client, callers[0][1], small)
    for _, headers in callers[1:]:
        await join(client, headers, big)
    counts = []
    for room, expected in ((small, 1), (big, 30)):
        with count_statements(app.state.engine) as counter:
            assert len(await attendees(client, host_headers, room, size=100)) == expected
        # The background writer of API keys' "last used" time shares the engine; not ours to count.
        counts.append(len([s for s in counter.statements if "api_keys" not in s]))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("path", ["attendees", "invites", "join", "leave"])
async def test_lists_and_entry_of_a_room_the_caller_cannot_see_are_404(client, db, path):
    _, _, _, room = await one_room(db, social_permission_type=SocialPermissionType.COMPANY)
    _, headers = await make_caller(db)
    await db.commit()
    method = client.get if path in ("attendees", "invites") else client.post
    assert_refused(await method(f"/api/v1/social/{room.id}/{path}", headers=headers), 404, "no room")
