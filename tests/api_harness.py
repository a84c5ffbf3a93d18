"""A REST API client against create_http_app, with API keys of each scope, a fixed clock,
and a rate limiter whose clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx

from aduan.api.keys import hash_key, key_prefix, new_key
from aduan.api.ratelimit import TokenBucketLimiter
from aduan.bootstrap import App
from aduan.http import create_http_app
from storage.api_keys import ApiKeyRepository
from tests.chat_harness import START, Clock, make_app

# name -> (scope, officer id)
KEYS = {
    "public": ("public", None),
    "admin": ("admin", "admin-pusat"),
    "dsdabm": ("officer", "petugas-dsdabm"),  # jalan, drainase
    "dlh": ("officer", "petugas-dlh"),  # sampah, lingkungan
}


@dataclass
class Timer:
    """The rate limiter's clock (seconds), moved by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Api:
    app: App
    clock: Clock
    timer: Timer
    http: httpx.AsyncClient
    keys: dict[str, str] = field(default_factory=dict)

    def auth(self, name: str | None) -> dict[str, str]:
        return {"X-API-Key": self.keys[name]} if name else {}

    async def get(self, url: str, key: str | None = "admin", **kwargs: Any) -> httpx.Response:
        return await self.http.get(url, headers={**self.auth(key), **kwargs.pop("headers", {})}, **kwargs)

    async def post(self, url: str, key: str | None = "admin", **kwargs: Any) -> httpx.Response:
        return await self.http.post(url, headers={**self.auth(key), **kwargs.pop("headers", {})}, **kwargs)

    async def file(self, key: str | None = "public", **fields: Any) -> str:
        """File a complaint through Open311; returns its tracking code. Each call is a new
        request (an Idempotency-Key of its own), however alike its fields."""
        form = {"service_code": "jalan", "description": "jalan depan gang 5 berlubang besar",
                "address_string": "Kebraon", **fields}
        fresh = {"Idempotency-Key": uuid4().hex}
        response = await self.post("/open311/v2/requests.json", key, data=form, headers=fresh)
        assert response.status_code == 201, response.text
        return response.json()[0]["service_request_id"]

    async def set_status(self, code: str, status: str, key: str = "admin", **body: Any) -> httpx.Response:
        return await self.post(f"/api/v1/complaints/{code}/status", key, json={"status": status, **body})


async def add_key(app: App, scope: str, officer: str | None, label: str = "") -> tuple[int, str]:
    key = new_key()
    async with app.uow() as uow:
        keys = ApiKeyRepository(uow.connection)
        record = await keys.add(hash_key(key), key_prefix(key), scope, officer, label, START)
        await uow.commit()
    return record.id, key


@asynccontextmanager
async def api_for(engine, *, rate_per_minute: int = 100_000) -> AsyncIterator[Api]:
    app = await make_app(engine)
    clock, timer = Clock(), Timer()
    server = create_http_app(app, clock=clock, limiter=TokenBucketLimiter(rate_per_minute, clock=timer))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://aduan") as http:
        api = Api(app, clock, timer, http)
        for name, (scope, officer) in KEYS.items():
            api.keys[name] = (await add_key(app, scope, officer, name))[1]
        yield api
