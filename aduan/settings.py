"""Settings from the environment (prefix ADUAN_) or a .env file."""

from __future__ import annotations

import re
from ipaddress import ip_network
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.database import Durability

DEMO_ORGANISATION = Path(__file__).parent / "demo" / "organisation.yaml"
CONSOLE_PATH = "/petugas"  # the officers' web console (aduan/web)
ORIGIN = re.compile(r"https?://[^/?#\s]+/?")  # what a browser sends as Origin


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADUAN_", env_file=".env", extra="ignore")

    # SQLite by default: a file under the working directory. For PostgreSQL use e.g.
    # postgresql+asyncpg://user@host:5432/aduan
    database_url: str | None = None
    # "full" (the default): a complaint is on disk before its receipt is sent, power loss
    # included (SQLite synchronous=FULL in WAL mode, PostgreSQL synchronous_commit=on).
    # "relaxed": ~10 % more messages a second, but a power cut or an OS crash can lose the
    # last moments' complaints although their citizens already hold a tracking code.
    database_durability: Durability = Durability.FULL
    data_dir: Path = Path("data")
    organisation_file: Path = DEMO_ORGANISATION
    timezone: str = "Asia/Jakarta"
    # Minutes of silence after which a half-finished complaint is offered to resume.
    resume_after_minutes: int = Field(default=30, ge=1)
    max_message_chars: int = Field(default=4096, ge=100)
    log_level: str = "WARNING"
    media_dir: Path = Path("data/media")  # photos, documents, voice notes and videos citizens send
    max_media_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)  # a photo or document
    max_voice_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)  # a voice note or audio file
    max_video_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # a video (Telegram lets bots fetch 20 MB)
    # Hours after which a notice the complainant has not received (its delivery failed for
    # good) is listed in the central admins' daily digest.
    undelivered_digest_hours: int = Field(default=24, ge=1)

    # HTTP server (aduan serve): webhooks, health
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    # REST API (/open311/v2, /api/v1): requests a minute per API key (or per address without a key)
    api_rate_per_minute: int = Field(default=120, ge=1)
    # The largest request body the HTTP server reads, for every route but the channel
    # webhooks (/telegram/, /whatsapp/: 1 MiB, the channels' own limit); more is refused
    # with 413 before it is read.
    http_max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=64 * 1024 * 1024)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated
    # addresses or networks ("10.0.0.5, 172.16.0.0/12"). Empty: nobody's, the peer's address counts.
    trusted_proxies: str = ""
    # Where clients reach this server (links the API hands out, e.g. "next"), e.g.
    # https://aduan.example.go.id; empty: http://{http_host}:{http_port}. Never the Host header.
    public_base_url: str = ""
    # /docs (Swagger UI, served from this server, no CDN). /openapi.json is always there.
    api_docs: bool = False
    # Origins whose browser pages may read Open311 (GET under /open311/, discovery included)
    # across origins, comma-separated ("https://peta.example.go.id, http://localhost:3000");
    # "*" for any. Empty: none. Never with credentials, never for POST.
    cors_origins: str = ""
    # Open311 discovery's contact (who answers integrators); empty: the organisation's
    # complaint admins at public_base_url, in Indonesian.
    open311_contact: str = Field(default="", max_length=500)

    # Telegram: set the token to enable. With a webhook URL, aduan serve registers the
    # webhook; without one, it long-polls (fine for a small office).
    telegram_bot_token: str | None = None
    telegram_webhook_url: str | None = None  # e.g. https://aduan.example.go.id/telegram/webhook
    telegram_webhook_secret: str | None = None  # checked on every webhook call
    telegram_api_base: str = "https://api.telegram.org"  # tests point it at a local fake

    # WhatsApp Cloud API: set the access token and phone number id to enable
    whatsapp_access_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_verify_token: str | None = None  # the webhook verification handshake
    whatsapp_app_secret: str | None = None  # X-Hub-Signature-256 HMAC key
    whatsapp_api_base: str = "https://graph.facebook.com/v21.0"
    # Hosts a media file's URL may be on for the access token to go there (https), besides the
    # API base itself; the Cloud API serves media from lookaside.fbsbx.com. An entry with a
    # scheme (http://127.0.0.1:8123) is taken as written: for a local fake in tests only.
    whatsapp_media_hosts: list[str] = ["lookaside.fbsbx.com"]
    whatsapp_status_template: str = "status_laporan"  # approved utility template, outside 24 h
    whatsapp_template_language: str = "id"

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for entry in _entries(value):
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {entry!r}") from None
        return value

    @field_validator("public_base_url")
    @classmethod
    def _base_is_http(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value):
            raise ValueError("must be an http(s) URL without a query, e.g. https://aduan.example.go.id")
        return value.rstrip("/")

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, value: str) -> str:
        for entry in _entries(value):
            if entry != "*" and not ORIGIN.fullmatch(entry):
                raise ValueError(f"not an origin (scheme://host[:port], no path): {entry!r}")
        return value

    @property
    def cors_origin_list(self) -> list[str]:
        return [entry.rstrip("/") for entry in _entries(self.cors_origins)]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _entries(self.trusted_proxies)

    @property
    def public_url(self) -> str:
        """The public base URL, without a trailing slash."""
        if self.public_base_url:
            return self.public_base_url
        host = f"[{self.http_host}]" if ":" in self.http_host else self.http_host
        return f"http://{host}:{self.http_port}"

    @property
    def login_url(self) -> str:
        """Where an officer's one-time sign-in link points, without its secret."""
        return f"{self.public_url}{CONSOLE_PATH}/masuk/"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'aduan.db').as_posix()}"


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(",") if entry.strip()]
