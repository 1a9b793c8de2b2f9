"""Themes: creating custom ones (T1), reading the ones the caller may use (T2).

T1 checks everything before it stores anything: the rules of the theme's `type`,
every image (base64, format by content, dimensions from the header only), the themes
named by `image*Id`. Only then are the source images stored (content-addressed, so a
retry stores nothing twice) and the theme row written IN_PROGRESS; the tiling job
(jobs.py) takes it from there once the request has committed.
"""

import asyncio
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.kit.db import utcnow
from roomsets.kit.errors import Invalid
from roomsets.kit.paging import PageRequest
from roomsets.settings import Settings
from roomsets.themes import schemas
from roomsets.themes.images import UploadedImage, read_upload
from roomsets.themes.models import Theme, ThemeTile, ThemeType, UploadState
from roomsets.themes.permissions import usable, usable_theme
from roomsets.themes.storage import Storage
from roomsets.users.models import User

SORTABLE = {"socialThemeName": func.lower(Theme.name), "dateCreated": Theme.created_at}


@dataclass(frozen=True)
class _Slot:
    """One image of a theme: its column, the request fields that may fill it, its name."""

    column: str
    bytes_field: str
    id_field: str
    name: str


FAR = _Slot("image_far_key", "imageFarBytes", "imageFarId", "far layer")
MID = _Slot("image_mid_key", "imageMidBytes", "imageMidId", "middle layer")
NEAR = _Slot("image_near_key", "imageNearBytes", "imageNearId", "near layer")
# A SINGLE_IMAGE theme keeps its one image where a LAYERED one keeps its back layer.
SINGLE = _Slot("image_far_key", "imageBytes", "imageFarId", "image")


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int
    max_side: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "ImageLimits":
        return cls(settings.max_image_pixels, settings.max_image_side)


@dataclass(frozen=True)
class _Image:
    key: str
    width: int
    height: int
    upload: UploadedImage | None


def _given(body: schemas.ThemeCustomCreate) -> dict[str, object]:
    """The image fields present in the request, by wire name."""
    values = body.model_dump(by_alias=True, exclude={"theme"})
    return {name: value for name, value in values.items() if value is not None}


def _check_type_rules(body: schemas.ThemeCustomCreate) -> list[_Slot]:
    """The slots the request must fill, after refusing the fields its `type` does not take."""
    theme_type = body.theme.type
    given = _given(body)
    if theme_type == ThemeType.SINGLE_COLOR:
        for field in given:
            raise Invalid(field, "a SINGLE_COLOR theme takes no image")
        if body.theme.color_background is None:
            raise Invalid("theme.colorBackground", "is required for a SINGLE_COLOR theme")
        return []
    if theme_type == ThemeType.SINGLE_IMAGE:
        for field in ("imageFarBytes", "imageMidBytes", "imageNearBytes", "imageMidId", "imageNearId"):
            if field in given:
                raise Invalid(field, "is only for a LAYERED theme; a SINGLE_IMAGE theme takes imageBytes")
        slots = [SINGLE]
    else:
        if "imageBytes" in given:
            raise Invalid("imageBytes", "a LAYERED theme takes imageFarBytes, imageMidBytes and imageNearBytes")
        slots = [FAR, MID, NEAR]
    for slot in slots:
        if slot.bytes_field not in given and slot.id_field not in given:
            raise Invalid(slot.bytes_field, f"is required for a {theme_type.value} theme (or {slot.id_field})")
        if slot.bytes_field in given and slot.id_field in given:
            raise Invalid(slot.id_field, f"give {slot.bytes_field} or {slot.id_field}, not both")
    return slots


async def _reused_image(session: AsyncSession, caller: User, slot: _Slot, theme_id: uuid.UUID) -> _Image:
    source = await session.scalar(select(Theme).where(Theme.id == theme_id, usable_theme(caller)))
    if source is None:
        raise Invalid(slot.id_field, f"there is no theme {theme_id} that you can use")
    if source.upload_status not in (None, UploadState.COMPLETED):
        raise Invalid(slot.id_field, f"the images of theme {theme_id} are not processed yet")
    key = getattr(source, slot.column)
    if key is None or "://" in key or source.image_width is None or source.image_height is None:
        raise Invalid(slot.id_field, f"theme {theme_id} has no stored {slot.name}")
    return _Image(key, source.image_width, source.image_height, None)


async def _uploaded_image(slot: _Slot, text: str, limits: ImageLimits) -> _Image:
    # Decoding base64 and reading an image header cost milliseconds per MiB: off the loop.
    upload = await asyncio.to_thread(read_upload, slot.bytes_field, text, limits.max_pixels, limits.max_side)
    return _Image(upload.key, upload.width, upload.height, upload)


def _check_same_size(images: Sequence[tuple[_Slot, _Image]]) -> None:
    (_, first), *rest = images
    for slot, image in rest:
        if (image.width, image.height) != (first.width, first.height):
            raise Invalid(
                slot.bytes_field if image.upload else slot.id_field,
                f"is {image.width} × {image.height} px but the far layer is {first.width} × {first.height} px; "
                "all layers must be the same size",
            )


async def create_custom_theme(
    session: AsyncSession,
    caller: User,
    body: schemas.ThemeCustomCreate,
    storage: Storage,
    limits: ImageLimits,
    *,
    request_id: str | None = None,
) -> Theme:
    """T1: check, store the source images, write the theme. Image themes come back IN_PROGRESS."""
    slots = _check_type_rules(body)
    given = _given(body)
    images: list[tuple[_Slot, _Image]] = []
    for slot in slots:
        if slot.bytes_field in given:
            image = await _uploaded_image(slot, str(given[slot.bytes_field]), limits)
        else:
            image = await _reused_image(session, caller, slot, uuid.UUID(str(given[slot.id_field])))
        images.append((slot, image))
    if len(images) > 1:
        _check_same_size(images)

    for _, image in images:
        if image.upload is not None and not await asyncio.to_thread(storage.exists, image.key):
            await asyncio.to_thread(storage.put_bytes, image.key, image.upload.data)

    now = utcnow()
    spec = body.theme
    theme = Theme(
        id=uuid.uuid4(),
        type=spec.type,
        name=spec.social_theme_name,
        description=spec.description,
        color_primary=spec.color_primary,
        color_secondary=spec.color_secondary,
        color_background=spec.color_background,
        color_gradient_background=spec.color_gradient_background,
        color_button_text=spec.color_button_text,
        color_button_bg=spec.color_button_bg,
        template_id=spec.template_id,
        default_artifact_set_id=spec.default_artifact_set_id,
        add_to_minimap=spec.add_to_mini_map,
        multi_size=False,
        created_at=now,
        owner_user_id=caller.id,
        company_id=caller.company_id,
        upload_request_status_id=uuid.uuid4(),
        upload_request_id=request_id,
        upload_user_id=caller.id,
        # A colour theme has nothing to process: it is complete as soon as it exists.
        upload_status=UploadState.IN_PROGRESS if images else UploadState.COMPLETED,
        upload_progress=0 if images else 100,
        upload_started_at=now,
        upload_ended_at=None if images else now,
    )
    for slot, image in images:
        setattr(theme, slot.column, image.key)
    if images:
        theme.image_width, theme.image_height = images[0][1].width, images[0][1].height
    session.add(theme)
    await session.flush()
    return theme


async def get_theme(session: AsyncSession, caller: User, theme_id: uuid.UUID, base_url: str) -> schemas.Theme:
    """T2: one theme the caller may use; else 404."""
    theme = await usable(session, caller, theme_id)
    return (await render_themes(session, [theme], base_url))[0]


async def list_themes(
    session: AsyncSession, caller: User, page: PageRequest, base_url: str
) -> tuple[list[schemas.Theme], int]:
    """T2: one page of the themes the caller may use, and their total."""
    allowed = usable_theme(caller)
    total = (await session.execute(select(func.count()).select_from(Theme).where(allowed))).scalar_one()
    rows = (
        await session.scalars(
            page.select_page(select(Theme).where(allowed), SORTABLE, Theme.id)
        )
    ).all()
    return await render_themes(session, rows, base_url), total


class _RenderedThemes:
    """Rendered themes, kept per process and keyed by the whole state of the theme's row.

    A theme's tiles are only ever written in the transaction that changes its row (the
    job sets COMPLETED with them), so a row read fresh from the database, equal to the
    one a rendering was made from, means that rendering is still right, on every
    instance. A hit saves the tiles query and hundreds of tile objects.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[uuid.UUID, tuple[tuple[Any, ...], schemas.Theme]] = OrderedDict()

    @staticmethod
    def state(theme: Theme, base_url: str) -> tuple[Any, ...]:
        return (base_url, *(getattr(theme, column.key) for column in Theme.__mapper__.column_attrs))

    def get(self, theme: Theme, base_url: str) -> schemas.Theme | None:
        cached = self._items.get(theme.id)
        if cached is None or cached[0] != self.state(theme, base_url):
            return None
        self._items.move_to_end(theme.id)
        return cached[1]

    def put(self, theme: Theme, base_url: str, rendered: schemas.Theme) -> None:
        self._items[theme.id] = (self.state(theme, base_url), rendered)
        self._items.move_to_end(theme.id)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)


rendered_themes = _RenderedThemes()


async def render_themes(session: AsyncSession, themes: Sequence[Theme], base_url: str) -> list[schemas.Theme]:
    """Wire objects for the themes, with their tiles: one query for the tiles of all the
    themes not rendered before in the state they are in now (none when all were)."""
    rendered = {t.id: hit for t in themes if (hit := rendered_themes.get(t, base_url)) is not None}
    missing = [t for t in themes if t.id not in rendered]
    if missing:
        # Tiles are the bulk of a page (hundreds of rows): plain rows, not ORM objects.
        tiles: dict[uuid.UUID, list[Row[Any]]] = defaultdict(list)
        for tile in await session.execute(
            select(ThemeTile.theme_id, ThemeTile.key, ThemeTile.x, ThemeTile.y, ThemeTile.width, ThemeTile.height)
            .where(ThemeTile.theme_id.in_([t.id for t in missing]))
            .order_by(ThemeTile.theme_id, ThemeTile.position)
        ):
            tiles[tile.theme_id].append(tile)
        for theme in missing:
            rendered[theme.id] = schemas.Theme.from_model(theme, tiles[theme.id], base_url)
            rendered_themes.put(theme, base_url, rendered[theme.id])
    return [rendered[t.id] for t in themes]
