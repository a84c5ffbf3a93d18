"""Signing in and out of the console: a one-time link (GET shows a button, only the POST
uses the link, so a chat app's link preview cannot spend it), a password, sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot import texts
from complaints.org import Officer
from complaints.signin import Outcome
from complaints.usecases import signin

from ..api.context import client_address
from .context import (
    CONSOLE,
    Context,
    SignedIn,
    Uow,
    WebContext,
    check_csrf,
    check_form_token,
    clear_session_cookie,
    form_token,
    see_other,
    set_form_cookie,
    set_session_cookie,
)
from .flash import flash

Text = Annotated[str, Form(max_length=300)]
OptionalText = Annotated[str | None, Form(max_length=300)]


def _next(path: str | None) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    if path and path.startswith(CONSOLE + "/") and "//" not in path and "\\" not in path:
        return path
    return CONSOLE + "/"


def _signin_page(ctx: WebContext, request: Request, next_path: str | None, *, status: int = 200,
                 error: str | None = None, message: str | None = None, officer_id: str = "") -> Response:
    """The password form (with its double-submit token, set again as a cookie)."""
    token = form_token(request)
    page = ctx.render(request, "signin.html", {
        "form_token": token, "next": _next(next_path), "error": error, "message": message,
        "officer_id": officer_id, "ask_link": texts.WEB_ASK_LINK}, status=status)
    set_form_cookie(ctx, request, page, token)
    return page


def _link_page(ctx: WebContext, request: Request, token: str, officer: Officer | None, *, status: int,
               error: str | None) -> Response:
    """The page of a sign-in link: its button, or why it cannot be used."""
    form = form_token(request)
    page = ctx.render(request, "link.html", {"officer": officer, "token": token, "form_token": form,
                                             "error": error}, status=status)
    page.headers["Referrer-Policy"] = "no-referrer"  # the link's secret is in this page's URL
    set_form_cookie(ctx, request, page, form)
    return page


def _signed_in(ctx: WebContext, request: Request, token: str, to: str) -> Response:
    response = see_other(to)
    set_session_cookie(ctx, request, response, token)
    return response


def router() -> APIRouter:
    web = APIRouter(prefix=CONSOLE, include_in_schema=False)

    @web.get("/masuk")
    async def signin_page(request: Request, ctx: Context, lanjut: str | None = None,
                          berakhir: bool = False) -> Response:
        return _signin_page(ctx, request, lanjut, message=texts.WEB_SESSION_ENDED if berakhir else None)

    @web.post("/masuk")
    async def signin_password(request: Request, ctx: Context, uow: Uow, officer: Text, password: Text,
                              form: OptionalText = None, lanjut: OptionalText = None) -> Response:
        check_form_token(request, form)
        wait = ctx.signin_limiter.take(client_address(request))
        if wait is not None:
            page = _signin_page(ctx, request, lanjut, status=429, error=texts.WEB_SIGNIN_TOO_OFTEN, officer_id=officer)
            page.headers["Retry-After"] = str(int(wait) + 1)
            return page
        try:
            done = await signin.sign_in_with_password(ctx.app.context(), uow, officer, password, ctx.hasher,
                                                      ctx.clock(), client_address(request))
        except signin.SignInRefused as refused:
            await uow.commit()  # the failure counts
            message = texts.WEB_SIGNIN_REFUSED[refused.outcome.value].format(until=ctx.local(refused.retry_at))
            status = 429 if refused.outcome in (Outcome.LOCKED, Outcome.WAIT) else 401
            return _signin_page(ctx, request, lanjut, status=status, error=message, officer_id=officer)
        await uow.commit()
        return _signed_in(ctx, request, done.token, _next(lanjut))

    @web.get("/masuk/{token}")
    async def link_page(request: Request, ctx: Context, uow: Uow, token: str) -> Response:
        officer = await signin.link_officer(ctx.app.context(), uow, token, ctx.clock())
        return _link_page(ctx, request, token, officer, status=200 if officer else 404,
                          error=None if officer else texts.WEB_SIGNIN_REFUSED["unknown_link"])

    @web.post("/masuk/{token}")
    async def link_signin(request: Request, ctx: Context, uow: Uow, token: str,
                          form: OptionalText = None) -> Response:
        check_form_token(request, form)
        try:
            done = await signin.sign_in_with_link(ctx.app.context(), uow, token, ctx.clock(),
                                                  client_address(request))
        except signin.SignInRefused as refused:
            await uow.commit()
            return _link_page(ctx, request, token, None, status=403,
                              error=texts.WEB_SIGNIN_REFUSED[refused.outcome.value])
        await uow.commit()
        return _signed_in(ctx, request, done.token, CONSOLE + "/")

    @web.post("/keluar")
    async def signout(request: Request, ctx: Context, uow: Uow, staff: SignedIn,
                      csrf: OptionalText = None) -> Response:
        check_csrf(staff, csrf)
        await signin.sign_out(uow, staff.session, ctx.clock(), client_address(request))
        await uow.commit()
        response = see_other(CONSOLE + "/masuk")
        clear_session_cookie(ctx, request, response)
        flash(response, texts.WEB_SIGNED_OUT)
        return response

    return web

