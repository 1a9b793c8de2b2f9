"""`RoomsetsClient`: the API from ordinary (blocking) Python code."""

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

import httpx

from roomsets.client import endpoints
from roomsets.client.core import (
    ID,
    Call,
    ClientCore,
    Exchange,
    Page,
    Retry,
    Versioned,
    connection_failed,
    exchange,
    raw_call,
    wait_for_theme,
)
from roomsets.client.endpoints import Invitee, Sort
from roomsets.client.models import (
    BadgeAnswerCreate,
    BadgeData,
    BadgeQuestionCreate,
    EntryConfiguration,
    EntryConfigurationCreate,
    Social,
    SocialAttendee,
    SocialCreate,
    SocialInvite,
    SocialRoomSet,
    SocialRoomSetCreate,
    Theme,
    ThemeCustomCreate,
    User,
)

T = TypeVar("T")


class RoomsetsClient:
    """A client of a Roomsets server or of Scoot (`https://api.scoot.app`).

    `base_url` and `api_key` default to the environment variables ROOMSETS_URL and
    ROOMSETS_API_KEY. Errors raise `RoomsetsError` subclasses; 429 and 503 answers are
    retried as `retry` says. Paged lists are iterators that fetch the next page only when
    the previous one is used up; the `*_page` methods fetch one page with its total.
    Pass `http_client` to use your own `httpx.Client` (proxies, event hooks); it is then
    yours to close.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: Retry | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._core = ClientCore(base_url, api_key, retry)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)

    @property
    def base_url(self) -> str:
        return self._core.base_url

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> "RoomsetsClient":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # The transport: the only part that differs from AsyncRoomsetsClient.

    def _drive(self, steps: Exchange[T]) -> T:
        reply: httpx.Response | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, httpx.Request):
                    try:
                        reply = self._http.send(step)
                    except httpx.TransportError as exc:
                        raise connection_failed(step, exc) from exc
                else:
                    time.sleep(step)
                    reply = None
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    def _send(self, call: Call[T]) -> T:
        return self._drive(exchange(self._core, self._http, call))

    def _iterate(self, call: Call[Page[T]]) -> Iterator[T]:
        while True:
            page = self._send(call)
            yield from page.items
            if page.next_params is None:
                return
            call = call.with_params(page.next_params)

    def request(self, method: str, path: str, *, params: Any = None, json: Any = None) -> httpx.Response:
        """Any request, with the key, retries and typed errors but no parsing: the raw answer."""
        call = raw_call(method, path, params, json)
        return self._send(call)

    # R1–R6: room sets

    def my_room_sets(self, *, size: int = 100, sort: Sort = None) -> Iterator[SocialRoomSet]:
        """R1: the room sets you host, every page, fetched as you iterate."""
        return self._iterate(endpoints.my_room_sets(0, size, sort))

    def my_room_sets_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[SocialRoomSet]:
        """R1: one page of the room sets you host, with the total."""
        return self._send(endpoints.my_room_sets(page, size, sort))

    def get_room_set(self, room_set_id: ID) -> SocialRoomSet:
        """R4: one room set."""
        return self._send(endpoints.get_room_set(room_set_id)).value

    def get_room_set_with_etag(self, room_set_id: ID) -> Versioned[SocialRoomSet]:
        """R4: one room set and its ETag, for `update_room_set(..., if_match=etag)`."""
        return self._send(endpoints.get_room_set(room_set_id))

    def create_room_set(
        self, room_set: SocialRoomSetCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> SocialRoomSet:
        """R3: a new set hosted by you, from a `SocialRoomSetCreate` or its fields (`name=` ...)."""
        return self._send(endpoints.create_room_set(room_set, fields))

    def update_room_set(self, room_set_id: ID, *, if_match: str | None = None, **changes: Any) -> SocialRoomSet:
        """R5: change the fields given (snake_case names of `SocialRoomSetUpdate`); `None` clears."""
        return self._send(endpoints.update_room_set(room_set_id, if_match, changes)).value

    def copy_room_set(self, room_set_id: ID, name: str | None = None) -> SocialRoomSet:
        """R2: a deep copy of a set you can see, owned by you (default name "Copy of ...")."""
        return self._send(endpoints.copy_room_set(room_set_id, name))

    def delete_room_set(self, room_set_id: ID) -> None:
        """R6: delete the set and everything in it (host only)."""
        self._send(endpoints.delete_room_set(room_set_id))

    # S1–S6: rooms

    def create_room(
        self, room_set_id: ID, room: SocialCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> Social:
        """S1: a new room in a set you (co-)host, from a `SocialCreate` or its fields (`name=` ...)."""
        return self._send(endpoints.create_room(room_set_id, room, fields))

    def get_room(self, room_id: ID) -> Social:
        """S2: one room."""
        return self._send(endpoints.get_room(room_id)).value

    def get_room_with_etag(self, room_id: ID) -> Versioned[Social]:
        """S2: one room and its ETag, for `update_room(..., if_match=etag)`."""
        return self._send(endpoints.get_room(room_id))

    def update_room(self, room_id: ID, *, if_match: str | None = None, **changes: Any) -> Social:
        """S3: change the fields given (snake_case names of `SocialUpdate`); `None` clears."""
        return self._send(endpoints.update_room(room_id, if_match, changes)).value

    def delete_room(self, room_id: ID) -> None:
        """S4: delete a room (not the last of its set)."""
        self._send(endpoints.delete_room(room_id))

    def saved_rooms(self, *, size: int = 100, sort: Sort = None) -> Iterator[Social]:
        """S5: the rooms you saved, every page, fetched as you iterate."""
        return self._iterate(endpoints.saved_rooms(0, size, sort))

    def saved_rooms_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[Social]:
        """S5: one page of the rooms you saved."""
        return self._send(endpoints.saved_rooms(page, size, sort))

    def save_room(self, room_id: ID) -> None:
        """S6: save a room (idempotent)."""
        self._send(endpoints.save_room(room_id))

    def unsave_room(self, room_id: ID) -> None:
        """S6: unsave a room (idempotent)."""
        self._send(endpoints.unsave_room(room_id))

    # S7–S11: invites and attendance

    def invite(self, room_id: ID, invitees: Iterable[Invitee]) -> list[SocialInvite]:
        """S7: invite users by id or e-mail; one answer per item, failed ones with `error` set."""
        return self._send(endpoints.invite(room_id, invitees))

    def invites(self, room_id: ID, *, size: int = 100, sort: Sort = None) -> Iterator[SocialInvite]:
        """S8: the room's invites, every page, fetched as you iterate."""
        return self._iterate(endpoints.invites(room_id, 0, size, sort))

    def invites_page(self, room_id: ID, page: int = 0, size: int = 20, sort: Sort = None) -> Page[SocialInvite]:
        """S8: one page of the room's invites."""
        return self._send(endpoints.invites(room_id, page, size, sort))

    def join(self, room_id: ID) -> SocialAttendee:
        """S9: enter a room, or its queue (`WAITING`)."""
        return self._send(endpoints.join(room_id))

    def leave(self, room_id: ID) -> SocialAttendee:
        """S9: leave a room or its queue."""
        return self._send(endpoints.leave(room_id))

    def admit(self, room_id: ID, attendee_id: ID) -> SocialAttendee:
        """S10: let a waiting attendee in (hosts)."""
        return self._send(endpoints.admit(room_id, attendee_id))

    def reject(self, room_id: ID, attendee_id: ID) -> SocialAttendee:
        """S10: turn a waiting attendee away (hosts)."""
        return self._send(endpoints.reject(room_id, attendee_id))

    def attendees(
        self, room_id: ID, *, is_present: bool | None = None, size: int = 100, sort: Sort = None
    ) -> Iterator[SocialAttendee]:
        """S11: the room's attendees, every page, fetched as you iterate."""
        return self._iterate(endpoints.attendees(room_id, is_present, 0, size, sort))

    def attendees_page(
        self, room_id: ID, page: int = 0, size: int = 20, sort: Sort = None, *, is_present: bool | None = None
    ) -> Page[SocialAttendee]:
        """S11: one page of the room's attendees."""
        return self._send(endpoints.attendees(room_id, is_present, page, size, sort))

    # T1–T2: themes

    def create_theme(self, theme: ThemeCustomCreate | dict[str, Any] | None = None, /, **fields: Any) -> Theme:
        """T1: a custom theme; images (base64) are processed after the answer: see `wait_for_theme`."""
        return self._send(endpoints.create_theme(theme, fields))

    def get_theme(self, theme_id: ID) -> Theme:
        """T2: one theme."""
        return self._send(endpoints.get_theme(theme_id))

    def themes(self, *, size: int = 100, sort: Sort = None) -> Iterator[Theme]:
        """T2: the themes you may use, every page, fetched as you iterate."""
        return self._iterate(endpoints.themes(0, size, sort))

    def themes_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[Theme]:
        """T2: one page of the themes you may use."""
        return self._send(endpoints.themes(page, size, sort))

    def wait_for_theme(
        self,
        theme_id: ID,
        *,
        interval: float = 0.5,
        timeout: float | None = 600.0,
        on_progress: Callable[[Theme], None] | None = None,
    ) -> Theme:
        """Poll T2 until the theme's upload is COMPLETED or FAILED; `TimeoutError` after `timeout` s."""
        return self._drive(
            wait_for_theme(self._core, self._http, endpoints.get_theme(theme_id), interval, timeout, on_progress)
        )

    # E1–E2: entry configuration

    def put_entry_configuration(
        self, room_set_id: ID, configuration: EntryConfigurationCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> EntryConfiguration:
        """E1: create or replace the set's entry configuration."""
        return self._send(endpoints.put_entry_configuration(room_set_id, configuration, fields))

    def get_entry_configuration(self, room_set_id: ID) -> EntryConfiguration:
        """E2: the set's entry configuration."""
        return self._send(endpoints.get_entry_configuration(room_set_id))

    # B1–B3: badges

    def my_badge_data(self, room_set_id: ID, *, size: int = 100, sort: Sort = None) -> Iterator[BadgeData]:
        """B1: the set's badge questions with your answers, every page, fetched as you iterate."""
        return self._iterate(endpoints.my_badge_data(room_set_id, 0, size, sort))

    def my_badge_data_page(
        self, room_set_id: ID, page: int = 0, size: int = 20, sort: Sort = None
    ) -> Page[BadgeData]:
        """B1: one page of the set's badge questions with your answers."""
        return self._send(endpoints.my_badge_data(room_set_id, page, size, sort))

    def replace_badge_questions(
        self, room_set_id: ID, questions: Sequence[BadgeQuestionCreate | dict[str, Any]]
    ) -> list[BadgeData]:
        """B2: replace the set's badge questions (hosts)."""
        return self._send(endpoints.replace_badge_questions(room_set_id, questions))

    def answer_badge_questions(
        self, room_set_id: ID, answers: Sequence[BadgeAnswerCreate | dict[str, Any]]
    ) -> list[BadgeData]:
        """B3: answer badge questions by title."""
        return self._send(endpoints.answer_badge_questions(room_set_id, answers))

    # U1–U2: users

    def company_users(self, company_id: ID, *, size: int = 100, sort: Sort = None) -> Iterator[User]:
        """U1: the users of your company, every page, fetched as you iterate."""
        return self._iterate(endpoints.company_users(company_id, 0, size, sort))

    def company_users_page(self, company_id: ID, page: int = 0, size: int = 20, sort: Sort = None) -> Page[User]:
        """U1: one page of the users of your company."""
        return self._send(endpoints.company_users(company_id, page, size, sort))

    def me(self) -> User:
        """U2: the user whose key this is."""
        return self._send(endpoints.me())
