"""/healthz and /metrics: Prometheus figures counted from the database at scrape time, the
direct replies counted in process, each App in its own registry."""

from dataclasses import replace

import httpx
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from aduan.http import create_http_app
from bot.messages import IncomingMessage, Kind
from storage.database import create_engine
from storage.uow import uow_factory
from tests.api_harness import add_key, api_for
from tests.chat_harness import RecordingSender, make_app


async def scrape(api) -> dict[tuple[str, tuple], float]:
    response = await api.get("/metrics", key=None)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_health_says_whether_the_database_answers(engine):
    async with api_for(engine) as api:
        response = await api.get("/healthz", key=None)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_metrics_follow_what_happens(engine):
    async with api_for(engine) as api:
        empty = await scrape(api)
        codes = [await api.file(service_code="jalan") for _ in range(3)]
        await api.set_status(codes[0], "ditolak", note="Laporan ganda.")
        # two Telegram deliveries through the counted handle, one of them delivered twice
        handle = api.app.metrics.count_replies(api.app.conversation.handle)
        for update_id in ("1", "2", "2"):
            await handle(IncomingMessage("telegram", "555", text="halo", update_id=update_id), api.clock())
        # a sticker is counted as a delivery too, and by its kind; it gets its one reply
        await handle(IncomingMessage("telegram", "555", update_id="3", kind=Kind.UNSUPPORTED), api.clock())
        # the verifiers' notices go out on the terminal channel; a portal reads its complaints back
        await api.app.relay({"console": RecordingSender()}).drain(api.clock())
        api.clock.advance(days=5)  # past the verification deadline
        report = await api.app.sweeper.sweep(api.clock())
        figures = await scrape(api)

    assert empty[("aduan_complaints", (("status", "diterima"),))] == 0
    assert ("aduan_sweep_last_duration_seconds", ()) not in empty  # no sweep ran yet
    assert figures[("aduan_complaints", (("status", "diterima"),))] == 2
    assert figures[("aduan_complaints", (("status", "ditolak"),))] == 1
    assert figures[("aduan_complaints", (("status", "selesai"),))] == 0
    assert figures[("aduan_complaints_overdue", ())] == 2
    assert figures[("aduan_messages_in_total", (("channel", "telegram"),))] == 3  # the repeat is not counted
    assert figures[("aduan_messages_out_total", (("channel", "telegram"), ("kind", "reply")))] == 3
    assert figures[("aduan_updates_handled_total", (("channel", "telegram"), ("kind", "message")))] == 3
    assert figures[("aduan_updates_handled_total", (("channel", "telegram"), ("kind", "unsupported")))] == 1
    assert figures[("aduan_messages_out_total", (("channel", "console"), ("kind", "notification")))] == 3
    assert not [key for key in figures if ("channel", "api") in key[1]]  # nothing queued for the portal
    assert figures[("aduan_outbox_pending", (("channel", "console"),))] == len(report.queued)
    assert report.escalated
    assert figures[("aduan_sweep_runs_total", ())] == 1
    assert figures[("aduan_sweep_last_run_timestamp_seconds", ())] == api.clock().timestamp()
    assert 0 < figures[("aduan_sweep_last_duration_seconds", ())] < 60


async def test_each_app_has_its_own_registry(engine):
    async with api_for(engine) as first, api_for(engine) as second:
        handle = first.app.metrics.count_replies(first.app.conversation.handle)
        await handle(IncomingMessage("whatsapp", "62811", text="halo"), first.clock())
        assert first.app.metrics.registry is not second.app.metrics.registry
        assert ("aduan_messages_out_total", (("channel", "whatsapp"), ("kind", "reply"))) in await scrape(first)
        assert ("aduan_messages_out_total", (("channel", "whatsapp"), ("kind", "reply"))) not in await scrape(second)
    assert not [name for name in REGISTRY._names_to_collectors if name.startswith("aduan_")]


async def test_without_the_database_every_part_says_so(engine):
    app = await make_app(engine)
    unreachable = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")  # nothing listens on port 1
    down = replace(app, db=unreachable, uow=uow_factory(unreachable))
    _, key = await add_key(app, "admin", None)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_http_app(down)),
                                     base_url="http://aduan") as http:
            health = await http.get("/healthz")
            metrics = await http.get("/metrics")
            v1 = await http.get("/api/v1/complaints", headers={"X-API-Key": key})
            open311 = await http.get("/open311/v2/requests.json")
    finally:
        await unreachable.dispose()
    assert (health.status_code, health.json()) == (503, {"status": "database unreachable"})
    assert metrics.status_code == 503
    assert v1.status_code == 503 and v1.json()["error"]["code"] == "unavailable"
    assert open311.status_code == 503 and open311.json()[0]["code"] == 503
