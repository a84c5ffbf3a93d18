"""API keys: three scopes, stored hashed, checked and rate-limited on every request.

- ``public``: reads what anyone may know of a complaint (category, status, area, dates,
  public notes) and files complaints through Open311.
- ``officer``: tied to an officer of the organisation file; sees and acts on the
  complaints of that officer's unit exactly as the officer could from the chat.
- ``admin``: sees and acts on every complaint (as its officer, if it names one).

Without a key, Open311 reads are allowed at the public level (limited per client address).
A missing or unknown key where one is needed is refused with 401, which /open311 answers
as 403, as GeoReport v2 says (aduan/api/errors.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from fastapi.security import APIKeyHeader, APIKeyQuery
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import texts
from complaints.model import Actor
from complaints.org import Officer
from complaints.taxonomy import Role
from storage.api_keys import ApiKeyRepository

from ..bootstrap import App
from .errors import ApiError, rate_limited
from .ratelimit import TokenBucketLimiter

KEY_PREFIX = "aduan_"
MAX_KEY_LENGTH = 200

HEADER = APIKeyHeader(name="X-API-Key", scheme_name="ApiKeyHeader", auto_error=False,
                      description="An API key made with `aduan apikey create`.")
QUERY = APIKeyQuery(name="api_key", scheme_name="ApiKeyQuery", auto_error=False,
                    description="The same key as a parameter (GeoReport v2 style).")


class Scope(StrEnum):
    PUBLIC = "public"
    OFFICER = "officer"
    ADMIN = "admin"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_prefix(key: str) -> str:
    return key[: len(KEY_PREFIX) + 6]


@dataclass(frozen=True)
class Caller:
    scope: Scope
    key_id: int | None = None  # None: a reader without a key
    officer: Officer | None = None

    @property
    def staff(self) -> bool:
        return self.scope is not Scope.PUBLIC

    @property
    def actor(self) -> Actor | None:
        """Who the domain sees acting; None for public keys (they never act on cases)."""
        if self.scope is Scope.PUBLIC:
            return None
        if self.officer is not None:
            return self.officer.actor
        if self.scope is Scope.ADMIN:
            return Actor(f"apikey-{self.key_id}", Role.ADMIN)
        return None

    @property
    def sender(self) -> str:
        """The "sender" of complaints filed with this key (channel "api")."""
        return f"apikey-{self.key_id}"


@dataclass
class Gate:
    """Who is calling, and whether they may call again now."""

    app: App  # its organisation may be reloaded while the server runs
    limiter: TokenBucketLimiter

    async def identify(self, conn: AsyncConnection, key: str | None, address: str, *, required: bool) -> Caller:
        if not key:
            self._limit(f"ip:{address}")
            if required:
                raise ApiError(401, "missing_api_key", texts.API_KEY_MISSING)
            return Caller(Scope.PUBLIC)
        record = None
        if len(key) <= MAX_KEY_LENGTH:
            record = await ApiKeyRepository(conn).active_by_hash(hash_key(key))
        if record is None:
            self._limit(f"ip:{address}")  # guessing keys costs the guesser's address
            raise ApiError(401, "invalid_api_key", texts.API_KEY_INVALID)
        self._limit(f"key:{record.id}")
        officer = None
        if record.officer_id is not None:
            officer = self.app.org.officers.get(record.officer_id)
            if officer is None:
                raise ApiError(403, "officer_unknown", texts.API_KEY_OFFICER_UNKNOWN.format(officer=record.officer_id))
        elif record.scope == Scope.OFFICER:
            raise ApiError(403, "officer_unknown", texts.API_KEY_OFFICER_UNKNOWN.format(officer="-"))
        return Caller(Scope(record.scope), record.id, officer)

    def _limit(self, bucket: str) -> None:
        wait = self.limiter.take(bucket)
        if wait is not None:
            raise rate_limited(wait)
