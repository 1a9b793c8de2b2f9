"""Built-in image themes drawn by the service, processed like uploads, usable by everyone."""

import asyncio

from sqlalchemy import func, select

from roomsets.themes.builtin import install_generated_themes
from roomsets.themes.models import Theme
from roomsets.themes.storage import LocalStorage
from tests.conftest import make_settings, running_app
from tests.factories import make_caller


async def test_generated_built_in_themes_are_tiled_at_start_and_usable_by_everyone(database, db, tmp_path):
    media = tmp_path / "media"
    _, headers = await make_caller(db)
    ids = await install_generated_themes(db, LocalStorage(media), size=600)
    await db.commit()

    async with running_app(make_settings(database, media_dir=media, tile_size=256)) as (app, client):
        await asyncio.wait_for(app.state.theme_jobs.wait(), timeout=60)
        themes = [(await client.get(f"/api/v1/theme/{theme_id}", headers=headers)).json() for theme_id in ids]

    assert [t["type"] for t in themes] == ["SINGLE_IMAGE", "LAYERED"]
    for theme in themes:
        assert theme["uploadStatus"]["status"] == "COMPLETED", theme["uploadStatus"]
        assert theme["previewImageURI"] and theme["minimapImageURI"]
    assert len(themes[0]["tiles"]) == 9 and len(themes[1]["tiles"]) == 27


async def test_installing_generated_themes_again_changes_nothing(db, tmp_path):
    storage = LocalStorage(tmp_path / "media")
    first = await install_generated_themes(db, storage, size=64)
    files = sorted(p for p in storage.root.rglob("*") if p.is_file())

    again = await install_generated_themes(db, storage, size=64)

    assert again == first
    assert await db.scalar(select(func.count()).select_from(Theme)) == 2
    assert sorted(p for p in storage.root.rglob("*") if p.is_file()) == files
