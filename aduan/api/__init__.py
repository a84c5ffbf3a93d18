"""The REST API: Open311 GeoReport v2 (/open311/v2) and our own /api/v1, one FastAPI app
whose OpenAPI document is generated from the typed routes (/openapi.json)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from ..bootstrap import App
from ..clock import system_now
from . import discovery, errors, open311, v1
from .context import ApiContext
from .keys import Gate
from .ratelimit import TokenBucketLimiter

log = logging.getLogger(__name__)
DOCS_ASSETS = "/docs/assets"

DESCRIPTION = """\
Public-service complaints (pengaduan pelayanan publik).

- `/open311/v2`: Open311 GeoReport v2: services are the complaint categories, service
  requests are complaints. Each endpoint also answers as GeoReport v2 XML at its `.xml` path
  (not listed here: the same parameters, the same data); `/open311/discovery.json|.xml` is
  the service discovery document.
- `/api/v1`: status history, escalation, deadlines, assignment and rating; officers change
  statuses and assign cases with the same rules as in their chat.

Send an API key in the `X-API-Key` header (`aduan apikey create`). Errors have one shape:
`{"error": {"code", "message"}}` on /api/v1, `[{"code", "description"}]` on /open311.
"""


class ApiServer(FastAPI):
    """FastAPI with layers around its whole middleware stack: ``outer`` (the first wraps
    first, the last is outermost) sees every response, the 500 that FastAPI's own error
    handling writes outside its user middleware included."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outer: list[Callable[[ASGIApp], ASGIApp]] = []

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        for wrap in self.outer:
            stack = wrap(stack)
        return stack


def create_api(app: App, *, clock: Callable[[], datetime] = system_now,
               limiter: TokenBucketLimiter | None = None) -> ApiServer:
    limiter = limiter or TokenBucketLimiter(app.settings.api_rate_per_minute)
    ctx = ApiContext(app, clock, Gate(app, limiter))
    api = ApiServer(title="aduan", version="1", description=DESCRIPTION, docs_url=None, redoc_url=None,
                    generate_unique_id_function=lambda route: route.name)  # operationId: the function's name
    api.state.context = ctx  # the routes' dependencies read it (aduan.api.context)
    errors.install(api)
    api.include_router(open311.router(ctx))
    api.include_router(discovery.router(ctx, started=clock()))
    api.include_router(v1.router(ctx))
    if app.settings.api_docs:
        add_docs(api)
    return api


def add_docs(api: FastAPI) -> None:
    """/docs: Swagger UI with its script, style and icon served by this server (the
    fastapi-offline package ships them), so the page loads nothing from a CDN."""
    try:
        import fastapi_offline  # only when the docs are asked for
    except ImportError:
        log.warning("ADUAN_API_DOCS is on but the fastapi-offline package is not installed: /docs stays off")
        return
    assets = Path(fastapi_offline.__file__).parent / "static"
    api.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @api.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{api.openapi_url}",
            title="aduan API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
        )
