"""PostgreSQL restarted during traffic: while it is down every citizen is told, in
Indonesian, to try again in a moment (the webhooks still answer 200); the relay and the
sweep log and wait for their next run; once it is back the same running app carries on
by itself (the pool replaces its dead connections), each conversation at the step it had
reached, and nothing stored before is lost.

The server that is stopped is a private cluster (initdb + pg_ctl in a temporary folder, on
a free port), never the shared one on 127.0.0.1:5432 that other tests use. Without the
server binaries the module is skipped (it fails instead when CI=true). Nothing sleeps:
``pg_ctl -w`` returns once the server is up or down.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.pool import NullPool
from starlette.routing import Route

from aduan.http import create_http_app
from bot import texts
from bot.channels.console import ConsoleChat
from bot.channels.rate_limit import RateLimiter
from bot.channels.telegram import SECRET_HEADER, TelegramChannel, TelegramSender
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp import WhatsAppChannel, WhatsAppClient
from bot.messages import IncomingMessage
from bot.render.labels import status_label
from complaints.errors import StorageUnavailable
from complaints.taxonomy import Status
from complaints.usecases import casework
from scheduler.jobs import Jobs
from storage.database import create_engine
from storage.migrate import upgrade
from storage.tables import inbound_updates
from tests.chat_harness import START, Clock, FakeTime, RecordingSender, make_app
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, message_buttons, message_text, signed
from tests.fakes.telegram_api import FakeTelegramApi

# PTB warns, building RetryAfter, that retry_after becomes a timedelta in v23
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
SECRET = "rahasia-webhook-db"
CHAT = 5550777
WA_PHONE = "6281377712345"
IN_CI = os.environ.get("CI", "").lower() == "true"


# --- a private PostgreSQL cluster --------------------------------------------------------------


def _server_binaries() -> Path | None:
    """The newest folder holding both initdb and pg_ctl (Debian's layout, then PATH)."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(re.sub(r"\D", "", f) or 0), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        folders.append(str(Path(on_path).parent))
    for folder in folders:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PrivateCluster:
    """A PostgreSQL server of this test module's own. PostgreSQL refuses to run as root,
    so as root its commands run as the ``postgres`` user (runuser)."""

    bin_dir: Path
    root: Path
    port: int = field(default_factory=_free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")

    def init(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean shutdown that ends every session; ``immediate``: a crash."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    bin_dir = _server_binaries()
    if bin_dir is None:
        pytest.skip("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="aduan-pg-"))
    server = PrivateCluster(bin_dir, root)
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        server.init()
        server.start()
    except (OSError, LookupError, RuntimeError, subprocess.SubprocessError) as error:
        shutil.rmtree(root, ignore_errors=True)
        reason = f"a private PostgreSQL cluster could not be started: {error}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield server
    finally:
        with contextlib.suppress(RuntimeError):  # already down
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def private_url(cluster: PrivateCluster) -> AsyncIterator[str]:
    """A fresh schema on the private cluster (its server is up when the test starts)."""
    schema = f"restart_{uuid.uuid4().hex[:12]}"
    admin = create_engine(cluster.url, poolclass=NullPool)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await admin.dispose()
    yield f"{cluster.url}?schema={schema}"


# --- the running app: webhooks, relay, sweep ---------------------------------------------------




@dataclass
class World:
    app: Any
    clock: Clock
    http: httpx.AsyncClient
    telegram: FakeTelegramApi
    whatsapp: FakeGraphApi
    jobs: Jobs
    jobs_clock: Clock
    officers: RecordingSender
    wa_user: WhatsAppUser
    statuses: list[int] = field(default_factory=list)
    tg_seen: int = 0
    wa_seen: int = 0
    update_ids: list[str] = field(default_factory=list)

    async def tg(self, update: dict[str, Any]) -> str:
        """The citizen's Telegram update reaches the webhook; what the bot answered."""
        self.update_ids.append(str(update["update_id"]))
        response = await self.http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
        self.statuses.append(response.status_code)
        self.clock.advance(seconds=20)
        replies = self.telegram.texts_to(CHAT)[self.tg_seen:]
        self.tg_seen += len(replies)
        return "\n".join(replies)

    async def says(self, words: str) -> str:
        return await self.tg(self.telegram.text_update(CHAT, words))

    async def presses(self, data: str) -> str:
        return await self.tg(self.telegram.callback_update(CHAT, data))

    async def wa(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        body, headers = signed(payload, self.whatsapp.app_secret)
        response = await self.http.post("/whatsapp/webhook", content=body, headers=headers)
        self.statuses.append(response.status_code)
        self.clock.advance(seconds=20)
        sent = self.whatsapp.sent_to(WA_PHONE)[self.wa_seen:]
        self.wa_seen += len(sent)
        return sent


@pytest.fixture
async def world(private_url: str, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
                tmp_path: Path) -> AsyncIterator[World]:
    engine = create_engine(private_url)
    await upgrade(engine)
    app = await make_app(engine)
    clock = Clock()
    try:
        async with telegram_bot(telegram_api.token, telegram_api.url) as bot, \
                WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
            telegram = TelegramChannel(app.conversation.handle, bot, tmp_path / "media", 50_000, clock,
                                       webhook_secret=SECRET)
            whatsapp = WhatsAppChannel(app.conversation.handle, client, graph_api.verify_token,
                                       graph_api.app_secret, tmp_path / "media", 50_000, clock)
            routes = [Route("/telegram/webhook", telegram.webhook, methods=["POST"]), *whatsapp.routes()]
            web = create_http_app(app, routes)
            fake_time = FakeTime()
            officers = RecordingSender()
            relay = app.relay({"telegram": TelegramSender(bot, RateLimiter(clock=fake_time, sleep=fake_time.sleep)),
                               "console": officers})
            jobs_clock = Clock(START)
            jobs = Jobs(app.sweeper, relay, jobs_clock)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
                yield World(app, clock, http, telegram_api, graph_api, jobs, jobs_clock, officers,
                            WhatsAppUser(WA_PHONE, clock=clock))
    finally:
        await engine.dispose()


async def load(app: Any, code: str) -> Any:
    async with app.uow() as uow:
        return await uow.complaints.get(code)


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_postgresql_restart_during_traffic_says_try_again_then_recovers_and_loses_nothing(
    world: World, cluster: PrivateCluster, mode: str, caplog: pytest.LogCaptureFixture,
) -> None:
    w = world
    # --- before: one complaint filed, a second one half-way, a WhatsApp citizen starting
    assert texts.SUMMARY_HEADER in await w.says(
        "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor 0812-3456-7890")
    assert "nama" in (await w.presses("confirm:send")).lower()
    first = CODE.search(await w.says("Budi Santoso")).group(0)
    assert texts.SUMMARY_HEADER in await w.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    assert "nama" in (await w.presses("confirm:send")).lower()  # the second waits for the name
    summary = (await w.wa(w.wa_user.text("lampu jalan mati di depan pasar wonokromo sejak kemarin malam")))[-1]
    assert "privacy:anonim" in [button for button, _ in message_buttons(summary)]
    w.jobs_clock.now = w.clock()
    await w.jobs.deliver()
    assert [n.recipient for n in w.officers.sent] == ["admin-pusat"]
    admin = w.app.org.officers["admin-pusat"].actor
    async with w.app.uow() as uow:  # the citizen's notification waits in the outbox
        await casework.change_status(w.app.context(), uow, first, Status.DIDISPOSISIKAN, admin, w.clock())
        await uow.commit()
    w.jobs_clock.now = w.clock() + timedelta(days=3)  # the verify deadline of the berat case has passed
    before_outage = len(w.telegram.texts_to(CHAT))
    outage_updates = len(w.update_ids)

    # --- the server goes away
    cluster.stop(mode)
    try:
        assert await w.says("Budi Santoso") == texts.DATABASE_UNAVAILABLE
        assert await w.says(f"cek {first}") == texts.DATABASE_UNAVAILABLE
        [refusal] = await w.wa(w.wa_user.button("privacy:anonim"))
        assert message_text(refusal) == texts.DATABASE_UNAVAILABLE
        assert "coba lagi sebentar" in texts.DATABASE_UNAVAILABLE and "belum tersimpan" in texts.DATABASE_UNAVAILABLE
        assert w.statuses[-3:] == [200, 200, 200]  # answered: no redelivery on top of the citizen's resend
        health = await w.http.get("/healthz")
        assert health.status_code == 503
        await w.jobs.deliver()  # logs and waits for its next run
        await w.jobs.sweep()
        console_lines: list[dict[str, Any]] = []
        console = ConsoleChat(w.app.conversation.handle, w.jobs.relay.drain, w.clock, console_lines.append)
        await console.process(IncomingMessage("console", "warga-konsol", text="halo"))
        assert [line["text"] for line in console_lines] == [texts.DATABASE_UNAVAILABLE]
        assert len(w.telegram.texts_to(CHAT)) == before_outage + 2  # the status notification did not go out
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an outage is not a crash"
        assert any("database is unavailable" in r.getMessage() for r in caplog.records)
    finally:
        cluster.start()
    during_outage = w.update_ids[outage_updates:]

    # --- back: the same app, nothing restarted, every conversation where it was
    assert (await w.http.get("/healthz")).status_code == 200
    receipt = await w.says("Budi Santoso")  # the name again: the half-way report is filed now
    assert "Budi Santoso" in receipt
    second = CODE.search(receipt).group(0)
    assert "sampah numpuk" in (await load(w.app, second)).description
    status = await w.says(f"cek {first}")
    assert first in status and status_label(Status.DIDISPOSISIKAN) in status and "Isi:" in status
    third = CODE.search(message_text((await w.wa(w.wa_user.button("privacy:anonim")))[-1])).group(0)
    assert len({first, second, third}) == 3

    # the relay and the sweep carry on: the waiting notification goes out once, the overdue case escalates once
    await w.jobs.deliver()
    await w.jobs.deliver()
    about_first = [t for t in w.telegram.texts_to(CHAT)[before_outage:] if first in t and t != status]
    assert len(about_first) == 1 and status_label(Status.DIDISPOSISIKAN) in about_first[0]
    await w.jobs.sweep()
    await w.jobs.sweep()
    escalated = [e for e in (await load(w.app, first)).audit if e.action == "escalated"]
    assert len(escalated) == 1
    await w.jobs.deliver()
    keys = [n.key for n in w.officers.sent]
    assert len(keys) == len(set(keys)), "an officer was told the same thing twice"
    assert {second, third} <= {n.complaint_code for n in w.officers.sent}  # the new cases reached the verifier

    # nothing stored before the outage is lost; nothing of the refused messages was stored
    complaint = await load(w.app, first)
    assert complaint.complainant.name == "Budi Santoso" and complaint.status is Status.DIDISPOSISIKAN
    assert [e.action for e in complaint.audit] == ["created", "status", "escalated"]
    async with w.app.uow() as uow:
        refused = (await uow.connection.execute(select(func.count()).select_from(inbound_updates).where(
            inbound_updates.c.update_id.in_(during_outage)))).scalar_one()
        handled = (await uow.connection.execute(select(func.count()).select_from(inbound_updates).where(
            inbound_updates.c.channel == "telegram"))).scalar_one()
    assert refused == 0
    assert handled == len(w.update_ids) - len(during_outage)


async def test_a_connection_lost_inside_a_unit_of_work_commits_nothing(private_url: str,
                                                                        cluster: PrivateCluster) -> None:
    engine = create_engine(private_url)
    try:
        await upgrade(engine)
        app = await make_app(engine)
        now = START
        async with app.uow() as uow:
            await uow.dialogs.put("console", "warga-lama", {"mode": "intake", "step": "name"}, now)
            await uow.commit()
        try:
            with pytest.raises(StorageUnavailable) as lost:
                async with app.uow() as uow:
                    await uow.dialogs.put("console", "warga-baru", {"mode": "intake", "step": "privacy"}, now)
                    await uow.dialogs.put("console", "warga-lama", {"mode": "intake", "name": "Siti Aminah"}, now)
                    cluster.stop("immediate")  # the server crashes before the commit
                    await uow.commit()
            assert "Siti Aminah" not in str(lost.value) and "warga" not in str(lost.value)  # it is logged
            with pytest.raises(StorageUnavailable):  # and while it is down, opening one says the same
                async with app.uow():
                    pass
        finally:
            cluster.start()
        async with app.uow() as uow:
            assert await uow.dialogs.get("console", "warga-baru") is None
            assert (await uow.dialogs.get("console", "warga-lama")).state["step"] == "name"
    finally:
        await engine.dispose()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_a_restart_between_two_messages_goes_unnoticed(world: World, cluster: PrivateCluster, mode: str) -> None:
    """The pool's connections all died with the server; the first use of one fails, the
    pool drops them all and the engine tries once more, so the first message after the
    restart is answered normally."""
    assert texts.SUMMARY_HEADER in await world.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    cluster.stop(mode)
    cluster.start()
    assert "nama" in (await world.presses("confirm:send")).lower()
    assert "Kode laporan" in await world.says("Siti Aminah")
    assert texts.DATABASE_UNAVAILABLE not in world.telegram.texts_to(CHAT)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_the_first_api_request_and_health_check_after_a_restart_are_answered(
    world: World, cluster: PrivateCluster, mode: str,
) -> None:
    """A REST request is not retried by anyone, so its connection is checked first."""
    assert texts.SUMMARY_HEADER in await world.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    assert (await world.http.get("/open311/v2/requests.json")).status_code == 200  # the pool holds connections
    cluster.stop(mode)
    cluster.start()
    listing = await world.http.get("/open311/v2/requests.json")
    assert listing.status_code == 200, listing.text
    assert (await world.http.get("/healthz")).status_code == 200
