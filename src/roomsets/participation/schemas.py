import uuid
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints

from roomsets.kit.schemas import RequestModel, UtcDateTime, WireModel
from roomsets.participation.models import AttendeeStatus, EntryFlow
from roomsets.sets.models import EntryOption
from roomsets.users.schemas import User


class InvitedUserRef(RequestModel):
    """The part of a User an invite may name: the invitee's e-mail address."""

    email_address: str | None = None


class SocialInviteCreate(RequestModel):
    """One item of an invite request: `invitedUserId` or `invitedUser.emailAddress`."""

    invited_user_id: uuid.UUID | None = None
    invited_user: InvitedUserRef | None = None


class SocialInvite(WireModel):
    """An invitation to a room. In an S7 answer an item that failed carries `error` and no id."""

    social_invite_id: uuid.UUID | None
    social_id: uuid.UUID
    invited_user_id: uuid.UUID | None
    invited_user: User | None
    did_attend: bool = Field(description="True once the invitee has entered the room.")
    date_time_invited: UtcDateTime | None
    error: str | None = Field(description="Why this item was not saved; null when it was.")


class SocialAttendee(WireModel):
    """One user's place in a room: waiting in its queue, inside, turned away or gone."""

    social_attendee_id: uuid.UUID
    social_id: uuid.UUID
    attendee_user_id: uuid.UUID
    attendee_user: User
    date_time_arrived: UtcDateTime | None = Field(
        description="When the attendee last entered the room; null while they never got in."
    )
    is_host: bool
    is_present: bool = Field(description="True exactly when status is JOINED.")
    location: str | None
    ring_color: str | None
    token_id: str | None
    stream_connection_id: str | None
    status: AttendeeStatus
    queue_position: int | None = Field(description="1-based place in the room's queue while WAITING.")
    queue_length: int = Field(description="How many attendees of the room are WAITING.")
    presenter_video_quality: str | None
    social_changed: bool = Field(
        description="True when this join moved the caller from another room of the set, or "
        "landed them in the starting point room instead of the one asked for."
    )
    updated_websocket_url: str | None = Field(alias="updatedWebsocketURL")
    favorite_user_ids: list[uuid.UUID]


RuleScalar = StrictBool | int | float | str


class EntryRule(RequestModel):
    """One condition on the caller: `property` `operator` `value`."""

    property: str
    operator: str
    value: RuleScalar | list[str] | None = None


class EntryConfiguration(WireModel):
    configuration_id: uuid.UUID
    name: str | None
    entry_option: EntryOption
    group_spawn_size: int
    group_former_count: int
    starting_point_x: int | None
    starting_point_y: int | None
    entry_flow: EntryFlow
    rules: list[EntryRule]
    associated_social_ids: list[uuid.UUID]


class EntryConfigurationCreate(RequestModel):
    """The whole entry configuration of a set: it replaces the one there is, if any."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None
    entry_option: EntryOption = EntryOption.DEFAULT
    group_spawn_size: Annotated[int, Field(ge=0, le=1000)] = 0
    group_former_count: Annotated[int, Field(ge=0, le=1000)] = 0
    starting_point_x: Annotated[int, Field(ge=0)] | None = None
    starting_point_y: Annotated[int, Field(ge=0)] | None = None
    entry_flow: EntryFlow = EntryFlow.SPIRAL
    rules: Annotated[list[EntryRule], Field(max_length=100)] = []
    associated_social_ids: Annotated[list[uuid.UUID], Field(max_length=1000)] = []
