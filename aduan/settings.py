"""Settings from the environment (prefix ADUAN_) or a .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_ORGANISATION = Path(__file__).parent / "demo" / "organisation.yaml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADUAN_", env_file=".env", extra="ignore")

    # SQLite by default: a file under the working directory. For PostgreSQL use e.g.
    # postgresql+asyncpg://user@host:5432/aduan
    database_url: str | None = None
    data_dir: Path = Path("data")
    organisation_file: Path = DEMO_ORGANISATION
    timezone: str = "Asia/Jakarta"
    # Minutes of silence after which a half-finished complaint is offered to resume.
    resume_after_minutes: int = Field(default=30, ge=1)
    max_message_chars: int = Field(default=4096, ge=100)
    log_level: str = "WARNING"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'aduan.db').as_posix()}"
