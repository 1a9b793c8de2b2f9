"""`AsyncRoomsetsClient`: the API from asyncio code, method for method like `RoomsetsClient`."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
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


class AsyncRoomsetsClient:
    """The asyncio twin of `RoomsetsClient`: the same methods and arguments, awaited; paged
    lists are async iterators (`async for room_set in client.my_room_sets(): ...`).
    Pass `http_client` to use your own `httpx.AsyncClient`; it is then yours to close.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: Retry | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._core = ClientCore(base_url, api_key, retry)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)

    @property
    def base_url(self) -> str:
        return self._core.base_url

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> "AsyncRoomsetsClient":
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # The transport: the only part that differs from RoomsetsClient.

    async def _drive(self, steps: Exchange[T]) -> T:
        reply: httpx.Response | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, httpx.Request):
                    try:
                        reply = await self._http.send(step)
                    except httpx.TransportError as exc:
                        raise connection_failed(step, exc) from exc
                else:
                    await asyncio.sleep(step)
                    reply = None
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    async def _send(self, call: Call[T]) -> T:
        return await self._drive(exchange(self._core, self._http, call))

    async def _iterate(self, call: Call[Page[T]]) -> AsyncIterator[T]:
        while True:
            page = await self._send(call)
            for item in page.items:
                yield item
            if page.next_params is None:
                return
            call = call.with_params(page.next_params)

    async def request(self, method: str, path: str, *, params: Any = None, json: Any = None) -> httpx.Response:
        """Any request, with the key, retries and typed errors but no parsing: the raw answer."""
        call = raw_call(method, path, params, json)
        return await self._send(call)

    # R1–R6: room sets

    def my_room_sets(self, *, size: int = 100, sort: Sort = None) -> AsyncIterator[SocialRoomSet]:
        """R1: the room sets you host, every page, fetched as you iterate."""
        return self._iterate(endpoints.my_room_sets(0, size, sort))

    async def my_room_sets_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[SocialRoomSet]:
        """R1: one page of the room sets you host, with the total."""
        return await self._send(endpoints.my_room_sets(page, size, sort))

    async def get_room_set(self, room_set_id: ID) -> SocialRoomSet:
        """R4: one room set."""
        return (await self._send(endpoints.get_room_set(room_set_id))).value

    async def get_room_set_with_etag(self, room_set_id: ID) -> Versioned[SocialRoomSet]:
        """R4: one room set and its ETag, for `update_room_set(..., if_match=etag)`."""
        return await self._send(endpoints.get_room_set(room_set_id))

    async def create_room_set(
        self, room_set: SocialRoomSetCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> SocialRoomSet:
        """R3: a new set hosted by you, from a `SocialRoomSetCreate` or its fields (`name=` ...)."""
        return await self._send(endpoints.create_room_set(room_set, fields))

    async def update_room_set(self, room_set_id: ID, *, if_match: str | None = None, **changes: Any) -> SocialRoomSet:
        """R5: change the fields given (snake_case names of `SocialRoomSetUpdate`); `None` clears."""
        return (await self._send(endpoints.update_room_set(room_set_id, if_match, changes))).value

    async def copy_room_set(self, room_set_id: ID, name: str | None = None) -> SocialRoomSet:
        """R2: a deep copy of a set you can see, owned by you (default name "Copy of ...")."""
        return await self._send(endpoints.copy_room_set(room_set_id, name))

    async def delete_room_set(self, room_set_id: ID) -> None:
        """R6: delete the set and everything in it (host only)."""
        await self._send(endpoints.delete_room_set(room_set_id))

    # S1–S6: rooms

    async def create_room(
        self, room_set_id: ID, room: SocialCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> Social:
        """S1: a new room in a set you (co-)host, from a `SocialCreate` or its fields (`name=` ...)."""
        return await self._send(endpoints.create_room(room_set_id, room, fields))

    async def get_room(self, room_id: ID) -> Social:
        """S2: one room."""
        return (await self._send(endpoints.get_room(room_id))).value

    async def get_room_with_etag(self, room_id: ID) -> Versioned[Social]:
        """S2: one room and its ETag, for `update_room(..., if_match=etag)`."""
        return await self._send(endpoints.get_room(room_id))

    async def update_room(self, room_id: ID, *, if_match: str | None = None, **changes: Any) -> Social:
        """S3: change the fields given (snake_case names of `SocialUpdate`); `None` clears."""
        return (await self._send(endpoints.update_room(room_id, if_match, changes))).value

    async def delete_room(self, room_id: ID) -> None:
        """S4: delete a room (not the last of its set)."""
        await self._send(endpoints.delete_room(room_id))

    def saved_rooms(self, *, size: int = 100, sort: Sort = None) -> AsyncIterator[Social]:
        """S5: the rooms you saved, every page, fetched as you iterate."""
        return self._iterate(endpoints.saved_rooms(0, size, sort))

    async def saved_rooms_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[Social]:
        """S5: one page of the rooms you saved."""
        return await self._send(endpoints.saved_rooms(page, size, sort))

    async def save_room(self, room_id: ID) -> None:
        """S6: save a room (idempotent)."""
        await self._send(endpoints.save_room(room_id))

    async def unsave_room(self, room_id: ID) -> None:
        """S6: unsave a room (idempotent)."""
        await self._send(endpoints.unsave_room(room_id))

    # S7–S11: invites and attendance

    async def invite(self, room_id: ID, invitees: Iterable[Invitee]) -> list[SocialInvite]:
        """S7: invite users by id or e-mail; one answer per item, failed ones with `error` set."""
        return await self._send(endpoints.invite(room_id, invitees))

    def invites(self, room_id: ID, *, size: int = 100, sort: Sort = None) -> AsyncIterator[SocialInvite]:
        """S8: the room's invites, every page, fetched as you iterate."""
        return self._iterate(endpoints.invites(room_id, 0, size, sort))

    async def invites_page(self, room_id: ID, page: int = 0, size: int = 20, sort: Sort = None) -> Page[SocialInvite]:
        """S8: one page of the room's invites."""
        return await self._send(endpoints.invites(room_id, page, size, sort))

    async def join(self, room_id: ID) -> SocialAttendee:
        """S9: enter a room, or its queue (`WAITING`)."""
        return await self._send(endpoints.join(room_id))

    async def leave(self, room_id: ID) -> SocialAttendee:
        """S9: leave a room or its queue."""
        return await self._send(endpoints.leave(room_id))

    async def admit(self, room_id: ID, attendee_id: ID) -> SocialAttendee:
        """S10: let a waiting attendee in (hosts)."""
        return await self._send(endpoints.admit(room_id, attendee_id))

    async def reject(self, room_id: ID, attendee_id: ID) -> SocialAttendee:
        """S10: turn a waiting attendee away (hosts)."""
        return await self._send(endpoints.reject(room_id, attendee_id))

    def attendees(
        self, room_id: ID, *, is_present: bool | None = None, size: int = 100, sort: Sort = None
    ) -> AsyncIterator[SocialAttendee]:
        """S11: the room's attendees, every page, fetched as you iterate."""
        return self._iterate(endpoints.attendees(room_id, is_present, 0, size, sort))

    async def attendees_page(
        self, room_id: ID, page: int = 0, size: int = 20, sort: Sort = None, *, is_present: bool | None = None
    ) -> Page[SocialAttendee]:
        """S11: one page of the room's attendees."""
        return await self._send(endpoints.attendees(room_id, is_present, page, size, sort))

    # T1–T2: themes

    async def create_theme(self, theme: ThemeCustomCreate | dict[str, Any] | None = None, /, **fields: Any) -> Theme:
        """T1: a custom theme; images (base64) are processed after the answer: see `wait_for_theme`."""
        return await self._send(endpoints.create_theme(theme, fields))

    async def get_theme(self, theme_id: ID) -> Theme:
        """T2: one theme."""
        return await self._send(endpoints.get_theme(theme_id))

    def themes(self, *, size: int = 100, sort: Sort = None) -> AsyncIterator[Theme]:
        """T2: the themes you may use, every page, fetched as you iterate."""
        return self._iterate(endpoints.themes(0, size, sort))

    async def themes_page(self, page: int = 0, size: int = 20, sort: Sort = None) -> Page[Theme]:
        """T2: one page of the themes you may use."""
        return await self._send(endpoints.themes(page, size, sort))

    async def wait_for_theme(
        self,
        theme_id: ID,
        *,
        interval: float = 0.5,
        timeout: float | None = 600.0,
        on_progress: Callable[[Theme], None] | None = None,
    ) -> Theme:
        """Poll T2 until the theme's upload is COMPLETED or FAILED; `TimeoutError` after `timeout` s."""
        return await self._drive(
            wait_for_theme(self._core, self._http, endpoints.get_theme(theme_id), interval, timeout, on_progress)
        )

    # E1–E2: entry configuration

    async def put_entry_configuration(
        self, room_set_id: ID, configuration: EntryConfigurationCreate | dict[str, Any] | None = None, /, **fields: Any
    ) -> EntryConfiguration:
        """E1: create or replace the set's entry configuration."""
        return await self._send(endpoints.put_entry_configuration(room_set_id, configuration, fields))

    async def get_entry_configuration(self, room_set_id: ID) -> EntryConfiguration:
        """E2: the set's entry configuration."""
        return await self._send(endpoints.get_entry_configuration(room_set_id))

    # B1–B3: badges

    def my_badge_data(self, room_set_id: ID, *, size: int = 100, sort: Sort = None) -> AsyncIterator[BadgeData]:
        """B1: the set's badge questions with your answers, every page, fetched as you iterate."""
        return self._iterate(endpoints.my_badge_data(room_set_id, 0, size, sort))

    async def my_badge_data_page(
        self, room_set_id: ID, page: int = 0, size: int = 20, sort: Sort = None
    ) -> Page[BadgeData]:
        """B1: one page of the set's badge questions with your answers."""
        return await self._send(endpoints.my_badge_data(room_set_id, page, size, sort))

    async def replace_badge_questions(
        self, room_set_id: ID, questions: Sequence[BadgeQuestionCreate | dict[str, Any]]
    ) -> list[BadgeData]:
        """B2: replace the set's badge questions (hosts)."""
        return await self._send(endpoints.replace_badge_questions(room_set_id, questions))

    async def answer_badge_questions(
        self, room_set_id: ID, answers: Sequence[BadgeAnswerCreate | dict[str, Any]]
    ) -> list[BadgeData]:
        """B3: answer badge questions by title."""
        return await self._send(endpoints.answer_badge_questions(room_set_id, answers))

    # U1–U2: users

    def company_users(self, company_id: ID, *, size: int = 100, sort: Sort = None) -> AsyncIterator[User]:
        """U1: the users of your company, every page, fetched as you iterate."""
        return self._iterate(endpoints.company_users(company_id, 0, size, sort))

    async def company_users_page(self, company_id: ID, page: int = 0, size: int = 20, sort: Sort = None) -> Page[User]:
        """U1: one page of the users of your company."""
        return await self._send(endpoints.company_users(company_id, page, size, sort))

    async def me(self) -> User:
        """U2: the user whose key this is."""
        return await self._send(endpoints.me())
