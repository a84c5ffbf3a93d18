"""The web console and the board against create_http_app: one browser-like client per
signed-in officer (its own cookies), a fixed clock the test moves, complaints filed
through Open311, and the CSRF token of a page read back from its forms."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from aduan.api.ratelimit import TokenBucketLimiter
from aduan.bootstrap import App
from aduan.http import create_http_app
from aduan.passwords import Argon2Hasher
from complaints.usecases import signin
from tests.api_harness import KEYS, Api, Timer, add_key
from tests.chat_harness import Clock, make_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Officer:
    """A browser signed in as one officer."""

    id: str
    http: httpx.AsyncClient

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(url, **kwargs)

    async def csrf(self, url: str = "/petugas/") -> str:
        page = await self.http.get(url)
        found = CSRF.search(page.text)
        assert found, f"no CSRF token on {url}: {page.status_code}"
        return found.group(1)

    async def post(self, url: str, data: dict[str, Any] | list[tuple[str, str]], *, csrf_from: str | None = None,
                   **kwargs: Any) -> httpx.Response:
        """POST a form with the session's CSRF token (read from ``csrf_from``, default the inbox)."""
        token = await self.csrf(csrf_from or "/petugas/")
        pairs = [*data.items()] if isinstance(data, dict) else list(data)
        form: dict[str, list[str]] = {}
        for name, value in [*pairs, ("csrf", token)]:
            form.setdefault(name, []).append(value)
        return await self.http.post(url, data=form, **kwargs)


@dataclass
class Console:
    app: App
    clock: Clock
    api: Api
    transport: httpx.ASGITransport
    stack: AsyncExitStack
    officers: dict[str, Officer] = field(default_factory=dict)

    @property
    def app_hasher(self) -> Argon2Hasher:
        return Argon2Hasher()

    def client(self) -> httpx.AsyncClient:
        """A new browser (no cookies)."""
        return httpx.AsyncClient(transport=self.transport, base_url="http://aduan")

    async def link(self, officer_id: str) -> str:
        """A one-time sign-in link's path, as ``aduan officer login-link`` issues it."""
        return await login_link(self.app, officer_id, self.clock())

    async def sign_in(self, officer_id: str) -> Officer:
        """A browser signed in as ``officer_id`` by a link (kept: the same one on a second call)."""
        if officer_id in self.officers:
            return self.officers[officer_id]
        http = await self.stack.enter_async_context(self.client())
        await sign_in_by_link(http, await self.link(officer_id))
        officer = Officer(officer_id, http)
        self.officers[officer_id] = officer
        return officer

    async def file(self, **fields: Any) -> str:
        return await self.api.file(**fields)


async def login_link(app: App, officer_id: str, now: datetime) -> str:
    async with app.uow() as uow:
        issued = await signin.issue_link(app.context(), uow, app.org.officers[officer_id], now)
        await uow.commit()
    return f"/petugas/masuk/{issued.token}"


async def sign_in_by_link(http: httpx.AsyncClient, link: str) -> None:
    """What a browser does with a link: open its page, press the button."""
    page = await http.get(link)
    form = re.search(r'name="form" value="([^"]+)"', page.text)
    assert form, page.text
    done = await http.post(link, data={"form": form.group(1)})
    assert done.status_code == 303, done.text


@asynccontextmanager
async def console_for(engine) -> AsyncIterator[Console]:
    app = await make_app(engine)
    clock, timer = Clock(), Timer()
    server = create_http_app(app, clock=clock, limiter=TokenBucketLimiter(100_000, clock=timer))
    transport = httpx.ASGITransport(app=server)
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://aduan"))
        api = Api(app, clock, timer, http)
        for name, (scope, officer) in KEYS.items():
            api.keys[name] = (await add_key(app, scope, officer, name))[1]
        yield Console(app, clock, api, transport, stack)
