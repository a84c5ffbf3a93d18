"""How officers sign in to the web console (``/petugas/``): one-time links, passwords with
back-off and lockout, sessions that end when idle. Pure rules: time is an argument; the
password hash is a :class:`PasswordHasher` the composition root supplies (argon2)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

TOKEN_BYTES = 32  # 256 bits: a link's or a session's secret
MIN_PASSWORD_CHARS = 10


class Method(StrEnum):
    LINK = "link"  # a one-time link (aduan officer login-link, or /masuk in the officer's chat)
    PASSWORD = "password"
    LOGOUT = "logout"
    LINK_ISSUED = "link_issued"
    PASSWORD_SET = "password_set"


class Outcome(StrEnum):
    OK = "ok"
    UNKNOWN_LINK = "unknown_link"  # never issued, or mistyped
    EXPIRED_LINK = "expired_link"
    USED_LINK = "used_link"
    UNKNOWN_OFFICER = "unknown_officer"  # not (or no longer) in the organisation file
    NO_PASSWORD = "no_password"  # the officer never set one
    BAD_PASSWORD = "bad_password"
    LOCKED = "locked"  # too many failures: no attempt is judged until the lock ends
    WAIT = "wait"  # back-off: too soon after the last failure


@dataclass(frozen=True)
class SignInPolicy:
    link_valid: timedelta = timedelta(minutes=15)
    idle: timedelta = timedelta(minutes=30)  # a session unused this long has ended
    longest: timedelta = timedelta(hours=12)  # and none outlives a working day
    touch_every: timedelta = timedelta(minutes=1)  # how often a session's last use is written
    free_failures: int = 3  # failed passwords allowed before the back-off starts
    backoff: timedelta = timedelta(seconds=5)  # doubled with every failure after those
    lock_after: int = 10  # failures in a row that lock the password
    lock_for: timedelta = timedelta(minutes=30)

    def wait_after(self, failures: int) -> timedelta:
        """How long after a failure the next attempt is judged at all."""
        if failures < self.free_failures:
            return timedelta(0)
        return min(self.backoff * (1 << min(failures - self.free_failures, 20)), self.lock_for)


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when ``password`` matches; False (never an exception) otherwise."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """What is stored of a link's or a session's secret: its SHA-256, never the secret."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def password_problem(password: str) -> str | None:
    """Why a new password is refused (a key of the texts), or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return "too_short"
    if password.strip() != password or not password.isprintable():
        return "spaces"
    return None


@dataclass(frozen=True)
class LoginLink:
    token_digest: str
    officer_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def outcome(self, now: datetime) -> Outcome:
        if self.used_at is not None:
            return Outcome.USED_LINK
        if now >= self.expires_at:
            return Outcome.EXPIRED_LINK
        return Outcome.OK


@dataclass(frozen=True)
class Credentials:
    officer_id: str
    password_hash: str
    failures: int = 0  # failed attempts in a row
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None

    def refusal(self, now: datetime, policy: SignInPolicy) -> Outcome | None:
        """Why no attempt is judged now (locked, or backing off), or None."""
        if self.locked_until is not None and now < self.locked_until:
            return Outcome.LOCKED
        if self.last_failure_at is not None and now < self.last_failure_at + policy.wait_after(self.failures):
            return Outcome.WAIT
        return None

    def failed(self, now: datetime, policy: SignInPolicy) -> Credentials:
        failures = self.failures + 1
        locked = now + policy.lock_for if failures >= policy.lock_after else None
        return replace(self, failures=0 if locked else failures, last_failure_at=now, locked_until=locked)

    def succeeded(self) -> Credentials:
        return replace(self, failures=0, last_failure_at=None, locked_until=None)

    def retry_at(self, now: datetime, policy: SignInPolicy) -> datetime:
        if self.locked_until is not None and now < self.locked_until:
            return self.locked_until
        return (self.last_failure_at or now) + policy.wait_after(self.failures)


@dataclass(frozen=True)
class WebSession:
    session_digest: str
    officer_id: str
    csrf: str  # the token every form of this session carries
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None

    def alive(self, now: datetime, policy: SignInPolicy) -> bool:
        return (self.ended_at is None and now < self.last_seen_at + policy.idle
                and now < self.created_at + policy.longest)

    def needs_touch(self, now: datetime, policy: SignInPolicy) -> bool:
        return now - self.last_seen_at >= policy.touch_every


@dataclass(frozen=True)
class SignInEvent:
    """One line of the sign-in audit: who, how, with what result, from where."""

    at: datetime
    officer_id: str  # as typed or as the link said: may name no officer
    method: Method
    outcome: Outcome
    address: str = ""
