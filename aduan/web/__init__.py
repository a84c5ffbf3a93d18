"""The web surface: the officers' console (/petugas/) and the public board (/papan/),
server-rendered with Jinja2 on the same FastAPI app as the REST API, every asset served
from /aset/ (nothing from a CDN). Like the chat, the command line and the API, it only
calls the use cases and renders the visibility policy's views."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import texts
from complaints.errors import StorageUnavailable

from ..bootstrap import App
from . import auth, board, case, dashboard, inbox
from .context import STATIC, PageError, SignInRequired, WebContext, see_other, signin_url

ASSETS = "/aset"
WEB_PREFIXES = ("/petugas", "/papan", ASSETS)
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


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

    _pages_for_web_paths(server, ctx)
    return ctx


def _pages_for_web_paths(server: FastAPI, ctx: WebContext) -> None:
    """On the console's and the board's paths an error is a page in Indonesian (the API's
    handlers answer JSON everywhere else)."""
    pages = {StarletteHTTPException: None, RequestValidationError: texts.WEB_BAD_REQUEST,
             StorageUnavailable: texts.WEB_UNAVAILABLE}
    for kind, message in pages.items():
        api_handler = server.exception_handlers.get(kind)

        async def handler(request: Request, error: Exception, api_handler: Handler | None = api_handler,
                          message: str | None = message) -> Response:
            path = request.url.path
            if not path.startswith(WEB_PREFIXES) and api_handler is not None:
                answer = api_handler(request, error)
                return await answer if inspect.isawaitable(answer) else answer
            status = error.status_code if isinstance(error, StarletteHTTPException) else 400
            if isinstance(error, StorageUnavailable):
                status = 503
            shown = message or (texts.WEB_NOT_FOUND if status == 404 else texts.WEB_BAD_REQUEST)
            return ctx.render(request, "error.html", {"message": shown}, status=status)

        server.add_exception_handler(kind, handler)


__all__ = ["ASSETS", "WebContext", "add_web"]
