"""The HTTP server's own routes."""

from dataclasses import replace

import httpx

from aduan.http import create_http_app
from storage.database import create_engine
from tests.chat_harness import make_app


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_http_app(app)), base_url="http://aduan")


async def test_health_reports_whether_the_database_answers(engine):
    app = await make_app(engine)
    async with client_for(app) as client:
        ok = await client.get("/healthz")
        assert (ok.status_code, ok.json()) == (200, {"status": "ok"})
        assert (await client.get("/nothing")).status_code == 404
    unreachable = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")  # nothing listens on port 1
    try:
        async with client_for(replace(app, db=unreachable)) as client:
            down = await client.get("/healthz")
        assert down.status_code == 503 and down.json() == {"status": "database unreachable"}
    finally:
        await unreachable.dispose()
