"""The web surface: the officers' console (/petugas/) and the public board (/papan/),
server-rendered with Jinja2 on the same FastAPI app as the REST API, every asset served
from /aset/ (nothing from a CDN). Like the chat, the command line and the API, it only
calls the use cases and renders the visibility policy's views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from ..bootstrap import App
from . import auth, board, case, dashboard, inbox
from .context import STATIC, PageError, SignInRequired, WebContext, see_other, signin_url

ASSETS = "/aset"


def add_web(server: FastAPI, app: App, clock: Callable[[], datetime]) -> WebContext:
    ctx = WebContext(app, clock)
    server.state.web = ctx
    server.mount(ASSETS, StaticFiles(directory=STATIC), name="web-assets")
    server.include_router(auth.router())
    server.include_router(inbox.router())
    server.include_router(case.router())
    server.include_router(dashboard.router())
    server.include_router(board.router())

    @server.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, error: SignInRequired) -> Response:
        return see_other(signin_url(error.next_path, error.ended))

    @server.exception_handler(PageError)
    async def refused(request: Request, error: PageError) -> Response:
        return ctx.render(request, "error.html", {"message": error.message}, status=error.status)

    return ctx


__all__ = ["ASSETS", "WebContext", "add_web"]
