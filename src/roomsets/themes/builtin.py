"""Built-in image themes, drawn by the service itself (no image files ship with it).

`install_generated_themes` stores their source images and writes the themes
IN_PROGRESS; the tiling job of a running service (`ThemeJobs.start`) or the next start
of one (`ThemeJobs.resume`) cuts them like any upload. Calling it again changes nothing.
"""

import asyncio
import uuid

import pyvips
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.kit.db import utcnow
from roomsets.themes.images import UploadedImage, probe
from roomsets.themes.models import Theme, ThemeType, UploadState
from roomsets.themes.storage import Storage

_NAMESPACE = uuid.UUID("6f1d8a52-2f4e-4c1b-9a57-0d7c3b5e9a10")


def builtin_theme_id(name: str) -> uuid.UUID:
    """The same id for the same built-in theme in every installation."""
    return uuid.uuid5(_NAMESPACE, f"builtin-theme:{name}")


def _sky(size: int) -> pyvips.Image:
    """Opaque: a dusk gradient from deep blue at the top to orange at the horizon."""
    y = pyvips.Image.xyz(size, size)[1] / max(size - 1, 1)
    return (y * 200 + 20).bandjoin([y * 90 + 30, 140 - y * 100]).cast("uchar").copy(interpretation="srgb")


def _hills(size: int, horizon: float, amplitude: float, waves: float, colour: tuple[int, int, int]) -> pyvips.Image:
    """Transparent above a wavy ridge line, `colour` below it."""
    xy = pyvips.Image.xyz(size, size)
    ridge = ((xy[0] * (waves * 360 / size)).sin() * amplitude + horizon) * size
    alpha = (xy[1] > ridge).ifthenelse(255, 0)
    solid = pyvips.Image.black(size, size).new_from_image(list(colour))
    return solid.bandjoin(alpha).cast("uchar").copy(interpretation="srgb")


def _encode(image: pyvips.Image, field: str) -> UploadedImage:
    data = image.pngsave_buffer(compression=6) if image.hasalpha() else image.jpegsave_buffer(Q=90)
    return probe(field, data, image.width * image.height)


def _draw(name: str, size: int) -> list[UploadedImage]:
    """The layers of the named theme, back to front."""
    layers = [_sky(size)]
    if name == "Dusk Hills":
        layers += [_hills(size, 0.62, 0.05, 3, (74, 60, 110)), _hills(size, 0.78, 0.04, 5, (28, 32, 52))]
    return [_encode(layer, name) for layer in layers]


NAMES = ("Dusk", "Dusk Hills")


async def install_generated_themes(session: AsyncSession, storage: Storage, size: int = 4096) -> list[uuid.UUID]:
    """Add the built-in image themes that are missing (a SINGLE_IMAGE one and a LAYERED one).

    Returns the ids of all of them. Commit, then start their jobs (or let the next start do it).
    """
    ids = []
    for name in NAMES:
        theme_id = builtin_theme_id(name)
        ids.append(theme_id)
        if await session.get(Theme, theme_id) is not None:
            continue
        layers = await asyncio.to_thread(_draw, name, size)
        for image in layers:
            if not storage.exists(image.key):
                await asyncio.to_thread(storage.put_bytes, image.key, image.data)
        keys = [image.key for image in layers] + [None, None]
        session.add(
            Theme(
                id=theme_id,
                type=ThemeType.LAYERED if len(layers) == 3 else ThemeType.SINGLE_IMAGE,
                name=name,
                description=f"Built-in {name.lower()} image theme.",
                color_primary="#f08a4b",
                color_secondary="#4a3c6e",
                color_background="#1c2034",
                color_button_text="#ffffff",
                color_button_bg="#f08a4b",
                image_far_key=keys[0],
                image_mid_key=keys[1],
                image_near_key=keys[2],
                image_width=size,
                image_height=size,
                upload_request_status_id=uuid.uuid4(),
                upload_status=UploadState.IN_PROGRESS,
                upload_progress=0,
                upload_started_at=utcnow(),
            )
        )
    await session.flush()
    return ids
