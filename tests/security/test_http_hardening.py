"""The HTTP server against abuse, on SQLite and PostgreSQL (the ``app`` fixture):

- a request body over the limit is refused with a small 413 before it is read, with a
  Content-Length and chunked, through the ASGI app and through uvicorn on a socket, and
  /healthz keeps answering; the webhooks keep their own larger limit;
- JSON nested 50,000 deep is a 400, never a 500;
- X-Forwarded-For counts only from ADUAN_TRUSTED_PROXIES (the app built as ``aduan serve``
  builds it, uvicorn's proxy-headers middleware included);
- ``next`` links are on ADUAN_PUBLIC_BASE_URL and never carry the API key;
- ``Cache-Control: no-store`` for keyed requests and /api/v1, errors and crashes included;
- /docs is off by default and, when on, loads nothing from a CDN;
- ``from``/``to`` are YYYY-MM-DD days; a 405 lists every allowed method in ``Allow``.

Nothing sleeps: the rate limiter's clock is a Timer moved by hand, and the socket server
is handed a socket that already listens.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route

from aduan.api.context import client_address
from aduan.api.ratelimit import TokenBucketLimiter
from aduan.bootstrap import App
from aduan.http import WEBHOOK_BODY_BYTES, create_http_app, server_config
from bot import texts
from tests.api_harness import KEYS, Api, Timer, add_key
from tests.chat_harness import Clock

MB = 1024 * 1024
HUGE = 45 * MB
LIMIT = 64 * 1024  # ADUAN_HTTP_MAX_BODY_BYTES's default
STATUS_URL = "/api/v1/complaints/LPR-7KQ3-MN/status"
CDN = re.compile(r"cdn\.jsdelivr\.net|unpkg", re.IGNORECASE)


def with_settings(app: App, **changes: Any) -> App:
    return replace(app, settings=app.settings.model_copy(update=changes))


@asynccontextmanager
async def api_on(app: App, routes: Sequence[BaseRoute] = (), *, rate_per_minute: int = 100_000,
                 **transport: Any) -> AsyncIterator[Api]:
    """tests.api_harness.api_for on the ``app`` fixture's App."""
    clock, timer = Clock(), Timer()
    server = create_http_app(app, routes, clock=clock, limiter=TokenBucketLimiter(rate_per_minute, clock=timer))
    asgi = httpx.ASGITransport(app=server, **transport)
    async with httpx.AsyncClient(transport=asgi, base_url="http://aduan") as http:
        api = Api(app, clock, timer, http)
        for name, (scope, officer) in KEYS.items():
            api.keys[name] = (await add_key(app, scope, officer, name))[1]
        yield api


class Body:
    """A body of ``size`` bytes made 64 KiB at a time as it is sent; counts what was taken."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.size, self.chunk, self.taken = size, chunk, 0
        self.block = b"x" * chunk

    def _next(self) -> bytes | None:
        if self.taken >= self.size:
            return None
        piece = self.block[: min(self.chunk, self.size - self.taken)]
        self.taken += len(piece)
        return piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (piece := self._next()) is not None:
            yield piece


def assert_too_large(response: httpx.Response, *, open311: bool = False) -> None:
    assert response.status_code == 413, response.text
    assert len(response.content) < 300  # the body is never echoed
    message = texts.API_BODY_TOO_LARGE.format(limit=LIMIT // 1024)
    if open311:
        assert response.json() == [{"code": 413, "description": message}]
    else:
        assert response.json() == {"error": {"code": "too_large", "message": message}}


# --- 1. the body limit ------------------------------------------------------------------

async def test_a_45_mb_body_is_refused_before_it_is_read(app: App) -> None:
    async with api_on(app) as api:
        started = time.monotonic()
        declared = Body(HUGE)
        response = await api.post(STATUS_URL, content=declared,
                                  headers={"content-type": "application/json", "content-length": str(HUGE)})
        assert_too_large(response)
        assert declared.taken <= 64 * 1024, "refused on Content-Length, nothing read"

        chunked = Body(HUGE)  # no length: counted as it comes
        response = await api.post(STATUS_URL, content=chunked, headers={"content-type": "application/json"})
        assert_too_large(response)
        assert chunked.taken <= LIMIT + 2 * chunked.chunk, "refused as soon as the limit was passed"
        assert response.headers["cache-control"] == "no-store"

        open311 = Body(HUGE)
        response = await api.post("/open311/v2/requests.json", content=open311,
                                  headers={"content-type": "application/x-www-form-urlencoded"})
        assert_too_large(response, open311=True)
        assert time.monotonic() - started < 5
        health = await api.get("/healthz", key=None)
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        # a body within the limit still goes through to the route
        small = await api.set_status("LPR-7KQ3-MN", "selesai", note="x" * 1000)
        assert small.status_code == 404


async def test_the_webhooks_keep_their_own_limit(app: App) -> None:
    from bot.channels.telegram import MAX_WEBHOOK_BYTES  # the telegram extra
    from bot.channels.whatsapp.common import MAX_WEBHOOK_BODY

    assert max(MAX_WEBHOOK_BYTES, MAX_WEBHOOK_BODY) <= WEBHOOK_BODY_BYTES

    async def length(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    routes = [Route(path, length, methods=["POST"]) for path in ("/whatsapp/webhook", "/telegram/webhook")]
    server = create_http_app(app, routes)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://aduan") as http:
        for path in ("/whatsapp/webhook", "/telegram/webhook"):
            near = await http.post(path, content=b"{" + b" " * (WEBHOOK_BODY_BYTES - 2) + b"}")
            assert (near.status_code, near.text) == (200, str(WEBHOOK_BODY_BYTES))
            over = await http.post(path, content=Body(WEBHOOK_BODY_BYTES + 1))
            assert over.status_code == 413 and len(over.content) < 300


async def test_a_45_mb_body_through_uvicorn_on_a_socket(app: App) -> None:
    """The server as ``aduan serve`` runs it: the 413 reaches the client (uvicorn drops the
    rest of the body on the socket, the app never sees it), and /healthz answers meanwhile."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)  # connections wait in the backlog until uvicorn accepts them
    port = listening.getsockname()[1]
    config = server_config(with_settings(app, http_port=port))
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            for headers in ({"content-length": str(HUGE)}, {}):
                body = Body(HUGE)
                started = time.monotonic()
                post = asyncio.create_task(http.post(STATUS_URL, content=body,
                                                     headers={"content-type": "application/json", **headers}))
                health = await http.get("/healthz")
                response = await post
                took = time.monotonic() - started
                assert_too_large(response)
                assert took < 5, took
                assert health.status_code == 200
            assert (await http.get("/healthz")).json() == {"status": "ok"}
        # a client that asks first (curl does for large bodies) is refused before it sends a byte
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"POST {STATUS_URL} HTTP/1.1\r\nHost: aduan\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {HUGE}\r\nExpect: 100-continue\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413 ") and b"100 Continue" not in head
        length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
        assert json.loads(await reader.readexactly(length))["error"]["code"] == "too_large"
        writer.close()
    finally:
        server.should_exit = True
        await serving
        listening.close()


# --- 2. deeply nested JSON ----------------------------------------------------------------

DEEP_LIST = b"[" * 50_000 + b"]" * 50_000  # 100 KB: over the limit; the opening half alone is not
NESTED = [b"[" * 30_000 + b"]" * 30_000, b"[" * 60_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000]


async def test_deeply_nested_json_is_a_400_not_a_500(app: App) -> None:
    async with api_on(app, raise_app_exceptions=False) as api:
        for body in NESTED:
            assert len(body) <= LIMIT
            response = await api.post("/open311/v2/requests.json", key="public", content=body,
                                      headers={"content-type": "application/json"})
            assert response.status_code == 400, response.text
            assert response.json() == [{"code": 400, "description": texts.API_BAD_JSON}]
            response = await api.post(STATUS_URL, content=body, headers={"content-type": "application/json"})
            assert response.status_code in (400, 422), response.text
            assert response.json()["error"]["code"] in ("bad_request", "invalid_request")
        response = await api.post(STATUS_URL, content=DEEP_LIST, headers={"content-type": "application/json"})
        assert response.status_code == 413


async def test_an_error_names_a_few_fields_never_the_whole_body(app: App) -> None:
    many = {"status": "selesai", "note": "ok", **{f"k{i:05d}": 0 for i in range(4000)}}
    async with api_on(app) as api:
        response = await api.post(STATUS_URL, json=many)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert len(message) < 300 and "k00000" in message and "k03999" not in message
    assert texts.API_MORE_FIELDS.format(count=3995) in message


# --- 3. X-Forwarded-For --------------------------------------------------------------------

async def forwarded_statuses(app: App, peer: str, forwarded_for: list[str],
                             monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One request a forged-or-not X-Forwarded-For each, from ``peer``, to the app built as
    ``aduan serve`` builds it, with one request a minute allowed per address."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")  # uvicorn's own variable must not count
    config = server_config(app, limiter=TokenBucketLimiter(1, clock=Timer()))
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=(peer, 40000))
    statuses = []
    async with httpx.AsyncClient(transport=transport, base_url="http://aduan") as http:
        for address in forwarded_for:
            response = await http.get("/open311/v2/services.json", headers={"X-Forwarded-For": address})
            statuses.append(response.status_code)
    return statuses


async def test_a_forged_forwarded_for_does_not_escape_the_rate_limit(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    config = server_config(app)
    assert config.proxy_headers is False and config.forwarded_allow_ips == []
    for peer in ("203.0.113.9", "127.0.0.1"):  # uvicorn alone would trust 127.0.0.1
        statuses = await forwarded_statuses(app, peer, ["198.51.100.1", "198.51.100.2"], monkeypatch)
        assert statuses == [200, 429], peer  # two forged addresses, one bucket: the peer's


async def test_a_trusted_proxy_is_believed(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    behind = with_settings(app, trusted_proxies="10.0.0.0/8, 192.0.2.7")
    config = server_config(behind)
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["10.0.0.0/8", "192.0.2.7"]
    forwarded = ["198.51.100.1", "198.51.100.2", "198.51.100.1", "203.0.113.5, 198.51.100.3"]
    statuses = await forwarded_statuses(behind, "10.1.2.3", forwarded, monkeypatch)
    # one bucket each; the client is the last address the trusted proxy did not add itself
    assert statuses == [200, 200, 429, 200]
    # a proxy not on the list is a client like any other
    assert await forwarded_statuses(behind, "192.0.2.8", forwarded[:2], monkeypatch) == [200, 429]


@pytest.mark.parametrize(("peer", "bucket"), [
    (("203.0.113.9", 1), "203.0.113.9"),
    (("::ffff:203.0.113.9", 1), "203.0.113.9"),
    (("2001:db8:1:2:aaaa::1", 1), "2001:db8:1:2::/64"),
    (("2001:db8:1:2:bbbb::9", 1), "2001:db8:1:2::/64"),
    (("not-an-address", 1), "unknown"),
    (None, "unknown"),
])
def test_the_bucket_of_a_caller_without_a_key(peer: tuple[str, int] | None, bucket: str) -> None:
    request = Request({"type": "http", "client": peer, "headers": [], "method": "GET", "path": "/"})
    assert client_address(request) == bucket


# --- 4. next links ---------------------------------------------------------------------------

async def test_next_links_use_the_public_address_and_drop_the_key(app: App) -> None:
    public = with_settings(app, public_base_url="https://aduan.example.go.id")
    async with api_on(public) as api:
        for category in ("jalan", "sampah"):
            await api.file(service_code=category)
        key = api.keys["admin"]
        response = await api.get(f"/api/v1/complaints?page_size=1&api_key={key}&category=jalan&category=sampah",
                                 key=None, headers={"Host": "evil.example"})
        assert response.status_code == 200, response.text
        link = response.json()["next"]
        assert link == ("https://aduan.example.go.id/api/v1/complaints?page_size=1&category=jalan&category=sampah"
                        "&page=2")
        assert key not in link and "evil" not in link
        second = await api.get(link.removeprefix("https://aduan.example.go.id"))
        assert second.json()["page"] == 2 and second.json()["next"] is None
    async with api_on(app) as api:  # default: the server's own address
        for category in ("jalan", "sampah"):
            await api.file(service_code=category)
        response = await api.get("/api/v1/complaints?page_size=1", headers={"Host": "evil.example"})
        assert response.json()["next"].startswith(f"http://{app.settings.http_host}:{app.settings.http_port}/")


# --- 5. Cache-Control ------------------------------------------------------------------------

async def test_keyed_and_api_v1_responses_are_not_stored(app: App) -> None:
    async def crash(request: Request) -> PlainTextResponse:
        raise RuntimeError("boom")

    async with api_on(app, [Route("/api/v1/crash", crash)], raise_app_exceptions=False) as api:
        key = api.keys["public"]
        private = {
            "v1 list": await api.get("/api/v1/complaints"),
            "v1 without a key (401)": await api.get("/api/v1/complaints", key=None),
            "v1 unknown path (404)": await api.get("/api/v1/nothing", key=None),
            "v1 bad parameter (422)": await api.get("/api/v1/complaints?to=0"),
            "v1 crash (500)": await api.get("/api/v1/crash", key=None),
            "open311 with the header": await api.get("/open311/v2/services.json", key="public"),
            "open311 with the parameter": await api.get(f"/open311/v2/services.json?api_key={key}", key=None),
            "a wrong key": await api.get("/open311/v2/services.json", key=None, headers={"X-API-Key": "nope"}),
        }
        for name, response in private.items():
            assert response.headers.get("cache-control") == "no-store", name
        assert private["v1 crash (500)"].status_code == 500
        for public in ("/open311/v2/services.json", "/healthz", "/openapi.json"):
            response = await api.get(public, key=None)
            assert response.status_code == 200 and "no-store" not in response.headers.get("cache-control", "")


# --- 6. /docs --------------------------------------------------------------------------------

async def test_docs_are_off_by_default_and_never_load_from_a_cdn(app: App) -> None:
    async with api_on(app) as api:
        assert (await api.get("/docs", key=None)).status_code == 404
        assert (await api.get("/redoc", key=None)).status_code == 404
        for path in ("/openapi.json", "/healthz", "/metrics", "/nothing", "/open311/v2/services.json"):
            response = await api.get(path, key=None)
            assert not CDN.search(response.text), path
        assert (await api.get("/openapi.json", key=None)).status_code == 200
    async with api_on(with_settings(app, api_docs=True)) as api:
        page = await api.get("/docs", key=None)
        assert page.status_code == 200 and "swagger-ui" in page.text
        assert not CDN.search(page.text) and "https://" not in page.text  # everything from this server
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert {asset.rsplit("/", 1)[-1] for asset in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
        for asset in assets:
            response = await api.get(asset, key=None)
            assert response.status_code == 200 and response.content, asset
            assert not CDN.search(response.text), asset
        assert '"validatorUrl": null' in page.text


# --- 7. what Schemathesis found ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["to=0", "from=0", "from=1700000000", "to=2026-1-5", "from=2026-02-30",
                                   "to=2026-11-01T00:00:00", "from=%EF%BC%92026-11-01"])
async def test_days_are_written_yyyy_mm_dd(app: App, query: str) -> None:
    async with api_on(app) as api:
        response = await api.get(f"/api/v1/complaints?{query}")
        assert response.status_code == 422, response.text
        name = query.split("=", maxsplit=1)[0]
        assert response.json() == {"error": {"code": "invalid_request",
                                             "message": texts.API_INVALID_REQUEST.format(fields=name)}}
        assert (await api.get("/api/v1/complaints?from=2026-11-01&to=2026-11-30")).status_code == 200


async def test_a_405_lists_every_allowed_method(app: App) -> None:
    async with api_on(app) as api:
        for method, path, allowed in (("PUT", "/open311/v2/requests.json", "GET, POST"),
                                      ("DELETE", "/api/v1/complaints", "GET"),
                                      ("GET", STATUS_URL, "POST"),
                                      ("POST", "/healthz", "GET"),
                                      ("PATCH", "/openapi.json", "GET, HEAD")):
            response = await api.http.request(method, path, headers=api.auth("admin"))
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == allowed, (method, path)
            message = texts.API_METHOD_NOT_ALLOWED.format(method=method)
            body = response.json()
            assert body == ([{"code": 405, "description": message}] if path.startswith("/open311/")
                            else {"error": {"code": "method_not_allowed", "message": message}})
