"""The project's own ASGI server: channel webhooks and health."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from storage.database import ping

from .bootstrap import App


def create_http_app(app: App, channel_routes: Sequence[BaseRoute] = ()) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        healthy = await ping(app.db)
        return JSONResponse({"status": "ok" if healthy else "database unreachable"}, status_code=200 if healthy else 503)

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *channel_routes])
