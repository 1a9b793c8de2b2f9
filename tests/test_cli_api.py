"""`roomsets sets|rooms|themes` against a live server, as a person and as a script would use them."""

import json
import uuid
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from roomsets.cli import app
from roomsets.client import RoomsetsClient
from tests.conftest import live_server
from tests.factories import make_caller, make_image, make_room_set


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    with live_server(database, media_dir=str(tmp_path_factory.mktemp("media"))) as url:
        yield url


@pytest.fixture
def roomsets(server, clean_tables):
    """Runs `roomsets ...` with ROOMSETS_URL set and the key given; checks the exit code."""
    runner = CliRunner()

    def run(key: str, *args: str, ok: bool = True, input: str | None = None):
        result = runner.invoke(
            app, list(args), env={"ROOMSETS_URL": server, "ROOMSETS_API_KEY": key}, input=input
        )
        if ok:
            assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    return run


async def key_of(db, **kwargs) -> str:
    _, headers = await make_caller(db, **kwargs)
    await db.commit()
    return headers["X-API-Key"]


async def test_sets_list_is_a_readable_table_and_json_for_scripts(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Harbour", "--room", "Quay", "--room", "Lighthouse", "--permission", "company").stdout.strip()
    uuid.UUID(set_id)

    lines = roomsets(key, "sets", "list").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    at = next(n for n, line in enumerate(lines) if "Harbour" in line)
    assert [cell.strip() for cell in lines[at].strip("│").split("│")] == ["Harbour", "2", "0/0", "COMPANY"]
    assert set_id in lines[at + 1]

    (listed,) = json.loads(roomsets(key, "sets", "list", "--json").stdout)
    assert listed["socialRoomSetId"] == set_id and [r["name"] for r in listed["socials"]] == ["Quay", "Lighthouse"]


async def test_sets_show_draws_the_set_with_its_rooms(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Campus", "--room", "Library", "--room", "Gym").stdout.strip()
    shown = roomsets(key, "sets", "show", set_id).stdout
    assert "Campus" in shown and "★ Library" in shown and "Gym" in shown and "└──" in shown
    assert json.loads(roomsets(key, "sets", "show", set_id, "--json").stdout)["name"] == "Campus"


async def test_sets_copy_prints_the_copy_id(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Original").stdout.strip()
    copy_id = roomsets(key, "sets", "copy", set_id, "--name", "Twin").stdout.strip()
    assert json.loads(roomsets(key, "sets", "show", copy_id, "--json").stdout)["name"] == "Twin"
    assert json.loads(roomsets(key, "sets", "copy", set_id, "--json").stdout)["name"] == "Copy of Original"


async def test_delete_asks_first_and_no_deletes_nothing(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Precious").stdout.strip()
    refused = roomsets(key, "sets", "delete", set_id, input="n\n", ok=False)
    assert refused.exit_code == 1 and "Precious" in refused.stderr and "aborted" in refused.stderr
    no_answer = roomsets(key, "sets", "delete", set_id, input="", ok=False)  # stdin closed
    assert no_answer.exit_code == 1 and no_answer.stderr.splitlines()[-1] == "error: aborted; nothing was deleted"
    roomsets(key, "sets", "show", set_id)

    roomsets(key, "sets", "delete", set_id, input="y\n")
    assert roomsets(key, "sets", "show", set_id, ok=False).exit_code == 1


async def test_delete_with_yes_does_not_ask(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Scratch").stdout.strip()
    assert json.loads(roomsets(key, "sets", "delete", set_id, "--yes", "--json").stdout) == {"deleted": set_id}


@pytest.mark.parametrize(
    ("args", "detail"),
    [
        (("sets", "show", "00000000-0000-0000-0000-000000000000"), "room set"),
        (("sets", "show", "not-an-id"), "socialRoomSetId"),
        (("sets", "create", " "), "name"),
        (("rooms", "update", "00000000-0000-0000-0000-000000000000", "--name", "X"), "room"),
    ],
)
async def test_an_error_exits_1_with_the_detail_on_one_line(roomsets, db, args, detail):
    key = await key_of(db)
    result = roomsets(key, *args, ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: ") and detail in result.stderr and result.stderr.count("\n") == 1


def test_a_bad_key_or_no_url_is_one_error_line(roomsets):
    result = roomsets("rsk_unknown", "sets", "list", ok=False)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    no_url = CliRunner().invoke(app, ["sets", "list"], env={"ROOMSETS_URL": None, "ROOMSETS_API_KEY": "rsk_x"})
    assert no_url.exit_code == 1 and "ROOMSETS_URL" in no_url.stderr


async def test_rooms_create_update_delete(roomsets, db):
    key = await key_of(db)
    set_id = roomsets(key, "sets", "create", "Venue").stdout.strip()
    room_id = roomsets(key, "rooms", "create", set_id, "Foyer", "--size", "small", "--host-admitted").stdout.strip()
    room = json.loads(roomsets(key, "rooms", "update", room_id, "--name", "Lobby", "--max-participants", "7", "--json").stdout)
    assert (room["name"], room["maxParticipants"], room["startingWidth"], room["hostAdmitted"]) == ("Lobby", 7, 4000, True)
    assert "nothing to change" in roomsets(key, "rooms", "update", room_id, ok=False).stderr
    roomsets(key, "rooms", "delete", room_id, "--yes")
    (last,) = json.loads(roomsets(key, "sets", "show", set_id, "--json").stdout)["socials"]
    conflict = roomsets(key, "rooms", "delete", last["socialId"], "--yes", ok=False)
    assert conflict.exit_code == 1 and "last room" in conflict.stderr


async def test_invite_lists_each_result_and_attendees_shows_who_came(roomsets, db, server):
    host, host_headers = await make_caller(db)
    guest, guest_headers = await make_caller(db, first_name="Gina", last_name="Guest")
    room_set = await make_room_set(db, host)
    await db.commit()
    (room,) = json.loads(roomsets(host_headers["X-API-Key"], "sets", "show", str(room_set.id), "--json").stdout)["socials"]

    table = roomsets(host_headers["X-API-Key"], "rooms", "invite", room["socialId"], guest.email, "ghost@example.test").stdout
    assert "Gina Guest" in table and "invited" in table and "ghost@example.test" in table
    answers = json.loads(roomsets(host_headers["X-API-Key"], "rooms", "invite", room["socialId"], guest.email, "--json").stdout)
    assert answers[0]["error"] is not None

    with RoomsetsClient(server, guest_headers["X-API-Key"]) as guesting:
        guesting.join(room["socialId"])
    inside = roomsets(host_headers["X-API-Key"], "rooms", "attendees", room["socialId"], "--present").stdout
    row = next(line for line in inside.splitlines() if "Gina Guest" in line)
    assert "JOINED" in row and guest.email in row
    assert json.loads(roomsets(host_headers["X-API-Key"], "rooms", "attendees", room["socialId"], "--absent", "--json").stdout) == []


async def test_themes_upload_follows_the_processing_to_the_end(roomsets, db, tmp_path):
    key = await key_of(db)
    image = tmp_path / "meadow.png"
    image.write_bytes(make_image(400, 300))
    result = roomsets(key, "themes", "upload", str(image))
    theme_id = result.stdout.strip()
    uuid.UUID(theme_id)
    assert "meadow" in result.stderr and "100%" in result.stderr

    (theme,) = json.loads(roomsets(key, "themes", "upload", str(image), "--name", "Field", "--json").stdout)
    assert theme["socialThemeName"] == "Field" and theme["uploadStatus"]["status"] == "COMPLETED"


async def test_a_failed_theme_exits_1_with_its_reason(roomsets, db, tmp_path):
    key = await key_of(db)
    broken = tmp_path / "broken.png"
    whole = make_image(600, 400)
    broken.write_bytes(whole[: len(whole) // 3])  # readable header, pixels cut short: fails while processed
    result = roomsets(key, "themes", "upload", str(broken), ok=False)
    assert result.exit_code == 1 and uuid.UUID(result.stdout.strip())
    assert result.stderr.splitlines()[-1].startswith("error: broken: ")


async def test_an_upload_the_server_refuses_exits_1(roomsets, db, tmp_path):
    key = await key_of(db)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    result = roomsets(key, "themes", "upload", str(text), ok=False)
    assert result.exit_code == 1 and result.stdout == "" and "imageBytes" in result.stderr
