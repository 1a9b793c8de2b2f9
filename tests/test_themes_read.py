"""T2 `GET /api/v1/theme/{socialThemeId}` and `GET /api/v1/theme`, and /media/, on SQLite and PostgreSQL."""

import uuid

import pytest

from roomsets.kit.db import utcnow
from roomsets.themes.models import ThemeType
from roomsets.themes.storage import LocalStorage
from tests.conftest import make_settings, running_app
from tests.factories import make_caller, make_image, make_theme, make_user

THEMES = "/api/v1/theme"


@pytest.fixture
async def themes(database, clean_tables, tmp_path):
    """(client, media directory) of an app storing into a fresh directory."""
    media = tmp_path / "media"
    async with running_app(make_settings(database, media_dir=media)) as (_, client):
        yield client, media


async def test_a_theme_is_usable_by_its_creator_their_company_and_for_built_ins_everyone(themes, db):
    client, _ = themes
    creator, _ = await make_caller(db, company_name="Acme")
    _, colleague = await make_caller(db, company_name="Acme")
    _, stranger = await make_caller(db, company_name="Other")
    _, loner = await make_caller(db)
    custom = await make_theme(db, owner_user_id=creator.id, company_id=creator.company_id)
    built_in = await make_theme(db)
    await db.commit()

    for headers, expected in ((colleague, 200), (stranger, 404), (loner, 404)):
        response = await client.get(f"{THEMES}/{custom.id}", headers=headers)
        assert response.status_code == expected
    for headers in (colleague, stranger, loner):
        assert (await client.get(f"{THEMES}/{built_in.id}", headers=headers)).status_code == 200


async def test_a_theme_renders_every_key_with_absolute_uris(themes, db):
    client, _ = themes
    user, headers = await make_caller(db)
    theme = await make_theme(
        db, tiles=2, type=ThemeType.SINGLE_IMAGE, owner_user_id=user.id, image_far_key="themes/sources/a.png",
        preview_key="themes/t/preview.jpg", image_width=2048, image_height=1024,
    )
    await db.commit()

    response = await client.get(f"{THEMES}/{theme.id}", headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert body["socialThemeId"] == str(theme.id)
    assert body["imageFarURI"] == "http://testserver/media/themes/sources/a.png"
    assert body["previewImageURI"] == "http://testserver/media/themes/t/preview.jpg"
    assert [t["uri"] for t in body["tiles"]] == [
        f"http://testserver/media/themes/{theme.id}/tile-0.png",
        f"http://testserver/media/themes/{theme.id}/tile-1.png",
    ]
    expected = {
        "socialThemeId", "type", "socialThemeName", "description", "colorPrimary", "colorSecondary",
        "colorBackground", "colorGradientBackground", "colorButtonText", "colorButtonBG", "imageFarURI",
        "imageMidURI", "imageNearURI", "previewImageURI", "minimapImageURI", "imageWidth", "imageHeight",
        "templateId", "defaultArtifactSetId", "dateCreated", "multiSize", "addToMiniMap", "tiles", "uploadStatus",
    }
    assert set(body) == expected


async def test_an_unknown_theme_is_a_404(themes, db):
    client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()

    response = await client.get(f"{THEMES}/{uuid.uuid4()}", headers=headers)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_list_holds_built_in_own_and_company_themes_only(themes, db):
    client, _ = themes
    me, headers = await make_caller(db, company_name="Acme")
    colleague = await make_user(db, company_name="Acme")
    stranger = await make_user(db)
    mine = await make_theme(db, name="Mine", owner_user_id=me.id, company_id=me.company_id)
    ours = await make_theme(db, name="Ours", owner_user_id=colleague.id, company_id=colleague.company_id)
    built_in = await make_theme(db, name="Built in")
    await make_theme(db, name="Theirs", owner_user_id=stranger.id)
    await db.commit()

    response = await client.get(THEMES, headers=headers, params={"sort": "socialThemeName"})

    assert response.status_code == 200
    assert [t["socialThemeId"] for t in response.json()] == [str(built_in.id), str(mine.id), str(ours.id)]
    assert response.headers["x-total-count"] == "3"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("socialThemeName", ["alpha", "Beta", "gamma"]),
        ("socialThemeName,desc", ["gamma", "Beta", "alpha"]),
        ("dateCreated", ["gamma", "alpha", "Beta"]),
        ("dateCreated,desc", ["Beta", "alpha", "gamma"]),
    ],
)
async def test_the_list_is_paged_and_sorted(themes, db, sort, expected):
    client, _ = themes
    _, headers = await make_caller(db)
    start = utcnow()
    for offset, name in enumerate(["gamma", "alpha", "Beta"]):
        await make_theme(db, name=name, created_at=start.replace(microsecond=0).replace(second=offset))
    await db.commit()

    first = await client.get(THEMES, headers=headers, params={"sort": sort, "size": 2, "page": 0})
    second = await client.get(THEMES, headers=headers, params={"sort": sort, "size": 2, "page": 1})

    names = [t["socialThemeName"] for t in first.json() + second.json()]
    assert names == expected
    assert first.headers["x-total-count"] == "3" and 'rel="next"' in first.headers["link"]


async def test_the_list_refuses_an_unknown_sort_property(themes, db):
    client, _ = themes
    _, headers = await make_caller(db)
    await db.commit()

    response = await client.get(THEMES, headers=headers, params={"sort": "colorPrimary"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "sort"


async def test_reading_themes_needs_an_api_key(themes):
    client, _ = themes

    assert (await client.get(THEMES)).status_code == 401


async def test_media_is_served_immutable_with_its_content_type(themes):
    client, media = themes
    LocalStorage(media).put_bytes("themes/x/a.png", make_image(8, 8))
    LocalStorage(media).put_bytes("themes/x/a.jpg", make_image(8, 8, image_format=".jpg"))

    png = await client.get("/media/themes/x/a.png")
    jpeg = await client.get("/media/themes/x/a.jpg")

    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert jpeg.status_code == 200 and jpeg.headers["content-type"] == "image/jpeg"
    assert png.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/media/themes/x/missing.png", "/media/themes/x/.tmp-partial", "/media/../secret"])
async def test_media_that_is_not_stored_is_a_404(themes, path):
    client, media = themes
    (media / "themes" / "x").mkdir(parents=True)
    (media / "themes" / "x" / ".tmp-partial").write_bytes(b"half a tile")

    response = await client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_media_is_read_only(themes):
    client, _ = themes

    response = await client.put("/media/themes/x/a.png", content=b"no")

    assert response.status_code == 405
