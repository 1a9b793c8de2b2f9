"""T1 `POST /api/v1/theme/custom`: validation, tiling, previews, progress, failure, resume.

Every test runs its own app on a fresh media directory, on SQLite and PostgreSQL.
"""

import asyncio
import base64
import struct
import uuid
import zlib
from pathlib import Path
from typing import Any

import pytest
import pyvips
from sqlalchemy import event, func, select

from roomsets.themes.models import Theme, ThemeTile, ThemeType, UploadState
from roomsets.themes.storage import LocalStorage
from tests.conftest import make_settings, running_app
from tests.factories import make_caller, make_image, make_theme

CUSTOM = "/api/v1/theme/custom"
TILE = 256
UPLOAD_LIMIT = 4 * 1024 * 1024


@pytest.fixture
async def themes(database, clean_tables, tmp_path):
    """(app, client, media directory) of an app cutting 256 px tiles into a fresh directory."""
    media = tmp_path / "media"
    settings = make_settings(
        database,
        media_dir=media,
        tile_size=TILE,
        max_theme_upload_bytes=UPLOAD_LIMIT,
        theme_preview_width=300,
        theme_minimap_width=80,
        theme_progress_interval=0.01,
    )
    async with running_app(settings) as (app, client):
        yield app, client, media


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def png(width: int = 600, height: int = 400, **kwargs: Any) -> str:
    return b64(make_image(width, height, **kwargs))


def theme_spec(theme_type: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": theme_type, "socialThemeName": f"My {theme_type}", "colorPrimary": "#123456", **kwargs}


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height but that holds almost no data (a bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


async def wait_until_done(app, client, headers, theme_id: str) -> dict[str, Any]:
    await asyncio.wait_for(app.state.theme_jobs.wait(), timeout=60)
    response = await client.get(f"/api/v1/theme/{theme_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def counts(database) -> tuple[int, int]:
    async with database.engine.connect() as connection:
        themes = (await connection.execute(select(func.count()).select_from(Theme))).scalar_one()
        tiles = (await connection.execute(select(func.count()).select_from(ThemeTile))).scalar_one()
    return themes, tiles


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def layer_of(tile: dict[str, Any]) -> str:
    return tile["uri"].split("/")[-2]


def assert_exact_cover(tiles: list[dict[str, Any]], width: int, height: int) -> None:
    """The tiles cover width × height exactly: inside it, areas add up, and none overlap."""
    assert sum(t["width"] * t["height"] for t in tiles) == width * height
    for t in tiles:
        assert 0 <= t["x"] and t["x"] + t["width"] <= width and 0 <= t["y"] and t["y"] + t["height"] <= height
        assert 0 < t["width"] <= TILE and 0 < t["height"] <= TILE
    for i, a in enumerate(tiles):
        for b in tiles[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)


async def fetch_image(client, uri: str) -> pyvips.Image:
    response = await client.get(uri)
    assert response.status_code == 200, uri
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] in ("image/png", "image/jpeg", "image/webp")
    return pyvips.Image.new_from_buffer(response.content, "")


async def test_single_color_theme_is_complete_at_once(themes, db):
    _, client, media = themes
    user, headers = await make_caller(db, company_name="Acme")
    await db.commit()

    response = await client.post(
        CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_COLOR", colorBackground="#abc", colorButtonBG="#11223344")}
    )

    assert response.status_code == 201, response.text
    theme = response.json()
    assert response.headers["location"] == f"http://testserver/api/v1/theme/{theme['socialThemeId']}"
    assert theme["type"] == "SINGLE_COLOR"
    assert theme["colorBackground"] == "#abc" and theme["colorButtonBG"] == "#11223344"
    assert theme["uploadStatus"]["status"] == "COMPLETED" and theme["uploadStatus"]["progress"] == 100
    assert theme["uploadStatus"]["userId"] == str(user.id)
    assert theme["tiles"] == [] and theme["imageFarURI"] is None and theme["multiSize"] is False
    assert stored_files(media) == []


async def test_single_image_theme_is_tiled_with_a_preview_and_a_minimap(themes, db):
    app, client, media = themes
    _, headers = await make_caller(db)
    await db.commit()

    response = await client.post(
        CUSTOM, headers=headers | {"X-Request-Id": "req-42"}, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": png(600, 400)}
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["uploadStatus"]["status"] == "IN_PROGRESS"
    assert created["uploadStatus"]["progress"] < 100
    assert created["uploadStatus"]["requestId"] == "req-42"
    assert (created["imageWidth"], created["imageHeight"]) == (600, 400)
    theme = await wait_until_done(app, client, headers, created["socialThemeId"])
    assert theme["uploadStatus"]["status"] == "COMPLETED" and theme["uploadStatus"]["progress"] == 100
    assert theme["uploadStatus"]["endedDateTime"] is not None
    assert theme["multiSize"] is True
    assert len(theme["tiles"]) == 3 * 2
    assert_exact_cover(theme["tiles"], 600, 400)
    assert (await fetch_image(client, theme["imageFarURI"])).width == 600
    preview = await fetch_image(client, theme["previewImageURI"])
    minimap = await fetch_image(client, theme["minimapImageURI"])
    assert preview.width == 300 and minimap.width == 80
    last = theme["tiles"][-1]
    tile = await fetch_image(client, last["uri"])
    assert (tile.width, tile.height) == (last["width"], last["height"]) == (600 - 512, 400 - 256)


@pytest.mark.parametrize("image_format", [".png", ".jpg", ".webp"])
async def test_png_jpeg_and_webp_are_accepted(themes, db, image_format):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()

    image = b64(make_image(300, 200, image_format=image_format))
    response = await client.post(CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": image})

    assert response.status_code == 201, response.text
    theme = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    assert theme["uploadStatus"]["status"] == "COMPLETED"
    assert theme["imageFarURI"].endswith(image_format.replace(".jpg", ".jpg"))


async def test_layered_theme_tiles_exactly_cover_each_layer(themes, db):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()
    width, height = 700, 530

    response = await client.post(
        CUSTOM,
        headers=headers,
        json={
            "theme": theme_spec("LAYERED"),
            "imageFarBytes": png(width, height),
            "imageMidBytes": png(width, height, alpha=True),
            "imageNearBytes": png(width, height, alpha=True, image_format=".webp"),
        },
    )

    assert response.status_code == 201, response.text
    theme = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    assert theme["uploadStatus"]["status"] == "COMPLETED"
    assert (theme["imageWidth"], theme["imageHeight"]) == (width, height)
    assert all(theme[k] for k in ("imageFarURI", "imageMidURI", "imageNearURI"))
    # Tiles are listed layer by layer, back to front, each layer row by row.
    layers = [layer_of(t) for t in theme["tiles"]]
    assert layers == ["far"] * 9 + ["mid"] * 9 + ["near"] * 9
    for layer in ("far", "mid", "near"):
        assert_exact_cover([t for t in theme["tiles"] if layer_of(t) == layer], width, height)
    assert theme["tiles"][9]["uri"].endswith(".png")  # transparency kept
    preview = await fetch_image(client, theme["previewImageURI"])
    assert preview.width <= 300 and (await fetch_image(client, theme["minimapImageURI"])).width <= 80


async def test_progress_rises_to_100_and_completed(themes, db):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()
    written: list[int] = []

    def capture(_conn, _cursor, statement, parameters, *_args):
        # The job's progress writes set that one column; the final write sets 100 with the tiles.
        if " ".join(statement.split()).startswith("UPDATE themes SET upload_progress=") and "," not in statement:
            values = parameters if isinstance(parameters, (list, tuple)) else list(parameters.values())
            written.append(values[0])

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", capture)
    try:
        response = await client.post(
            CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": png(4000, 3000)}
        )
        theme = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    finally:
        event.remove(app.state.engine.sync_engine, "before_cursor_execute", capture)

    assert theme["uploadStatus"]["status"] == "COMPLETED" and theme["uploadStatus"]["progress"] == 100
    assert written and written == sorted(written) and all(0 < p < 100 for p in written), written


async def test_an_image_that_fails_to_decode_ends_failed_with_a_reason(themes, db):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()
    whole = make_image(600, 400)
    truncated = whole[: len(whole) // 3]  # the header is intact; the pixel data is cut short

    response = await client.post(CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": b64(truncated)})

    assert response.status_code == 201, response.text
    theme = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    status = theme["uploadStatus"]
    assert status["status"] == "FAILED"
    assert "could not be decoded" in status["failureReason"]
    assert status["endedDateTime"] is not None
    assert theme["tiles"] == []


async def test_an_unfinished_job_is_resumed_at_the_next_start(database, db, tmp_path):
    media = tmp_path / "media"
    user, headers = await make_caller(db)
    storage = LocalStorage(media)
    storage.put_bytes("themes/sources/left-behind.png", make_image(520, 300))
    theme = await make_theme(
        db,
        type=ThemeType.SINGLE_IMAGE,
        owner_user_id=user.id,
        image_far_key="themes/sources/left-behind.png",
        upload_request_status_id=uuid.uuid4(),
        upload_user_id=user.id,
        upload_status=UploadState.IN_PROGRESS,
        upload_progress=40,
    )
    await db.commit()

    async with running_app(make_settings(database, media_dir=media, tile_size=TILE)) as (app, client):
        done = await wait_until_done(app, client, headers, str(theme.id))

    assert done["uploadStatus"]["status"] == "COMPLETED" and done["uploadStatus"]["progress"] == 100
    assert len(done["tiles"]) == 3 * 2
    assert_exact_cover(done["tiles"], 520, 300)


async def test_a_layer_of_a_usable_theme_is_reused_by_its_id(themes, db):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()
    first = await client.post(
        CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": png(600, 400)}
    )
    done = await wait_until_done(app, client, headers, first.json()["socialThemeId"])

    response = await client.post(
        CUSTOM,
        headers=headers,
        json={
            "theme": theme_spec("LAYERED"),
            "imageFarId": done["socialThemeId"],
            "imageMidBytes": png(600, 400, alpha=True),
            "imageNearBytes": png(600, 400, alpha=True),
        },
    )

    assert response.status_code == 201, response.text
    layered = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    assert layered["uploadStatus"]["status"] == "COMPLETED"
    assert layered["imageFarURI"] == done["imageFarURI"]
    assert len(layered["tiles"]) == 3 * 6


async def _other_users_theme(db) -> str:
    other, _ = await make_caller(db)
    theme = await make_theme(
        db, type=ThemeType.SINGLE_IMAGE, owner_user_id=other.id, image_far_key="themes/sources/x.png",
        image_width=600, image_height=400,
    )
    return str(theme.id)


async def _theme_without_far_layer(db) -> str:
    return str((await make_theme(db)).id)


INVALID = [
    # (rule, body, field)
    ("a SINGLE_COLOR theme takes no image", {"theme": theme_spec("SINGLE_COLOR", colorBackground="#fff"), "imageBytes": "IMG"}, "imageBytes"),
    ("a SINGLE_COLOR theme needs colorBackground", {"theme": theme_spec("SINGLE_COLOR")}, "theme.colorBackground"),
    ("colors are CSS hex", {"theme": theme_spec("SINGLE_COLOR", colorBackground="#ffff")}, "theme.colorBackground"),
    ("colors are CSS hex, not names", {"theme": theme_spec("SINGLE_COLOR", colorBackground="#fff", colorButtonBG="red")}, "theme.colorButtonBG"),
    ("a name is required", {"theme": {"type": "SINGLE_COLOR", "colorBackground": "#fff"}}, "theme.socialThemeName"),
    ("the type is one of three", {"theme": theme_spec("PATTERN")}, "theme.type"),
    ("a SINGLE_IMAGE theme needs an image", {"theme": theme_spec("SINGLE_IMAGE")}, "imageBytes"),
    ("a SINGLE_IMAGE theme takes no layers", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "IMG", "imageMidBytes": "IMG"}, "imageMidBytes"),
    ("a LAYERED theme needs every layer", {"theme": theme_spec("LAYERED"), "imageFarBytes": "IMG", "imageMidBytes": "IMG"}, "imageNearBytes"),
    ("a LAYERED theme takes no single image", {"theme": theme_spec("LAYERED"), "imageBytes": "IMG"}, "imageBytes"),
    ("a layer comes as bytes or as an id, not both", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "IMG", "imageFarId": str(uuid.uuid4())}, "imageFarId"),
    ("layers are the same size", {"theme": theme_spec("LAYERED"), "imageFarBytes": "IMG", "imageMidBytes": "IMG", "imageNearBytes": "SMALL"}, "imageNearBytes"),
    ("images are base64", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "not base64!"}, "imageBytes"),
    ("images are PNG, JPEG or WebP", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "GIF"}, "imageBytes"),
    ("the format is read from the content", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "PNG_MAGIC_ONLY"}, "imageBytes"),
    ("images have at most max_image_pixels pixels", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "BOMB"}, "imageBytes"),
    ("image sides are at most max_image_side", {"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": "LONG_STRIP"}, "imageBytes"),
    ("an image id names a theme you may use", {"theme": theme_spec("SINGLE_IMAGE"), "imageFarId": "OTHERS"}, "imageFarId"),
    ("an image id names an existing theme", {"theme": theme_spec("SINGLE_IMAGE"), "imageFarId": str(uuid.uuid4())}, "imageFarId"),
    ("an image id names a theme with that layer", {"theme": theme_spec("SINGLE_IMAGE"), "imageFarId": "NO_LAYER"}, "imageFarId"),
]


@pytest.mark.parametrize(("rule", "body", "field"), INVALID, ids=[rule for rule, _, _ in INVALID])
async def test_invalid_uploads_are_refused_and_nothing_is_stored(themes, db, database, rule, body, field):
    _, client, media = themes
    _, headers = await make_caller(db)
    stand_ins = {
        "IMG": png(300, 200),
        "SMALL": png(200, 200),
        "GIF": b64(pyvips.Image.black(10, 10).gifsave_buffer()),
        "PNG_MAGIC_ONLY": b64(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10),
        "BOMB": b64(png_header_only(20001, 20000)),
        "LONG_STRIP": b64(png_header_only(40000, 10)),
        "OTHERS": await _other_users_theme(db),
        "NO_LAYER": await _theme_without_far_layer(db),
    }
    await db.commit()
    body = {k: stand_ins.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = await counts(database)

    response = await client.post(CUSTOM, headers=headers, json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field], response.json()
    assert await counts(database) == before
    assert stored_files(media) == []


async def test_a_body_over_the_limit_is_refused_with_413(themes, db, database):
    _, client, media = themes
    _, headers = await make_caller(db)
    await db.commit()
    body = b'{"theme": {"type": "SINGLE_IMAGE", "socialThemeName": "x"}, "imageBytes": "' + b"A" * UPLOAD_LIMIT + b'"}'

    response = await client.post(CUSTOM, headers=headers | {"Content-Type": "application/json"}, content=body)

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert await counts(database) == (0, 0) and stored_files(media) == []


async def test_a_body_without_length_is_counted_and_refused_over_the_limit(themes, db, database):
    _, client, media = themes
    _, headers = await make_caller(db)
    await db.commit()

    async def chunks():
        yield b'{"theme": {"type": "SINGLE_IMAGE", "socialThemeName": "x"}, "imageBytes": "'
        for _ in range(UPLOAD_LIMIT // 65536 + 1):
            yield b"A" * 65536
        yield b'"}'

    response = await client.post(CUSTOM, headers=headers | {"Content-Type": "application/json"}, content=chunks())

    assert response.status_code == 413
    assert await counts(database) == (0, 0) and stored_files(media) == []


async def test_malformed_json_is_a_400(themes, db):
    _, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()

    response = await client.post(CUSTOM, headers=headers | {"Content-Type": "application/json"}, content=b'{"theme": ')

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_creating_a_theme_needs_an_api_key(themes):
    _, client, _ = themes

    response = await client.post(CUSTOM, json={"theme": theme_spec("SINGLE_COLOR", colorBackground="#fff")})

    assert response.status_code == 401


async def test_a_job_stopped_by_a_shutdown_stays_in_progress_and_completes_after_the_restart(database, db, tmp_path):
    media = tmp_path / "media"
    _, headers = await make_caller(db)
    await db.commit()
    settings = make_settings(database, media_dir=media, tile_size=TILE)
    image = png(6000, 6000, image_format=".jpg")

    async with running_app(settings) as (_, client):
        response = await client.post(CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": image})
        assert response.status_code == 201
        theme_id = response.json()["socialThemeId"]
    async with database.engine.connect() as connection:
        status = (await connection.execute(select(Theme.upload_status).where(Theme.id == uuid.UUID(theme_id)))).scalar_one()
    assert status == UploadState.IN_PROGRESS

    async with running_app(settings) as (app, client):
        done = await wait_until_done(app, client, headers, theme_id)

    assert done["uploadStatus"]["status"] == "COMPLETED"
    assert_exact_cover(done["tiles"], 6000, 6000)


async def test_the_service_keeps_answering_while_images_are_cut(themes, db):
    app, client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()
    response = await client.post(
        CUSTOM, headers=headers, json={"theme": theme_spec("SINGLE_IMAGE"), "imageBytes": png(6000, 6000, image_format=".jpg")}
    )
    loop = asyncio.get_running_loop()

    latencies = []
    while app.state.theme_jobs.running:
        start = loop.time()
        assert (await client.get("/health")).status_code == 200
        latencies.append(loop.time() - start)
        await asyncio.sleep(0.02)

    theme = await wait_until_done(app, client, headers, response.json()["socialThemeId"])
    assert theme["uploadStatus"]["status"] == "COMPLETED"
    assert len(latencies) >= 5 and max(latencies) < 0.25, latencies
