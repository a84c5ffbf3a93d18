"""The project's own ASGI server: the REST API (/open311/v2, /api/v1, /openapi.json), the
officers' console (/petugas/) and the public board (/papan/), /healthz, /metrics and the
channel webhooks, on one FastAPI app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import texts
from bot.channels.whatsapp.common import MAX_WEBHOOK_BODY
from storage.database import ping

from .api import create_api
from .api.errors import OPEN311_PREFIX, error_response_at
from .api.ratelimit import TokenBucketLimiter
from .api.schemas import Health
from .bootstrap import App
from .clock import system_now
from .settings import Settings
from .web import add_web

log = logging.getLogger(__name__)
TEXT = {"text/plain": {"schema": {"type": "string"}}}


# The channels' webhooks read up to 1 MiB themselves (bot/channels/whatsapp/common.py
# MAX_WEBHOOK_BODY, bot/channels/telegram.py MAX_WEBHOOK_BYTES): the server lets that much
# through on their paths, and ADUAN_HTTP_MAX_BODY_BYTES everywhere else.
WEBHOOK_PREFIXES = ("/telegram/", "/whatsapp/")
WEBHOOK_BODY_BYTES = MAX_WEBHOOK_BODY
API_PREFIX = "/api/v1"
KEY_HEADER = b"x-api-key"
KEY_PARAMETER = "api_key"
CORS_METHODS = ("GET", "HEAD")
CORS_MAX_AGE = 600  # seconds a browser may keep a preflight's answer
CORS_EXPOSED = ("X-Total-Count", "Link")  # a list's total and next page (aduan/api/open311.py)


@dataclass(frozen=True)
class BodyLimits:
    default: int
    by_prefix: tuple[tuple[str, int], ...] = ()

    def for_path(self, path: str) -> int:
        for prefix, limit in self.by_prefix:
            if path.startswith(prefix):
                return limit
        return self.default


def body_limits(settings: Settings) -> BodyLimits:
    return BodyLimits(settings.http_max_body_bytes, tuple((prefix, WEBHOOK_BODY_BYTES) for prefix in WEBHOOK_PREFIXES))


class LimitBody:
    """Refuses a request body over the limit with 413 before the app reads it: at once when
    Content-Length says so, otherwise (chunked) as soon as the bytes received pass the
    limit; the rest is never read and the connection is closed. The app, which was
    reading, then sees the client gone, and whatever it answers is dropped."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, receive, send, limit)
            return
        received = 0
        refused = started = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await _too_large(scope, receive, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused:  # the 413 has been sent
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise
            log.debug("the app stopped on a refused body", exc_info=True)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else None
    return None


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    message = texts.API_BODY_TOO_LARGE.format(limit=max(1, limit // 1024))
    response = error_response_at(scope["path"], 413, "too_large", message)
    await response(scope, receive, send)


class NoStore:
    """``Cache-Control: no-store`` on every response to a request that carried an API key
    (header or parameter) and on everything under /api/v1, errors included: what a key
    may read is not for a shared cache or the browser's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _private(scope):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_no_store)


def _private(scope: Scope) -> bool:
    path: str = scope["path"]
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        return True
    if any(name == KEY_HEADER for name, _ in scope["headers"]):
        return True
    query = scope.get("query_string", b"").decode("latin-1")
    return any(name == KEY_PARAMETER for name, _ in parse_qsl(query, keep_blank_values=True))


class Open311Cors:
    """CORS for reading Open311 from a browser page of ``origins`` (ADUAN_CORS_ORIGINS):
    GET and HEAD under /open311/ (and their preflight) go through Starlette's
    CORSMiddleware, without credentials; anything else (a POST, /api/v1, the console) never
    gets CORS headers, so a page elsewhere cannot file or act in a browser's name."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=origins, allow_methods=CORS_METHODS, allow_credentials=False,
                                   expose_headers=CORS_EXPOSED, max_age=CORS_MAX_AGE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(OPEN311_PREFIX) and _readable(scope):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _readable(scope: Scope) -> bool:
    """A GET or HEAD, or the browser's preflight asking for one."""
    if scope["method"] in CORS_METHODS:
        return True
    asked = next((value for name, value in scope["headers"] if name == b"access-control-request-method"), None)
    return scope["method"] == "OPTIONS" and asked is not None and asked.decode("latin-1").upper() in CORS_METHODS


def create_http_app(
    app: App,
    channel_routes: Sequence[BaseRoute] = (),
    *,
    clock: Callable[[], datetime] = system_now,
    limiter: TokenBucketLimiter | None = None,
) -> FastAPI:
    """The whole HTTP server: every route behind the body limit and ``no-store`` for keyed
    and /api/v1 responses. ``aduan serve`` runs it through :func:`server_config`."""
    server = create_api(app, clock=clock, limiter=limiter)
    limits = body_limits(app.settings)
    server.state.max_body_bytes = limits.default  # Open311's own reading of a body (api/filing.py)
    server.outer += [lambda inner: LimitBody(inner, limits), NoStore]
    origins = app.settings.cors_origin_list
    if origins:
        server.outer.append(lambda inner: Open311Cors(inner, origins))
    add_web(server, app, clock)

    @server.get(
        "/healthz",
        tags=["server"],
        summary="Whether the database answers",
        responses={200: {"model": Health}, 503: {"model": Health}},
    )
    async def healthz() -> JSONResponse:
        healthy = await ping(app.db)
        body = {"status": "ok" if healthy else "database unreachable"}
        return JSONResponse(body, status_code=200 if healthy else 503)

    @server.get(
        "/metrics",
        tags=["server"],
        summary="Prometheus metrics",
        response_class=Response,
        responses={
            200: {"content": TEXT},
            503: {"description": "The database cannot be reached.", "content": TEXT},
        },
    )
    async def metrics() -> Response:
        try:
            text = await app.metrics.render(app.db, clock())
        except Exception:  # most figures are counted in the database: none without it
            log.warning("metrics not available, the database does not answer", exc_info=True)
            return PlainTextResponse("database unreachable\n", status_code=503)
        return Response(text, media_type=CONTENT_TYPE_PLAIN_0_0_4)

    server.router.routes.extend(channel_routes)
    return server


def server_config(
    app: App,
    channel_routes: Sequence[BaseRoute] = (),
    *,
    clock: Callable[[], datetime] = system_now,
    limiter: TokenBucketLimiter | None = None,
) -> uvicorn.Config:
    """How ``aduan serve`` runs the HTTP server. X-Forwarded-For and X-Forwarded-Proto are
    believed only from ADUAN_TRUSTED_PROXIES (uvicorn's ProxyHeadersMiddleware); uvicorn's
    own defaults (127.0.0.1 trusted, or the FORWARDED_ALLOW_IPS variable) do not count.
    ``config.load()`` then ``config.loaded_app`` is the ASGI app exactly as served."""
    settings = app.settings
    trusted = settings.trusted_proxy_list
    return uvicorn.Config(
        create_http_app(app, channel_routes, clock=clock, limiter=limiter),
        host=settings.http_host,
        port=settings.http_port,
        log_level="warning",
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
    )
