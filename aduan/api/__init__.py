"""The REST API: Open311 GeoReport v2 (/open311/v2) and our own /api/v1, one FastAPI app
whose OpenAPI document is generated from the typed routes (/openapi.json)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from ..bootstrap import App
from ..clock import system_now
from . import errors, open311, v1
from .context import ApiContext
from .keys import Gate
from .ratelimit import TokenBucketLimiter

DESCRIPTION = """\
Public-service complaints (pengaduan pelayanan publik).

- `/open311/v2`: an Open311 GeoReport v2 subset (JSON): services are the complaint
  categories, service requests are complaints.
- `/api/v1`: status history, escalation, deadlines, assignment and rating; officers change
  statuses and assign cases with the same rules as in their chat.

Send an API key in the `X-API-Key` header (`aduan apikey create`). Errors have one shape:
`{"error": {"code", "message"}}` on /api/v1, `[{"code", "description"}]` on /open311.
"""


def create_api(app: App, *, clock: Callable[[], datetime] = system_now,
               limiter: TokenBucketLimiter | None = None) -> FastAPI:
    limiter = limiter or TokenBucketLimiter(app.settings.api_rate_per_minute)
    ctx = ApiContext(app, clock, Gate(app, limiter))
    api = FastAPI(title="aduan", version="1", description=DESCRIPTION, docs_url="/docs", redoc_url=None,
                  generate_unique_id_function=lambda route: route.name)  # operationId: the function's name
    errors.install(api)
    api.include_router(open311.router(ctx))
    api.include_router(v1.router(ctx))
    return api
