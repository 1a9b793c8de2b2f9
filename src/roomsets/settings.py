"""Every setting of the service, read once from `ROOMSETS_*` environment variables."""

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROOMSETS_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./roomsets.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
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
