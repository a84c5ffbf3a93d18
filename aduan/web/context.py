"""What every page of the web console and the board needs: the App, the clock, the
templates, the request's unit of work, the signed-in officer and the form's CSRF check.

Sessions: the cookie holds a random 256-bit secret (HttpOnly, SameSite=Lax, Secure over
https); the database holds its SHA-256, the officer, the session's CSRF token and when it
was last used (complaints.signin: it ends after 30 idle minutes, 12 hours at most, or at
sign-out). Every POST of a signed-in page carries the session's CSRF token; the sign-in
forms, before there is a session, a double-submit token (a cookie and the same value in
the form)."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot import texts
from bot.render.labels import category_label, status_label
from complaints.org import Officer
from complaints.signin import WebSession, new_token
from complaints.taxonomy import Role
from complaints.usecases import signin
from complaints.usecases.context import CaseContext
from storage.uow import SqlUnitOfWork, uow_factory

from ..api.ratelimit import TokenBucketLimiter
from ..bootstrap import App
from ..passwords import Argon2Hasher
from ..settings import CONSOLE_PATH
from .flash import clear_flash, read_flash

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "aduan_sesi"
FORM_COOKIE = "aduan_form"  # the sign-in forms' double-submit token
CONSOLE = CONSOLE_PATH
SIGNIN_PER_MINUTE = 30
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class SignInRequired(Exception):
    """No live session: the officer is sent to the sign-in page, then back."""

    def __init__(self, next_path: str, ended: bool) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.ended = ended  # a session cookie was there, but its session has ended


class PageError(Exception):
    """A refusal shown as a page (403, 404, ...); nothing was changed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class WebContext:
    app: App
    clock: Callable[[], datetime]
    hasher: Argon2Hasher = field(default_factory=Argon2Hasher)
    # password attempts per client address and minute, whoever they name: each argon2 check
    # costs the server, and the per-officer back-off does not bound a sweep over many officers
    signin_limiter: TokenBucketLimiter = field(default_factory=lambda: TokenBucketLimiter(SIGNIN_PER_MINUTE))
    templates: Jinja2Templates = field(init=False)
    checked_uow: Callable[[], SqlUnitOfWork] = field(init=False)

    def __post_init__(self) -> None:
        self.templates = Jinja2Templates(directory=TEMPLATES)
        env = self.templates.env
        env.filters.update(status=status_label, category=category_label, local=self.local,
                           privacy=lambda mode: texts.PRIVACY_LABELS.get(mode, str(mode)))
        env.globals.update(console=CONSOLE)
        self.checked_uow = uow_factory(self.app.db, check_connection=True)

    def local(self, moment: datetime | None) -> str:
        return "-" if moment is None else moment.astimezone(self.app.tz).strftime("%d-%m-%Y %H:%M")

    def secure(self, request: Request) -> bool:
        return request.url.scheme == "https" or self.app.settings.public_url.startswith("https://")

    def render(self, request: Request, name: str, values: dict[str, Any], *, status: int = 200,
               public: bool = False) -> HTMLResponse:
        headers = dict(SECURITY_HEADERS)
        if not public:
            headers.update(PRIVATE_HEADERS)
        waiting = read_flash(request) if not public else None
        values = {"flash": waiting, **values}
        response = self.templates.TemplateResponse(request, name, values, status_code=status, headers=headers)
        if waiting is not None:
            clear_flash(response)
        return response


def web_context(request: Request) -> WebContext:
    context = request.app.state.web
    if not isinstance(context, WebContext):  # pragma: no cover - add_web always sets it
        raise TypeError("the console was not built by aduan.web.add_web")
    return context


Context = Annotated[WebContext, Depends(web_context)]


async def unit_of_work(ctx: Context) -> AsyncIterator[SqlUnitOfWork]:
    async with ctx.checked_uow() as uow:
        yield uow


Uow = Annotated[SqlUnitOfWork, Depends(unit_of_work)]


@dataclass(frozen=True)
class Staff:
    """The signed-in officer, the session, and the organisation snapshot of this request."""

    officer: Officer
    session: WebSession
    cases: CaseContext

    @property
    def is_admin(self) -> bool:
        return self.officer.role is Role.ADMIN

    @property
    def sees_dashboard(self) -> bool:
        return self.officer.role in (Role.ADMIN, Role.HEAD, Role.SUPERVISOR)


async def signed_in(request: Request, ctx: Context, uow: Uow) -> Staff:
    token = request.cookies.get(SESSION_COOKIE)
    cases = ctx.app.context()
    found = await signin.current(cases, uow, token, ctx.clock()) if token else None
    if found is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path if request.method == "GET" else CONSOLE + "/", ended=token is not None)
    await uow.commit()  # the session's last use
    officer, session = found
    return Staff(officer, session, cases)


SignedIn = Annotated[Staff, Depends(signed_in)]


def check_csrf(staff: Staff, sent: str | None) -> None:
    """A form of a signed-in page must carry its session's token; otherwise nothing is done."""
    if not sent or not hmac.compare_digest(sent.encode(), staff.session.csrf.encode()):
        raise PageError(403, texts.WEB_CSRF_REFUSED)


def form_token(request: Request) -> str:
    """The sign-in forms' token: the cookie's value if the browser has one, else a new one."""
    return request.cookies.get(FORM_COOKIE) or new_token()


def check_form_token(request: Request, sent: str | None) -> None:
    cookie = request.cookies.get(FORM_COOKIE)
    if not sent or not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise PageError(403, texts.WEB_CSRF_REFUSED)


def set_form_cookie(ctx: WebContext, request: Request, response: Response, token: str) -> None:
    response.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict", secure=ctx.secure(request),
                        path=CONSOLE + "/masuk")


def set_session_cookie(ctx: WebContext, request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=ctx.secure(request),
                        path=CONSOLE + "/", max_age=int(signin.POLICY.longest.total_seconds()))


def clear_session_cookie(ctx: WebContext, request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=ctx.secure(request),
                           path=CONSOLE + "/")


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=PRIVATE_HEADERS)


def signin_url(next_path: str, ended: bool) -> str:
    query = f"?lanjut={quote(next_path, safe='/')}" if next_path and next_path != CONSOLE + "/" else ""
    if ended:
        query += ("&" if query else "?") + "berakhir=1"
    return f"{CONSOLE}/masuk{query}"
