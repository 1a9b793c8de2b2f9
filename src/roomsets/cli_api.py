"""`roomsets sets|rooms|themes`: the API from the command line, over HTTP.

Unlike the operator commands (`serve`, `migrate`, `user`, `key`, `demo`), which work on the
database directly, these are a client like any other: they call a running server, Roomsets
or Scoot, at `--url` (ROOMSETS_URL) with `--api-key` (ROOMSETS_API_KEY), and see what that
key may see. Every command takes `--json` for scripts; an error exits 1 with one line on
stderr, the problem's detail.
"""

import base64
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Column, Table
from rich.tree import Tree

from roomsets.client import RoomsetsClient, RoomsetsError
from roomsets.client.models import RoomSize, Social, SocialPermissionType, SocialRoomSet, Theme, ThemeType, UploadState

OVER_HTTP = "Over the HTTP API of a running server (--url/ROOMSETS_URL, --api-key/ROOMSETS_API_KEY), not the database."

sets_app = typer.Typer(help=f"Room sets. {OVER_HTTP}", no_args_is_help=True)
rooms_app = typer.Typer(help=f"Rooms, their invites and attendees. {OVER_HTTP}", no_args_is_help=True)
themes_app = typer.Typer(help=f"Themes. {OVER_HTTP}", no_args_is_help=True)

out = Console()
err = Console(stderr=True)

Url = Annotated[
    str | None,
    typer.Option(
        "--url", envvar="ROOMSETS_URL", help="The API's base URL, e.g. https://api.scoot.app.", show_default=False
    ),
]
ApiKey = Annotated[
    str | None,
    typer.Option("--api-key", envvar="ROOMSETS_API_KEY", help="The API key (X-API-Key).", show_default=False),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")]
HostAdmitted = Annotated[bool | None, typer.Option(help="The host admits each arrival.", show_default=False)]
Permission = Annotated[SocialPermissionType | None, typer.Option(help="Who may see it.", case_sensitive=False)]


def fail(message: str) -> NoReturn:
    err.print(f"error: {message}", style="red", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def api(url: str | None, api_key: str | None) -> Iterator[RoomsetsClient]:
    """A client for one command; an API error ends the command with its detail."""
    try:
        with RoomsetsClient(url, api_key) as client:
            yield client
    except RoomsetsError as exc:
        fail(exc.detail)
    except TimeoutError as exc:
        fail(str(exc))


def print_json(value: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    if isinstance(value, BaseModel):
        data: Any = value.model_dump(mode="json")
    elif isinstance(value, dict):
        data = value
    else:
        data = [item.model_dump(mode="json") for item in value]
    typer.echo(json.dumps(data, indent=2))


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    try:
        agreed = typer.confirm(question, err=True)
    except typer.Abort:  # no answer at all: stdin closed, or Ctrl-C
        err.print()  # end the prompt's line
        agreed = False
    if not agreed:
        fail("aborted; nothing was deleted")


def _given(**options: Any) -> dict[str, Any]:
    """The options the user gave: the others stay out of the request, so the server's defaults apply."""
    return {key: value for key, value in options.items() if value is not None}


def room_counts(rooms: Sequence[Social]) -> str:
    present = sum(r.social_meta.number_currently_present for r in rooms)
    attendees = sum(r.social_meta.number_of_attendees for r in rooms)
    return f"{present}/{attendees}"


# sets


@sets_app.command("list")
def sets_list(url: Url = None, api_key: ApiKey = None, as_json: AsJson = False) -> None:
    """List the room sets you host (every page)."""
    with api(url, api_key) as client:
        room_sets = list(client.my_room_sets())
    if as_json:
        return print_json(room_sets)
    table = Table(
        Column("room set", min_width=36),  # a whole id, so it can be copied
        Column("rooms", justify="right"),
        Column("present/\nattendees", justify="right"),
        Column("permission", max_width=11),
        title="My room sets",
    )
    for s in room_sets:
        table.add_row(
            f"[bold]{escape(s.name)}[/]\n[dim]{s.social_room_set_id}[/]",
            str(len(s.socials)),
            room_counts(s.socials),
            # Spaces let COMPANY_AND_CONNECTIONS wrap in 80 columns; --json has the literal.
            s.social_permission_type.value.replace("_", " "),
        )
    out.print(table)


def set_tree(room_set: SocialRoomSet) -> Tree:
    host = room_set.host_user
    tree = Tree(f"[bold]{escape(room_set.name)}[/]  [dim]{room_set.social_room_set_id}[/]")
    tree.add(
        f"host {escape(host.name)} <{escape(host.email_address)}> · {room_set.social_permission_type.value}"
        f" · entry {room_set.entry_option.value} · {len(room_set.alternate_hosts)} alternate host(s)"
    )
    rooms = tree.add(f"rooms ({len(room_set.socials)}, ★ starting point)")
    for room in room_set.socials:
        star = "★ " if room.social_id == room_set.starting_point_social_id else ""
        meta = room.social_meta
        rooms.add(
            f"{star}[bold]{escape(room.name)}[/]  [dim]{room.social_id}[/]\n"
            f"{meta.number_currently_present} present · {meta.number_of_attendees} attendees · "
            f"{meta.number_of_invites} invites · max {room.max_participants} · "
            f"{room.starting_width}×{room.starting_height} px" + (" · host admits" if room.host_admitted else "")
        )
    return tree


@sets_app.command("show")
def sets_show(
    room_set_id: Annotated[str, typer.Argument(help="The socialRoomSetId.")],
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Show a room set and its rooms."""
    with api(url, api_key) as client:
        room_set = client.get_room_set(room_set_id)
    if as_json:
        return print_json(room_set)
    out.print(set_tree(room_set))


@sets_app.command("create")
def sets_create(
    name: Annotated[str, typer.Argument(help="The set's name.")],
    room: Annotated[
        list[str] | None,
        typer.Option("--room", help="A room to make, by name; repeat. Default: one named after the set."),
    ] = None,
    description: Annotated[str | None, typer.Option(help="A description.")] = None,
    permission: Permission = None,
    host_admitted: HostAdmitted = None,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Create a room set hosted by you; print its id."""
    fields = _given(description=description, social_permission_type=permission, host_admitted=host_admitted)
    with api(url, api_key) as client:
        room_set = client.create_room_set(name=name, socials=[{"name": r} for r in room or []], **fields)
    if as_json:
        return print_json(room_set)
    typer.echo(room_set.social_room_set_id)


@sets_app.command("copy")
def sets_copy(
    room_set_id: Annotated[str, typer.Argument(help="The set to copy (any set you can see).")],
    name: Annotated[str | None, typer.Option(help='Name of the copy; default "Copy of <name>".')] = None,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Copy a room set (rooms, settings, themes, entry rules, badge questions); print the copy's id."""
    with api(url, api_key) as client:
        copy = client.copy_room_set(room_set_id, name)
    if as_json:
        return print_json(copy)
    typer.echo(copy.social_room_set_id)


@sets_app.command("delete")
def sets_delete(
    room_set_id: Annotated[str, typer.Argument(help="The set to delete.")],
    yes: Yes = False,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Delete a room set and everything in it (asks first)."""
    with api(url, api_key) as client:
        room_set = client.get_room_set(room_set_id)
        confirm(f"Delete the room set {room_set.name!r} and its {len(room_set.socials)} room(s)?", yes)
        client.delete_room_set(room_set_id)
    if as_json:
        return print_json({"deleted": str(room_set.social_room_set_id)})
    err.print(f"deleted {room_set.name}", highlight=False, markup=False)


# rooms


@rooms_app.command("create")
def rooms_create(
    room_set_id: Annotated[str, typer.Argument(help="The set the room joins.")],
    name: Annotated[str, typer.Argument(help="The room's name.")],
    size: Annotated[RoomSize | None, typer.Option(help="A named size.", case_sensitive=False)] = None,
    max_participants: Annotated[int | None, typer.Option(help="At most this many inside.")] = None,
    description: Annotated[str | None, typer.Option(help="A description.")] = None,
    permission: Permission = None,
    host_admitted: HostAdmitted = None,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Create a room in a set you host; print its id."""
    fields = _given(size=size, max_participants=max_participants, description=description,
                    social_permission_type=permission, host_admitted=host_admitted)
    with api(url, api_key) as client:
        room = client.create_room(room_set_id, name=name, **fields)
    if as_json:
        return print_json(room)
    typer.echo(room.social_id)


@rooms_app.command("update")
def rooms_update(
    room_id: Annotated[str, typer.Argument(help="The room.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    description: Annotated[str | None, typer.Option(help="New description (\"\" clears it).")] = None,
    max_participants: Annotated[int | None, typer.Option(help="At most this many inside.")] = None,
    permission: Permission = None,
    host_admitted: HostAdmitted = None,
    if_match: Annotated[str | None, typer.Option(help="Only if the room's ETag is still this.")] = None,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Change a room's settings; what you leave out stays."""
    changes = _given(
        name=name, max_participants=max_participants, social_permission_type=permission, host_admitted=host_admitted
    )
    if description is not None:
        changes["description"] = description or None
    if not changes:
        fail("nothing to change: give at least one option")
    with api(url, api_key) as client:
        room = client.update_room(room_id, if_match=if_match, **changes)
    if as_json:
        return print_json(room)
    typer.echo(room.social_id)


@rooms_app.command("delete")
def rooms_delete(
    room_id: Annotated[str, typer.Argument(help="The room.")],
    yes: Yes = False,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Delete a room (not the last of its set; asks first)."""
    with api(url, api_key) as client:
        room = client.get_room(room_id)
        confirm(f"Delete the room {room.name!r}?", yes)
        client.delete_room(room_id)
    if as_json:
        return print_json({"deleted": str(room.social_id)})
    err.print(f"deleted {room.name}", highlight=False, markup=False)


@rooms_app.command("invite")
def rooms_invite(
    room_id: Annotated[str, typer.Argument(help="The room.")],
    who: Annotated[list[str], typer.Argument(help="E-mail addresses or user ids.")],
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Invite users to a room. Items that fail (unknown, already invited) are listed with the reason;
    the others are saved. Exits 0 when the request was answered, whatever the items."""
    with api(url, api_key) as client:
        answers = client.invite(room_id, who)
    if as_json:
        return print_json(answers)
    table = Table("who", "invited", "result")
    for asked, answer in zip(who, answers):
        user = answer.invited_user
        result = escape(answer.error) if answer.error else "invited"
        table.add_row(escape(asked), escape(user.name) if user else "", result)
    out.print(table)


@rooms_app.command("attendees")
def rooms_attendees(
    room_id: Annotated[str, typer.Argument(help="The room.")],
    present: Annotated[
        bool | None,
        typer.Option("--present/--absent", help="Only those inside, or only the others.", show_default=False),
    ] = None,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """List a room's attendees (hosts see everyone; others, those inside)."""
    with api(url, api_key) as client:
        attendees = list(client.attendees(room_id, is_present=present))
    if as_json:
        return print_json(attendees)
    table = Table("name", "e-mail", "status", "arrived", "host")
    for a in attendees:
        arrived = a.date_time_arrived.strftime("%Y-%m-%d %H:%M") if a.date_time_arrived else ""
        status = a.status.value + (f" #{a.queue_position}" if a.queue_position else "")
        user = a.attendee_user
        table.add_row(escape(user.name), escape(user.email_address), status, arrived, "yes" if a.is_host else "")
    out.print(table)


# themes


def _encoded(path: Path) -> str:
    try:
        return base64.b64encode(path.read_bytes()).decode()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


def _uploads(files: list[Path], name: str | None, layered: bool) -> list[dict[str, Any]]:
    """T1 bodies: one SINGLE_IMAGE theme per file, or one LAYERED theme of three files."""
    if layered:
        if len(files) != 3:
            fail("--layered takes exactly three files: far, middle and near layer")
        far, mid, near = (_encoded(f) for f in files)
        theme = {"type": ThemeType.LAYERED, "social_theme_name": name or files[0].stem}
        return [{"theme": theme, "image_far_bytes": far, "image_mid_bytes": mid, "image_near_bytes": near}]
    if name is not None and len(files) > 1:
        fail("--name names one theme; give one file, or leave --name out to name each after its file")
    return [
        {"theme": {"type": ThemeType.SINGLE_IMAGE, "social_theme_name": name or f.stem}, "image_bytes": _encoded(f)}
        for f in files
    ]


def _progress(theme: Theme) -> int:
    return theme.upload_status.progress if theme.upload_status else 100


@themes_app.command("upload")
def themes_upload(
    files: Annotated[list[Path], typer.Argument(help="Images (PNG, JPEG or WebP), one theme each.")],
    name: Annotated[str | None, typer.Option(help="The theme's name; default the file's name.")] = None,
    layered: Annotated[bool, typer.Option(help="Make one LAYERED theme of three files: far, middle, near.")] = False,
    wait: Annotated[bool, typer.Option(help="Follow the processing until it ends.")] = True,
    url: Url = None,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Upload images as custom themes and follow their processing; print each theme's id."""
    bodies = _uploads(files, name, layered)
    themes: list[Theme] = []
    with api(url, api_key) as client:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err, disable=as_json
        ) as progress:
            for body in bodies:
                theme = client.create_theme(body)
                task = progress.add_task(escape(theme.social_theme_name), total=100)
                if wait:
                    theme = client.wait_for_theme(
                        theme.social_theme_id, on_progress=lambda t: progress.update(task, completed=_progress(t))
                    )
                themes.append(theme)
    if as_json:
        print_json(themes)
    else:
        for theme in themes:
            typer.echo(theme.social_theme_id)
    failed = [t for t in themes if t.upload_status and t.upload_status.status == UploadState.FAILED]
    if failed:
        fail("; ".join(f"{t.social_theme_name}: {t.upload_status.failure_reason}" for t in failed if t.upload_status))
