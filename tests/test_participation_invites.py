"""S7 `POST /api/v1/social/invite/{socialId}` and S8 `GET /api/v1/social/{socialId}/invites`."""

from roomsets.sets.models import SocialPermissionType
from tests.factories import make_caller, make_room_set, make_user, rooms_of


async def arrange(db, **set_values):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host, **set_values)
    (room,) = await rooms_of(db, room_set)
    return host, headers, room_set, room


async def invite(client, headers, room, items):
    return await client.post(f"/api/v1/social/invite/{room.id}", headers=headers, json=items)


async def invites(client, headers, room, **params):
    response = await client.get(f"/api/v1/social/{room.id}/invites", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response


async def test_invite_by_id_and_by_email_answers_one_item_per_input_in_order(client, db):
    host, headers, _, room = await arrange(db)
    by_id, by_email = await make_user(db), await make_user(db, email="Someone@Example.test")
    await db.commit()
    response = await invite(
        client, headers, room, [{"invitedUserId": str(by_id.id)}, {"invitedUser": {"emailAddress": "SOMEONE@example.test"}}]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [i["invitedUserId"] for i in body] == [str(by_id.id), str(by_email.id)]
    assert all(i["error"] is None and i["socialInviteId"] and i["didAttend"] is False for i in body)
    assert body[1]["invitedUser"]["emailAddress"] == "someone@example.test"
    assert all(i["socialId"] == str(room.id) and i["dateTimeInvited"].endswith("Z") for i in body)
    listed = (await invites(client, headers, room)).json()
    assert [i["socialInviteId"] for i in listed] == [i["socialInviteId"] for i in body]


async def test_failed_items_carry_an_error_and_the_rest_are_saved(client, db):
    host, headers, _, room = await arrange(db)
    old, new = await make_user(db), await make_user(db)
    await db.commit()
    assert (await invite(client, headers, room, [{"invitedUserId": str(old.id)}])).status_code == 200
    unknown_id = "00000000-0000-4000-8000-000000000000"
    items = [
        {"invitedUserId": unknown_id},
        {"invitedUser": {"emailAddress": "nobody@example.test"}},
        {"invitedUser": {"emailAddress": "not an address"}},
        {"invitedUserId": str(old.id)},
        {"invitedUserId": str(host.id)},
        {"invitedUserId": str(new.id)},
        {"invitedUser": {"emailAddress": new.email}},
        {},
        {"invitedUserId": str(old.id), "invitedUser": {"emailAddress": new.email}},
    ]
    response = await invite(client, headers, room, items)
    assert response.status_code == 200
    body = response.json()
    assert len(body) == len(items)
    errors = [i["error"] for i in body]
    assert errors[0] == f"There is no user {unknown_id}."
    assert errors[1] == "There is no user with e-mail nobody@example.test."
    assert "not an e-mail address" in errors[2]
    assert errors[3] == f"{old.email} is invited to this room already."
    assert errors[4] == "You cannot invite yourself."
    assert errors[5] is None
    assert errors[6] == f"{new.email} is named more than once in this request."
    assert errors[7] == "Name the invitee with invitedUserId or invitedUser.emailAddress."
    assert errors[8] == "invitedUserId and invitedUser.emailAddress name different users."
    assert all(i["socialInviteId"] is None for i, e in zip(body, errors, strict=True) if e)
    listed = (await invites(client, headers, room)).json()
    assert sorted(i["invitedUserId"] for i in listed) == sorted([str(old.id), str(new.id)])


async def test_only_hosts_and_alternate_hosts_invite(client, db):
    host = await make_user(db)
    alternate, alternate_headers = await make_caller(db)
    room_set = await make_room_set(db, host, alternate_hosts=[alternate])
    (room,) = await rooms_of(db, room_set)
    _, other_headers = await make_caller(db)
    target = await make_user(db)
    await db.commit()
    refused = await invite(client, other_headers, room, [{"invitedUserId": str(target.id)}])
    assert refused.status_code == 403
    assert "Only the hosts and alternate hosts of this room may invite" in refused.json()["detail"]
    accepted = await invite(client, alternate_headers, room, [{"invitedUserId": str(target.id)}])
    assert accepted.status_code == 200 and accepted.json()[0]["error"] is None


async def test_invite_to_a_room_the_caller_cannot_see_is_404(client, db):
    _, _, _, room = await arrange(db, social_permission_type=SocialPermissionType.COMPANY)
    room.social_permission_type = SocialPermissionType.COMPANY
    _, headers = await make_caller(db)
    await db.commit()
    response = await invite(client, headers, room, [])
    assert response.status_code == 404


async def test_a_failed_request_saves_nothing(client, db):
    host, headers, _, room = await arrange(db)
    target = await make_user(db)
    await db.commit()
    response = await invite(client, headers, room, [{"invitedUserId": str(target.id)}, {"invitedUserId": "nope"}])
    assert response.status_code == 422
    assert (await invites(client, headers, room)).json() == []


async def test_did_attend_becomes_true_when_the_invitee_first_joins(client, db):
    host, headers, _, room = await arrange(db)
    guest, guest_headers = await make_caller(db)
    early, early_headers = await make_caller(db)
    await db.commit()
    assert (await client.post(f"/api/v1/social/{room.id}/join", headers=early_headers)).status_code == 200
    await invite(client, headers, room, [{"invitedUserId": str(guest.id)}, {"invitedUserId": str(early.id)}])
    before = {i["invitedUserId"]: i["didAttend"] for i in (await invites(client, headers, room)).json()}
    assert before == {str(guest.id): False, str(early.id): True}
    await client.post(f"/api/v1/social/{room.id}/join", headers=guest_headers)
    await client.post(f"/api/v1/social/{room.id}/leave", headers=guest_headers)
    after = {i["invitedUserId"]: i["didAttend"] for i in (await invites(client, headers, room)).json()}
    assert after == {str(guest.id): True, str(early.id): True}


async def test_invitees_see_their_own_invite_only(client, db):
    host, headers, _, room = await arrange(db)
    (a, a_headers), (b, _) = await make_caller(db), await make_caller(db)
    await db.commit()
    await invite(client, headers, room, [{"invitedUserId": str(a.id)}, {"invitedUserId": str(b.id)}])
    mine = await invites(client, a_headers, room)
    assert [i["invitedUserId"] for i in mine.json()] == [str(a.id)]
    assert mine.headers["X-Total-Count"] == "1"


async def test_an_invite_makes_a_private_room_visible_to_the_invitee(client, db):
    host, headers, _, room = await arrange(db)
    room.social_permission_type = SocialPermissionType.COMPANY
    guest, guest_headers = await make_caller(db)
    await db.commit()
    assert (await client.post(f"/api/v1/social/{room.id}/join", headers=guest_headers)).status_code == 404
    await invite(client, headers, room, [{"invitedUserId": str(guest.id)}])
    assert (await client.post(f"/api/v1/social/{room.id}/join", headers=guest_headers)).json()["status"] == "JOINED"


async def test_invites_are_paged_and_sorted_by_date(client, db):
    host, headers, _, room = await arrange(db)
    people = [await make_user(db) for _ in range(5)]
    await db.commit()
    for person in people:
        await invite(client, headers, room, [{"invitedUserId": str(person.id)}])
    first = await invites(client, headers, room, size=2, sort="dateTimeInvited,desc")
    assert first.headers["X-Total-Count"] == "5"
    assert [i["invitedUserId"] for i in first.json()] == [str(people[4].id), str(people[3].id)]
    everything = (await invites(client, headers, room, size=10)).json()
    assert [i["invitedUserId"] for i in everything] == [str(p.id) for p in people]
