"""Cutting theme images into tiles and making the preview and the minimap, with libvips.

Runs in a worker thread (libvips releases the GIL). Memory stays bounded whatever the
image size: each layer is read once, top to bottom (`access="sequential"`), one strip
of tiles at a time, so at most one strip (`tile_size` rows × the image width) is held
in memory; the preview is made with `thumbnail`, which shrinks while it loads.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyvips

from roomsets.themes.models import TileLayer
from roomsets.themes.storage import Storage

# Every operation here runs once on data seen once: libvips' operation cache would only
# keep finished strips alive (measured: +60 MB peak on a 16000 × 16000 image).
pyvips.cache_set_max(0)


class RenderError(Exception):
    """The images could not be processed; the message is shown to the uploader as is."""


class RenderCancelled(Exception):
    """The service is stopping; the job is left IN_PROGRESS and resumed at the next start."""


@dataclass(frozen=True)
class RenderedTile:
    layer: TileLayer
    key: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Rendered:
    width: int
    height: int
    tiles: list[RenderedTile]
    preview_key: str
    minimap_key: str


@dataclass(frozen=True)
class RenderJob:
    layers: Sequence[tuple[TileLayer, str]]
    """(layer, storage key of its source image), back to front."""
    key_prefix: str
    tile_size: int
    preview_width: int
    minimap_width: int


def render_theme(
    job: RenderJob,
    storage: Storage,
    report: Callable[[float], None] = lambda fraction: None,
    cancelled: threading.Event | None = None,
) -> Rendered:
    """Tiles for every layer (row by row, left to right), then the preview and the minimap.

    `report` is called with the fraction of the work done (0 to 1).
    """
    cancelled = cancelled or threading.Event()
    sources = [(layer, storage.local_path(key)) for layer, key in job.layers]
    heads = [_open(layer, path) for layer, path in sources]
    width, height = heads[0].width, heads[0].height
    strips_per_layer = -(-height // job.tile_size)
    total_steps = strips_per_layer * len(sources) + 1
    done = 0

    tiles: list[RenderedTile] = []
    for layer, path in sources:
        image = _normalized(_open(layer, path))
        suffix = _suffix(image)
        for y in range(0, height, job.tile_size):
            if cancelled.is_set():
                raise RenderCancelled()
            strip_height = min(job.tile_size, height - y)
            try:
                strip = image.crop(0, y, width, strip_height).copy_memory()
            except pyvips.Error as exc:
                raise RenderError(f"the {layer.value} image could not be decoded: {_reason(exc)}") from None
            for x in range(0, width, job.tile_size):
                tile_width = min(job.tile_size, width - x)
                key = f"{job.key_prefix}/{layer.value.lower()}/{y // job.tile_size}_{x // job.tile_size}{suffix}"
                storage.put_bytes(key, _encode(strip.crop(x, 0, tile_width, strip_height), suffix))
                tiles.append(RenderedTile(layer, key, x, y, tile_width, strip_height))
            done += 1
            report(done / total_steps)

    preview = _preview(sources, job.preview_width)
    preview_suffix = _suffix(preview)
    preview_key = f"{job.key_prefix}/preview{preview_suffix}"
    storage.put_bytes(preview_key, _encode(preview, preview_suffix))
    minimap = preview.thumbnail_image(job.minimap_width, height=10_000_000, size="down")
    minimap_key = f"{job.key_prefix}/minimap{preview_suffix}"
    storage.put_bytes(minimap_key, _encode(minimap, preview_suffix))
    report(1.0)
    return Rendered(width, height, tiles, preview_key, minimap_key)


def _open(layer: TileLayer, path: Path) -> pyvips.Image:
    try:
        return pyvips.Image.new_from_file(str(path), access="sequential", fail_on="error")
    except pyvips.Error as exc:
        raise RenderError(f"the {layer.value} image could not be read: {_reason(exc)}") from None


def _normalized(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB (or grey), which PNG and JPEG tiles can hold and browsers show alike."""
    if image.interpretation not in ("srgb", "b-w"):
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _suffix(image: pyvips.Image) -> str:
    # Transparency matters in the near and mid layers of a parallax theme: keep it (PNG).
    return ".png" if image.hasalpha() else ".jpg"


def _encode(image: pyvips.Image, suffix: str) -> bytes:
    if suffix == ".png":
        return image.pngsave_buffer(compression=6)
    return image.jpegsave_buffer(Q=88, optimize_coding=True, strip=True)


def _preview(sources: Sequence[tuple[TileLayer, Path]], width: int) -> pyvips.Image:
    """All layers, shrunk to at most `width` px wide and laid over each other, back to front."""
    shrunk = []
    for layer, path in sources:
        try:
            small = _normalized(pyvips.Image.thumbnail(str(path), width, height=10_000_000, size="down"))
            shrunk.append(small.colourspace("srgb") if small.interpretation == "b-w" else small)
        except pyvips.Error as exc:
            raise RenderError(f"the {layer.value} image could not be shrunk: {_reason(exc)}") from None
    preview = shrunk[0]
    if len(shrunk) > 1:
        preview = preview.composite(shrunk[1:], "over")
        if not shrunk[0].hasalpha():
            preview = preview.flatten()
    return preview.copy_memory()


def _reason(exc: pyvips.Error) -> str:
    """The most specific line of a libvips error ("vipspng: libpng read error")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else "unknown error"
