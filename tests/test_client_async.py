"""The async client does what the sync client does, awaited: same methods, same errors, lazy pages."""

import uuid
from collections.abc import Iterator

import httpx
import pytest

from roomsets.client import AsyncRoomsetsClient, NotFoundError, PermissionDeniedError, Retry, ValidationError
from roomsets.client.models import AttendeeStatus, ThemeType, UploadState
from tests.conftest import live_server
from tests.factories import make_caller, make_image, make_room_set


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    with live_server(database, media_dir=str(tmp_path_factory.mktemp("media"))) as url:
        yield url


async def test_create_rooms_invite_join_copy_delete(server, db):
    _, host_headers = await make_caller(db)
    guest, guest_headers = await make_caller(db)
    await db.commit()
    async with (
        AsyncRoomsetsClient(server, host_headers["X-API-Key"]) as hosting,
        AsyncRoomsetsClient(server, guest_headers["X-API-Key"]) as guesting,
    ):
        room_set = await hosting.create_room_set(name="Async set")
        (hall,) = room_set.socials
        stage = await hosting.create_room(room_set.social_room_set_id, name="Stage")
        _, etag = await hosting.get_room_with_etag(stage.social_id)
        assert (await hosting.update_room(stage.social_id, if_match=etag, description="Talks")).description == "Talks"
        assert (await hosting.get_room_set(room_set.social_room_set_id)).socials[1].name == "Stage"

        (invited,) = await hosting.invite(hall.social_id, [guest.id])
        assert invited.error is None
        assert [i.invited_user_id async for i in hosting.invites(hall.social_id)] == [guest.id]
        assert (await guesting.join(hall.social_id)).status == AttendeeStatus.JOINED
        assert [a.attendee_user_id async for a in hosting.attendees(hall.social_id)] == [guest.id]
        assert (await hosting.attendees_page(hall.social_id, is_present=True)).total == 1

        copy = await guesting.copy_room_set(room_set.social_room_set_id, name="Mine now")
        assert [s.name for s in copy.socials] == ["Async set", "Stage"]
        with pytest.raises(PermissionDeniedError):
            await guesting.delete_room_set(room_set.social_room_set_id)
        await hosting.delete_room(stage.social_id)
        await hosting.delete_room_set(room_set.social_room_set_id)
        with pytest.raises(NotFoundError) as missing:
            await guesting.get_room(hall.social_id)
        assert missing.value.status == 404


async def test_async_pages_are_fetched_lazily(server, db):
    host, headers = await make_caller(db)
    for _ in range(3):
        await make_room_set(db, host)
    await db.commit()
    requests: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        requests.append(request)

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
        client = AsyncRoomsetsClient(server, headers["X-API-Key"], http_client=http)
        sets = client.my_room_sets(size=2)
        assert requests == []
        assert await anext(sets) and len(requests) == 1
        assert len([s async for s in sets]) == 2 and len(requests) == 2
        page = await client.my_room_sets_page(size=2)
        assert (page.total, page.has_next) == (3, True)


async def test_async_errors_carry_the_field(server, db):
    host, headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    await db.commit()
    async with AsyncRoomsetsClient(server, headers["X-API-Key"], retry=Retry(max_retries=0)) as client:
        with pytest.raises(ValidationError) as invalid:
            await client.update_room_set(room_set.id, starting_point_social_id=uuid.uuid4())
        assert invalid.value.errors[0].field == "startingPointSocialId"


async def test_an_uploaded_image_is_awaited_until_processed(server, db):
    import base64

    _, headers = await make_caller(db)
    await db.commit()
    seen: list[int] = []
    async with AsyncRoomsetsClient(server, headers["X-API-Key"]) as client:
        theme = await client.create_theme(
            theme={"type": ThemeType.SINGLE_IMAGE, "socialThemeName": "Dunes"},
            image_bytes=base64.b64encode(make_image(300, 200)).decode(),
        )
        done = await client.wait_for_theme(
            theme.social_theme_id, interval=0.1, timeout=30, on_progress=lambda t: seen.append(t.upload_status.progress)
        )
    assert done.upload_status.status == UploadState.COMPLETED and seen[-1] == 100
    assert done.preview_image_uri is not None
