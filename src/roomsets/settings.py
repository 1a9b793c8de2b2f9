"""Every setting of the service, read once from `ROOMSETS_*` environment variables."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROOMSETS_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./roomsets.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
    # "json": one JSON object per line (for log shippers); "text": plain lines for people.
    log_format: Literal["json", "text"] = "json"
    public_base_url: str = "http://127.0.0.1:8000"
    # HMAC pepper for API keys. Every instance of one deployment must share it; when
    # unset, a random one is created once in `secret_key_file` (fine for one machine).
    secret_key: str | None = None
    secret_key_file: Path = Path("./.roomsets-secret")
    audio_host: str | None = None
    audio_element_url: str | None = None
    peer_connection_url: str | None = None
    # How often buffered "last used" times of API keys are written, in seconds.
    key_last_used_flush_seconds: float = Field(default=5.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)
    # Memory for R1's rendered sets, per process (docs/performance.md); 0 renders every time.
    render_cache_mb: float = Field(default=256.0, ge=0)
    # Token bucket per API key: `rate_limit_per_second` tokens flow in, up to
    # `rate_limit_burst`; 0 turns limiting off. Shared by all instances through Redis
    # when `redis_url` is set, else kept per process.
    # Largest JSON request body; theme uploads have their own `max_theme_upload_bytes`.
    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Origins allowed to call the API from a browser (comma-separated); none = CORS off.
    cors_origins: Annotated[list[str], NoDecode] = []
    rate_limit_per_second: float = Field(default=20.0, ge=0)
    rate_limit_burst: int = Field(default=100, ge=1)
    redis_url: str | None = None
    # Set only by the benchmark harness (bench/run.py): serves /bench/limit from this file.
    bench_limit_file: Path | None = None
    # Themes: where uploaded images, tiles, previews and minimaps are stored and served
    # from (/media/), how they are cut, and the limits that keep an upload from hurting.
    media_dir: Path = Path("./media")
    tile_size: int = Field(default=1024, ge=64, le=8192)
    max_image_pixels: int = Field(default=20000 * 20000, ge=1)
    # Also per side: a 1 × 400 000 000 px strip would pass the pixel limit as 390 625 tiles.
    max_image_side: int = Field(default=20000, ge=1)
    max_theme_upload_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    theme_preview_width: int = Field(default=1024, ge=16)
    theme_minimap_width: int = Field(default=256, ge=16)
    # Image jobs run one at a time per process by default: each holds a strip of tiles in memory.
    theme_workers: int = Field(default=1, ge=1)
    # How often a running image job writes its progress to the theme, in seconds.
    theme_progress_interval: float = Field(default=0.5, gt=0)
    # On SIGTERM the server stops accepting, lets requests in flight finish for at most this
    # many seconds, then cancels what is left (rolled back) and exits.
    graceful_shutdown_seconds: int = Field(default=20, ge=1)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def base_url(self) -> str:
        return self.public_base_url.rstrip("/")

    def resolved_secret_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.secret_key_file
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
