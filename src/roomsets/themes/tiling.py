"""Cutting theme images into tiles and making the preview and the minimap, with libvips.

Runs in a worker thread (libvips releases the GIL). Memory stays bounded whatever the
image size: each layer is read once, top to bottom (`access="sequential"`), and
libvips' dzsave cuts it while it streams through, holding about one strip of tiles
(`tile_size` rows × the image width) at a time; the preview is made with `thumbnail`,
which shrinks while it loads.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    `report` is called with the fraction of the work done (0 to 1); setting `cancelled`
    stops the work within a few scanlines (RenderCancelled).
    """
    cancelled = cancelled or threading.Event()
    sources = [(layer, storage.local_path(key)) for layer, key in job.layers]
    first = _open(sources[0][0], sources[0][1])
    width, height = first.width, first.height
    # Tiling is nearly all the work; the preview and the minimap take the last step.
    steps = len(sources) + 1

    tiles: list[RenderedTile] = []
    with storage.staging() as scratch:
        for index, (layer, path) in enumerate(sources):

            def layer_progress(fraction: float, done: int = index) -> None:
                report((done + fraction) / steps)

            tiles += _tile_layer(layer, path, job, storage, scratch, layer_progress, cancelled)
            report((index + 1) / steps)

    preview = _preview(sources, job.preview_width)
    preview_suffix = _suffix(preview)
    preview_key = f"{job.key_prefix}/preview{preview_suffix}"
    storage.put_bytes(preview_key, _encode(preview, preview_suffix))
    minimap = preview.thumbnail_image(job.minimap_width, height=10_000_000, size="down")
    minimap_key = f"{job.key_prefix}/minimap{preview_suffix}"
    storage.put_bytes(minimap_key, _encode(minimap, preview_suffix))
    report(1.0)
    return Rendered(width, height, tiles, preview_key, minimap_key)


def _tile_layer(
    layer: TileLayer,
    path: Path,
    job: RenderJob,
    storage: Storage,
    scratch: Path,
    report: Callable[[float], None],
    cancelled: threading.Event,
) -> list[RenderedTile]:
    """One layer cut by libvips' dzsave (one level, no overlap: edge tiles are smaller),
    which streams the image through in parallel; then each tile is stored under its key."""
    image = _normalized(_open(layer, path))
    suffix = _suffix(image)

    def on_eval(evaluated: pyvips.Image, progress: Any) -> None:
        if cancelled.is_set():
            evaluated.set_kill(True)
        report(progress.percent / 100)

    image.set_progress(True)
    image.signal_connect("eval", on_eval)
    base = scratch / layer.value.lower()
    options = "[compression=6]" if suffix == ".png" else "[Q=88,optimize_coding,strip]"
    try:
        image.dzsave(str(base), layout="dz", depth="one", overlap=0, tile_size=job.tile_size, suffix=suffix + options)
    except pyvips.Error as exc:
        if cancelled.is_set():
            raise RenderCancelled() from None
        raise RenderError(f"the {layer.value} image could not be decoded: {_reason(exc)}") from None

    (level,) = [d for d in Path(f"{base}_files").iterdir() if d.is_dir()]
    tiles = []
    for row in range(-(-image.height // job.tile_size)):
        for column in range(-(-image.width // job.tile_size)):
            x, y = column * job.tile_size, row * job.tile_size
            key = f"{job.key_prefix}/{layer.value.lower()}/{row}_{column}{suffix}"
            storage.put_file(key, level / f"{column}_{row}{suffix}")
            tiles.append(
                RenderedTile(
                    layer, key, x, y, min(job.tile_size, image.width - x), min(job.tile_size, image.height - y)
                )
            )
    return tiles


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
