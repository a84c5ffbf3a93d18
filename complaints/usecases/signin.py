"""Officers signing in to the web console: issuing a one-time link, signing in with it or
with a password, the session every page checks, signing out, setting a password. The
rules are complaints.signin; every attempt, good or bad, is written to the sign-in audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import DomainError
from ..org import Officer
from ..ports import UnitOfWork
from ..signin import (
    Credentials,
    LoginLink,
    Method,
    Outcome,
    PasswordHasher,
    SignInEvent,
    SignInPolicy,
    WebSession,
    digest,
    new_token,
    password_problem,
)
from .context import CaseContext

POLICY = SignInPolicy()


class SignInRefused(DomainError):
    """A sign-in attempt that did not open a session; ``outcome`` says why, ``retry_at``
    when another attempt will be judged (back-off, lockout)."""

    def __init__(self, outcome: Outcome, retry_at: datetime | None = None) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome
        self.retry_at = retry_at


class PasswordRefused(DomainError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class IssuedLink:
    token: str  # the secret of the link: shown once, stored as its digest
    link: LoginLink


@dataclass(frozen=True)
class SignedIn:
    token: str  # the session cookie's value: shown once, stored as its digest
    session: WebSession
    officer: Officer


def _officer(ctx: CaseContext, officer_id: str) -> Officer | None:
    return ctx.org.officers.get(officer_id)


async def issue_link(ctx: CaseContext, uow: UnitOfWork, officer: Officer, now: datetime,
                     policy: SignInPolicy = POLICY) -> IssuedLink:
    token = new_token()
    link = LoginLink(digest(token), officer.id, now, now + policy.link_valid)
    await uow.signins.add_link(link)
    await uow.signins.record(SignInEvent(now, officer.id, Method.LINK_ISSUED, Outcome.OK))
    return IssuedLink(token, link)


async def _open_session(uow: UnitOfWork, officer: Officer, method: Method, now: datetime, address: str) -> SignedIn:
    token = new_token()
    session = WebSession(digest(token), officer.id, new_token(), now, now)
    await uow.signins.add_session(session)
    await uow.signins.record(SignInEvent(now, officer.id, method, Outcome.OK, address))
    return SignedIn(token, session, officer)


async def _refuse(uow: UnitOfWork, event: SignInEvent, retry_at: datetime | None = None) -> SignInRefused:
    """Record the refused attempt (the caller commits it) and say why."""
    await uow.signins.record(event)
    return SignInRefused(event.outcome, retry_at)


async def link_officer(ctx: CaseContext, uow: UnitOfWork, token: str, now: datetime) -> Officer | None:
    """Whose link this is, if it can still be used (the page that asks to confirm it)."""
    found = await uow.signins.link(digest(token))
    if found is None or found.outcome(now) is not Outcome.OK:
        return None
    return _officer(ctx, found.officer_id)


async def sign_in_with_link(ctx: CaseContext, uow: UnitOfWork, token: str, now: datetime, address: str = "",
                            ) -> SignedIn:
    """Use the link once: a session, or SignInRefused (recorded; the caller commits)."""
    key = digest(token)
    found = await uow.signins.link(key)
    if found is None:
        raise await _refuse(uow, SignInEvent(now, "-", Method.LINK, Outcome.UNKNOWN_LINK, address))
    outcome = found.outcome(now)
    if outcome is Outcome.OK and not await uow.signins.use_link(key, now):
        outcome = Outcome.USED_LINK
    officer = _officer(ctx, found.officer_id)
    if outcome is Outcome.OK and officer is None:
        outcome = Outcome.UNKNOWN_OFFICER
    if outcome is not Outcome.OK or officer is None:
        raise await _refuse(uow, SignInEvent(now, found.officer_id, Method.LINK, outcome, address))
    return await _open_session(uow, officer, Method.LINK, now, address)


async def sign_in_with_password(ctx: CaseContext, uow: UnitOfWork, officer_id: str, password: str,
                                hasher: PasswordHasher, now: datetime, address: str = "",
                                policy: SignInPolicy = POLICY) -> SignedIn:
    """Check the password with back-off and lockout: a session, or SignInRefused (recorded;
    the caller commits, the failure count included)."""
    officer_id = officer_id.strip()
    officer = _officer(ctx, officer_id)
    credentials = await uow.signins.credentials(officer_id, for_update=True) if officer else None
    if officer is None or credentials is None:
        outcome = Outcome.UNKNOWN_OFFICER if officer is None else Outcome.NO_PASSWORD
        raise await _refuse(uow, SignInEvent(now, officer_id or "-", Method.PASSWORD, outcome, address))
    waiting = credentials.refusal(now, policy)
    if waiting is not None:
        raise await _refuse(uow, SignInEvent(now, officer_id, Method.PASSWORD, waiting, address),
                            credentials.retry_at(now, policy))
    if not hasher.verify(credentials.password_hash, password):
        failed = credentials.failed(now, policy)
        await uow.signins.put_credentials(failed, now)
        raise await _refuse(uow, SignInEvent(now, officer_id, Method.PASSWORD, Outcome.BAD_PASSWORD, address),
                            failed.retry_at(now, policy))
    await uow.signins.put_credentials(credentials.succeeded(), now)
    return await _open_session(uow, officer, Method.PASSWORD, now, address)


async def current(ctx: CaseContext, uow: UnitOfWork, token: str, now: datetime,
                  policy: SignInPolicy = POLICY) -> tuple[Officer, WebSession] | None:
    """The officer of a live session (its last use written at most once a minute); None
    when the session ended, idled out, or its officer left the organisation file."""
    key = digest(token)
    session = await uow.signins.session(key)
    if session is None or not session.alive(now, policy):
        return None
    officer = _officer(ctx, session.officer_id)
    if officer is None:
        return None
    if session.needs_touch(now, policy):
        await uow.signins.touch_session(key, now)
    return officer, session


async def sign_out(uow: UnitOfWork, session: WebSession, now: datetime, address: str = "") -> None:
    await uow.signins.end_session(session.session_digest, now)
    await uow.signins.record(SignInEvent(now, session.officer_id, Method.LOGOUT, Outcome.OK, address))


async def set_password(uow: UnitOfWork, officer: Officer, password: str, hasher: PasswordHasher,
                       now: datetime) -> int:
    """Set (or replace) the officer's password; their open sessions end. How many ended."""
    problem = password_problem(password)
    if problem is not None:
        raise PasswordRefused(problem)
    await uow.signins.put_credentials(Credentials(officer.id, hasher.hash(password)), now)
    await uow.signins.record(SignInEvent(now, officer.id, Method.PASSWORD_SET, Outcome.OK))
    return await uow.signins.end_sessions(officer.id, now)
