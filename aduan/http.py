"""The project's own ASGI server: the REST API (/open311/v2, /api/v1, /openapi.json),
/healthz, /metrics and the channel webhooks, on one FastAPI app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.routing import BaseRoute

from storage.database import ping

from .api import create_api
from .api.ratelimit import TokenBucketLimiter
from .api.schemas import Health
from .bootstrap import App
from .clock import system_now

log = logging.getLogger(__name__)
TEXT = {"text/plain": {"schema": {"type": "string"}}}


def create_http_app(
    app: App,
    channel_routes: Sequence[BaseRoute] = (),
    *,
    clock: Callable[[], datetime] = system_now,
    limiter: TokenBucketLimiter | None = None,
) -> FastAPI:
    server = create_api(app, clock=clock, limiter=limiter)

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
