"""The sync client against a live server: every endpoint, paging, errors, retries, configuration."""

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from roomsets.client import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitedError,
    Retry,
    RoomsetsClient,
    ValidationError,
)
from roomsets.client.models import AttendeeStatus, InputType, RoomSize, ThemeType, UploadState
from tests.conftest import live_server
from tests.factories import make_caller, make_room_set


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    with live_server(database, media_dir=str(tmp_path_factory.mktemp("media"))) as url:
        yield url


class RequestCounter:
    def __init__(self) -> None:
        self.urls: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> None:
        self.urls.append(request.url)

    @property
    def count(self) -> int:
        return len(self.urls)


def counting_client(url: str, key: str, **kwargs) -> tuple[RoomsetsClient, RequestCounter]:
    counter = RequestCounter()
    http = httpx.Client(event_hooks={"request": [counter]})
    return RoomsetsClient(url, key, http_client=http, **kwargs), counter


async def test_a_host_and_a_guest_use_every_endpoint(server, db):
    host, host_headers = await make_caller(db, company_name="Client Co")
    colleague, _ = await make_caller(db, company_name="Client Co")
    guest, guest_headers = await make_caller(db)
    late, late_headers = await make_caller(db)
    await db.commit()
    with (
        RoomsetsClient(server, host_headers["X-API-Key"]) as hosting,
        RoomsetsClient(server, guest_headers["X-API-Key"]) as guesting,
        RoomsetsClient(server, late_headers["X-API-Key"]) as arriving,
    ):
        assert hosting.me().user_id == host.id
        assert {u.user_id for u in hosting.company_users(host.company_id)} == {host.id, colleague.id}
        assert hosting.company_users_page(host.company_id, size=1).total == 2

        summit = hosting.create_room_set(name="Summit", socials=[{"name": "Hall"}, {"name": "Stage", "size": RoomSize.SMALL}])
        assert [room.name for room in summit.socials] == ["Hall", "Stage"]
        assert summit.starting_point_social_id == summit.socials[0].social_id
        assert [s.social_room_set_id for s in hosting.my_room_sets()] == [summit.social_room_set_id]
        raw = hosting.request("GET", "/api/v1/social/room/set/mine", params={"size": 1})
        assert raw.headers["X-Total-Count"] == "1" and raw.json()[0]["name"] == "Summit"

        current, etag = hosting.get_room_set_with_etag(summit.social_room_set_id)
        assert etag and current.name == "Summit"
        updated = hosting.update_room_set(summit.social_room_set_id, if_match=etag, description="Yearly")
        assert updated.description == "Yearly"
        with pytest.raises(PreconditionFailedError):
            hosting.update_room_set(summit.social_room_set_id, if_match=etag, description="stale")
        assert hosting.update_room_set(summit.social_room_set_id, description=None).description is None
        assert hosting.get_room_set(summit.social_room_set_id).description is None

        lounge = hosting.create_room(summit.social_room_set_id, name="Lounge", host_admitted=True)
        assert hosting.get_room(lounge.social_id).name == "Lounge"
        room, room_etag = hosting.get_room_with_etag(lounge.social_id)
        lounge = hosting.update_room(lounge.social_id, if_match=room_etag, name="Lounge 2")
        assert lounge.name == "Lounge 2" and lounge.host_admitted

        hosting.save_room(lounge.social_id)
        hosting.save_room(lounge.social_id)
        assert [r.social_id for r in hosting.saved_rooms()] == [lounge.social_id]
        assert hosting.saved_rooms_page().total == 1
        hosting.unsave_room(lounge.social_id)
        assert list(hosting.saved_rooms()) == []

        answers = hosting.invite(lounge.social_id, [guest.email, late.id, "nobody@example.test"])
        assert [a.error is None for a in answers] == [True, True, False]
        assert {i.invited_user_id for i in hosting.invites(lounge.social_id)} == {guest.id, late.id}
        assert hosting.invites_page(lounge.social_id, size=1).total == 2

        waiting = guesting.join(lounge.social_id)  # the host admits each arrival
        assert waiting.status == AttendeeStatus.WAITING and waiting.queue_position == 1
        assert hosting.admit(lounge.social_id, waiting.social_attendee_id).status == AttendeeStatus.JOINED
        turned_away = arriving.join(lounge.social_id)
        assert hosting.reject(lounge.social_id, turned_away.social_attendee_id).status == AttendeeStatus.REJECTED
        assert [a.attendee_user_id for a in hosting.attendees(lounge.social_id, is_present=True)] == [guest.id]
        assert hosting.attendees_page(lounge.social_id).total == 2
        assert guesting.leave(lounge.social_id).status == AttendeeStatus.LEFT

        configuration = hosting.put_entry_configuration(
            summit.social_room_set_id, name="Doors", associated_social_ids=[lounge.social_id]
        )
        assert hosting.get_entry_configuration(summit.social_room_set_id).configuration_id == configuration.configuration_id

        questions = hosting.replace_badge_questions(
            summit.social_room_set_id,
            [{"title": "Role", "inputType": InputType.SINGLE_SELECT, "options": ["Dev", "Ops"]}, {"title": "Bio"}],
        )
        assert [q.title for q in questions] == ["Role", "Bio"]
        answered = guesting.answer_badge_questions(summit.social_room_set_id, [{"title": "Role", "value": "Ops"}])
        assert answered[0].value == "Ops"
        assert [b.value for b in guesting.my_badge_data(summit.social_room_set_id)] == ["Ops", None]
        assert guesting.my_badge_data_page(summit.social_room_set_id, size=1).total == 2

        theme = hosting.create_theme(theme={"type": ThemeType.SINGLE_COLOR, "socialThemeName": "Teal", "colorBackground": "#008080"})
        assert hosting.get_theme(theme.social_theme_id).social_theme_name == "Teal"
        assert hosting.wait_for_theme(theme.social_theme_id).upload_status.status == UploadState.COMPLETED
        assert theme.social_theme_id in {t.social_theme_id for t in hosting.themes()}
        assert hosting.themes_page(size=1).total >= 1

        copy = guesting.copy_room_set(summit.social_room_set_id)
        assert copy.name == "Copy of Summit" and copy.host_user.user_id == guest.id
        named = hosting.copy_room_set(summit.social_room_set_id, name="Summit 2")
        assert named.name == "Summit 2" and len(named.socials) == 3

        hosting.delete_room(lounge.social_id)
        hosting.delete_room_set(named.social_room_set_id)
        with pytest.raises(NotFoundError):
            hosting.get_room_set(named.social_room_set_id)


async def test_paged_lists_fetch_the_next_page_only_when_needed(server, db):
    host, headers = await make_caller(db)
    for _ in range(5):
        await make_room_set(db, host)
    await db.commit()
    client, requests = counting_client(server, headers["X-API-Key"])
    with client:
        sets = client.my_room_sets(size=2)
        assert requests.count == 0
        first = [next(sets), next(sets)]
        assert requests.count == 1
        third = next(sets)
        assert requests.count == 2
        rest = list(sets)
        assert requests.count == 3
        assert len({s.social_room_set_id for s in [*first, third, *rest]}) == 5
        assert [u.params["page"] for u in requests.urls] == ["0", "1", "2"]

        page = client.my_room_sets_page(page=1, size=2, sort="name,desc")
        assert (len(page.items), page.total, page.page, page.has_next) == (2, 5, 1, True)
        assert client.my_room_sets_page(page=2, size=2).has_next is False


async def test_a_failing_request_raises_its_typed_error_with_the_problem(server, db):
    host, host_headers = await make_caller(db)
    _, other_headers = await make_caller(db)
    room_set = await make_room_set(db, host)
    elsewhere = await make_room_set(db, host)
    await db.commit()
    hosting = RoomsetsClient(server, host_headers["X-API-Key"])
    other = RoomsetsClient(server, other_headers["X-API-Key"])
    (elsewhere_room,) = hosting.get_room_set(elsewhere.id).socials

    with pytest.raises(ValidationError) as invalid:
        hosting.update_room_set(room_set.id, starting_point_social_id=elsewhere_room.social_id)
    assert invalid.value.status == 422
    assert [e.field for e in invalid.value.errors] == ["startingPointSocialId"]

    with pytest.raises(NotFoundError) as missing:
        hosting.get_room(uuid.uuid4())
    assert (missing.value.status, missing.value.title) == (404, "Not found") and missing.value.detail

    with pytest.raises(PermissionDeniedError) as denied:
        other.delete_room_set(room_set.id)
    assert denied.value.status == 403 and "host" in denied.value.detail

    with pytest.raises(ConflictError):
        hosting.delete_room(elsewhere_room.social_id)

    with pytest.raises(BadRequestError) as bad:
        hosting.my_room_sets_page(sort="colour")
    assert [e.field for e in bad.value.errors] == ["sort"]

    with pytest.raises(AuthenticationError):
        RoomsetsClient(server, "rsk_not-a-key").me()


def test_a_body_the_model_refuses_is_not_sent(server):
    client, requests = counting_client(server, "rsk_unused")
    with pytest.raises(ValidationError) as invalid:
        client.create_room_set(name="   ")
    assert invalid.value.status is None and [e.field for e in invalid.value.errors] == ["name"]
    assert requests.count == 0


async def test_url_and_key_come_from_the_environment(server, db, monkeypatch):
    user, headers = await make_caller(db)
    await db.commit()
    monkeypatch.setenv("ROOMSETS_URL", server + "/api/v1/")
    monkeypatch.setenv("ROOMSETS_API_KEY", headers["X-API-Key"])
    with RoomsetsClient() as client:
        assert client.base_url == server
        assert client.me().user_id == user.id


@pytest.mark.parametrize("missing", ["ROOMSETS_URL", "ROOMSETS_API_KEY"])
def test_a_client_without_url_or_key_says_which_is_missing(monkeypatch, missing):
    monkeypatch.setenv("ROOMSETS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ROOMSETS_API_KEY", "rsk_x")
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigurationError, match=missing):
        RoomsetsClient()


async def test_429_is_retried_after_the_time_the_server_asks(database, db, tmp_path):
    user, headers = await make_caller(db)
    await db.commit()
    with live_server(database, rate_limit_per_second="1", rate_limit_burst="1") as url:
        client, requests = counting_client(url, headers["X-API-Key"], retry=Retry(max_retries=2))
        client.me()
        started = time.monotonic()
        assert client.me().user_id == user.id
        assert time.monotonic() - started >= 0.9
        assert requests.count == 3

        impatient = RoomsetsClient(url, headers["X-API-Key"], retry=Retry(max_wait=0.1))
        with pytest.raises(RateLimitedError) as limited:
            impatient.me()
        assert limited.value.status == 429 and limited.value.retry_after >= 1
