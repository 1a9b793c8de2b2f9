"""The background jobs that turn an uploaded theme into tiles, a preview and a minimap.

A job is the theme row itself: `upload_status` IN_PROGRESS with its source images in
storage. So nothing is lost when the process stops: at every start, `resume()` picks
up the themes still IN_PROGRESS. The libvips work runs in a small thread pool (libvips
releases the GIL), so the event loop keeps answering requests; progress is written to
the theme in short transactions while the work goes on.

Several processes sharing one database would each resume the same themes at start;
the outcome is the same (each attempt writes under its own keys and the last one to
finish wins), only the work is doubled.
"""

import asyncio
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from roomsets.kit.db import utcnow
from roomsets.settings import Settings
from roomsets.themes.models import Theme, ThemeTile, ThemeType, TileLayer, UploadState
from roomsets.themes.storage import Storage, storage_from_settings
from roomsets.themes.tiling import RenderCancelled, Rendered, RenderError, RenderJob, render_theme

# FOR NO KEY UPDATE: a job holds its theme while its write bumps the render version of every
# set using the theme; a plain FOR UPDATE would also block (and could deadlock with) a room
# write that holds its set and checks the theme's foreign key.
NO_KEY_UPDATE = {"key_share": True}
log = logging.getLogger("roomsets.themes")


def source_layers(theme: Theme) -> list[tuple[TileLayer, str]]:
    """The layers to tile, back to front, with the storage keys of their source images."""
    if theme.type == ThemeType.SINGLE_IMAGE and theme.image_far_key:
        return [(TileLayer.SINGLE, theme.image_far_key)]
    if theme.type == ThemeType.LAYERED and theme.image_far_key and theme.image_mid_key and theme.image_near_key:
        return [
            (TileLayer.FAR, theme.image_far_key),
            (TileLayer.MID, theme.image_mid_key),
            (TileLayer.NEAR, theme.image_near_key),
        ]
    return []


class ThemeJobs:
    """Runs image jobs for one application: started in its lifespan, closed at its end."""

    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.storage: Storage = storage_from_settings(settings)
        self._sessionmaker = sessionmaker
        self._executor = ThreadPoolExecutor(settings.theme_workers, thread_name_prefix="theme-job")
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._stopping = threading.Event()
        self._resumer: asyncio.Task[None] | None = None

    def open(self) -> None:
        """Resume unfinished jobs in the background, so the service starts even while the
        database is away (it is retried until it answers)."""
        self._resumer = asyncio.create_task(self._resume_when_ready(), name="theme-jobs-resume")

    async def _resume_when_ready(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.resume()
                return
            except Exception as exc:
                log.warning("could not look for unfinished theme jobs (%s); retrying in %.0f s", exc.__class__.__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def resume(self) -> list[uuid.UUID]:
        """Start the job of every theme left IN_PROGRESS (by a crash, a restart, a lost task)."""
        async with self._sessionmaker() as session:
            ids = list(
                await session.scalars(
                    select(Theme.id).where(Theme.upload_status == UploadState.IN_PROGRESS).order_by(Theme.created_at)
                )
            )
        for theme_id in ids:
            await self.start(theme_id)
        if ids:
            log.info("resumed %d theme image job(s)", len(ids))
        return ids

    async def start(self, theme_id: uuid.UUID) -> None:
        """Start the theme's job unless it runs already. Call it once the theme is committed."""
        if self._stopping.is_set() or theme_id in self._tasks:
            return
        task = asyncio.create_task(self._run(theme_id), name=f"theme-job-{theme_id}")
        self._tasks[theme_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(theme_id, None))

    @property
    def running(self) -> int:
        """How many jobs are running now."""
        return len(self._tasks)

    async def wait(self) -> None:
        """Until the unfinished jobs are resumed and every job started so far has ended."""
        if self._resumer is not None:
            await self._resumer
        while self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def close(self) -> None:
        """Stop: running jobs are killed within a few scanlines and stay IN_PROGRESS for the next start."""
        self._stopping.set()
        tasks = [*self._tasks.values(), *([self._resumer] if self._resumer else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, theme_id: uuid.UUID) -> None:
        try:
            job = await self._begin(theme_id)
            if job is None:
                return
            rendered = await self._render(theme_id, job)
        except RenderCancelled:
            return
        except RenderError as exc:
            await self._fail(theme_id, str(exc))
            return
        except Exception:
            log.exception("theme image job %s failed", theme_id)
            await self._fail(theme_id, "The images could not be processed because of an internal error.")
            return
        await self._complete(theme_id, rendered)

    async def _begin(self, theme_id: uuid.UUID) -> RenderJob | None:
        async with self._sessionmaker() as session:
            theme = await session.get(Theme, theme_id)
            if theme is None or theme.upload_status != UploadState.IN_PROGRESS:
                return None
            layers = source_layers(theme)
            missing = [layer.value for layer, key in layers if not self.storage.exists(key)]
            if layers and not missing:
                theme.upload_progress = 0
                await session.commit()
            theme_type = theme.type
        if not layers:
            await self._fail(theme_id, f"A {theme_type.value} theme has no stored source images.")
            return None
        if missing:
            await self._fail(theme_id, f"The source image of layer {', '.join(missing)} is missing from storage.")
            return None
        # Each attempt writes under fresh keys, so a tile URI never changes what it shows.
        prefix = f"themes/{theme_id}/{uuid.uuid4().hex}"
        s = self.settings
        return RenderJob(layers, prefix, s.tile_size, s.theme_preview_width, s.theme_minimap_width)

    async def _render(self, theme_id: uuid.UUID, job: RenderJob) -> Rendered:
        done = [0.0]

        def report(fraction: float) -> None:
            done[0] = fraction

        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, render_theme, job, self.storage, report, self._stopping)
        written = 0
        while True:
            finished, _ = await asyncio.wait({future}, timeout=self.settings.theme_progress_interval)
            if finished:
                return future.result()
            # 100 is kept for the moment the tiles are recorded.
            progress = min(int(done[0] * 100), 99)
            if progress > written:
                await self._write(theme_id, upload_progress=progress)
                written = progress

    async def _write(self, theme_id: uuid.UUID, **values: object) -> Theme | None:
        async with self._sessionmaker() as session:
            theme = await session.get(Theme, theme_id, with_for_update=NO_KEY_UPDATE)
            if theme is None or theme.upload_status != UploadState.IN_PROGRESS:
                return None
            for name, value in values.items():
                setattr(theme, name, value)
            await session.commit()
            return theme

    async def _fail(self, theme_id: uuid.UUID, reason: str) -> None:
        log.info("theme image job %s failed: %s", theme_id, reason)
        await self._write(
            theme_id, upload_status=UploadState.FAILED, upload_failure_reason=reason, upload_ended_at=utcnow()
        )

    async def _complete(self, theme_id: uuid.UUID, rendered: Rendered) -> None:
        async with self._sessionmaker() as session:
            theme = await session.get(Theme, theme_id, with_for_update=NO_KEY_UPDATE)
            if theme is None or theme.upload_status != UploadState.IN_PROGRESS:
                return
            await session.execute(delete(ThemeTile).where(ThemeTile.theme_id == theme_id))
            session.add_all(
                ThemeTile(
                    theme_id=theme_id,
                    layer=tile.layer,
                    position=position,
                    key=tile.key,
                    x=tile.x,
                    y=tile.y,
                    width=tile.width,
                    height=tile.height,
                )
                for position, tile in enumerate(rendered.tiles)
            )
            theme.image_width = rendered.width
            theme.image_height = rendered.height
            theme.preview_key = rendered.preview_key
            theme.minimap_key = rendered.minimap_key
            theme.multi_size = True
            theme.upload_status = UploadState.COMPLETED
            theme.upload_progress = 100
            theme.upload_ended_at = utcnow()
            await session.commit()


async def _jobs(request: Request) -> ThemeJobs:
    return request.app.state.theme_jobs


ThemeJobsDep = Annotated[ThemeJobs, Depends(_jobs)]
