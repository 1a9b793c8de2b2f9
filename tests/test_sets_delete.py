"""R6 `DELETE /api/v1/social/room/set/{id}`: the set and everything in it go; themes stay."""

import uuid

from sqlalchemy import func, select

from roomsets.badging.models import BadgeAnswer, BadgeQuestion
from roomsets.participation.models import AttendeeStatus, EntryConfiguration, SocialAttendee, SocialInvite
from roomsets.rooms.models import SavedSocial, Social, SocialAlternateHost
from roomsets.sets.models import RoomSet, RoomSetAlternateHost
from roomsets.themes.models import Theme
from tests.factories import (
    answer,
    make_badge_question,
    make_caller,
    make_entry_configuration,
    make_invite,
    make_room_set,
    make_theme,
)

SETS = "/api/v1/social/room/set"

CONTENTS = [Social, SocialAlternateHost, RoomSetAlternateHost, SocialInvite, SocialAttendee, BadgeQuestion,
            BadgeAnswer, SavedSocial, EntryConfiguration]


async def _counts(db):
    return {model.__name__: await db.scalar(select(func.count()).select_from(model)) for model in [RoomSet, *CONTENTS, Theme]}


async def test_delete_removes_the_set_and_everything_in_it_but_not_its_themes(client, db):
    host, headers = await make_caller(db)
    guest, guest_headers = await make_caller(db)
    theme = await make_theme(db, owner_user_id=host.id)
    doomed = await make_room_set(db, host, rooms=3, alternate_hosts=[guest], room_alternate_hosts=[guest], theme=theme)
    kept = await make_room_set(db, host, rooms=1, theme=theme)
    rooms = list(await db.scalars(select(Social.id).where(Social.room_set_id == doomed.id)))
    await make_entry_configuration(db, doomed.id, rooms=rooms)
    question = await make_badge_question(db, doomed)
    await answer(db, question, guest, value="hi")
    await make_invite(db, rooms[0], guest)
    db.add(SocialAttendee(social_id=rooms[0], room_set_id=doomed.id, user_id=guest.id, status=AttendeeStatus.JOINED))
    db.add(SavedSocial(user_id=guest.id, social_id=rooms[1]))
    await db.commit()

    response = await client.delete(f"{SETS}/{doomed.id}", headers=headers)
    assert response.status_code == 204 and response.content == b""

    db.expunge_all()
    after = await _counts(db)
    assert after == {"RoomSet": 1, "Social": 1, "Theme": 1, **{m.__name__: 0 for m in CONTENTS if m is not Social}}
    assert (await client.get(f"{SETS}/{doomed.id}", headers=headers)).status_code == 404
    assert (await client.get(f"{SETS}/{kept.id}", headers=headers)).status_code == 200


async def test_alternate_host_may_not_delete_the_set(client, db):
    host, _ = await make_caller(db)
    alternate, alternate_headers = await make_caller(db)
    room_set = await make_room_set(db, host, alternate_hosts=[alternate])
    await db.commit()
    assert (await client.delete(f"{SETS}/{room_set.id}", headers=alternate_headers)).status_code == 403
    assert await db.get(RoomSet, room_set.id) is not None


async def test_delete_of_an_unknown_set_is_404(client, db):
    _, headers = await make_caller(db)
    await db.commit()
    assert (await client.delete(f"{SETS}/{uuid.uuid4()}", headers=headers)).status_code == 404
