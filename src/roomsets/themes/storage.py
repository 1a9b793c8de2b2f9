"""Where theme images live: a small storage interface and its local-directory backend.

A key is a relative, slash-separated path (`themes/sources/<sha256>.png`). Keys are
content- or id-unique, so an object is written once and its URI never changes meaning;
that is what lets /media/ answer with `immutable` cache headers.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Protocol

from roomsets.settings import Settings


class Storage(Protocol):
    def put_bytes(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically: readers see the old object, or all of the new one."""

    def put_file(self, key: str, source: Path) -> None:
        """Store the file at `source` under `key` atomically; `source` is consumed."""

    def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path:
        """A local file holding the object, for image decoders that read files."""

    def staging(self) -> AbstractContextManager[Path]:
        """A private scratch directory, removed on exit, for files about to be stored."""


class LocalStorage:
    """Objects as files under one directory, served read-only under /media/."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*parts)

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # A dot-named temporary file in the same directory: never served (see media.py),
        # and os.replace within one file system is atomic.
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)

    def put_file(self, key: str, source: Path) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb+") as file:
            os.fsync(file.fileno())
        try:
            os.replace(source, target)
        except OSError:
            # Another file system: copy through a temporary file instead of renaming.
            self.put_bytes(key, source.read_bytes())
            source.unlink()
            return
        _fsync_directory(target.parent)

    def staging(self) -> AbstractContextManager[Path]:
        # Under the root (so put_file is a rename on one file system), dot-named (so never served).
        scratch = self.root / ".staging"
        scratch.mkdir(parents=True, exist_ok=True)
        return _temporary_directory(scratch)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def local_path(self, key: str) -> Path:
        return self.path(key)


@contextlib.contextmanager
def _temporary_directory(parent: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=parent) as name:
        yield Path(name)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a crash right after must not lose the new name)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_from_settings(settings: Settings) -> LocalStorage:
    return LocalStorage(settings.media_dir)
