"""Security and bad input, end to end through the channel adapters, on SQLite and PostgreSQL:

- forged webhooks (a wrong Telegram secret token, a bad WhatsApp signature) are refused
  and write nothing; replayed bodies are handled once;
- a citizen checking someone else's code sees the status only (Telegram and console);
- a citizen cannot change a status: forged officer buttons and officer commands change
  nothing (the same button from the officer's chat does, so the buttons are real);
- one sender flooding 1,000 messages in a minute is throttled, and another citizen's
  conversation goes on as usual meanwhile.

Personal data in the logs: tests/security/test_log_privacy.py. Fuzzing: tests/failure/test_fuzz.py.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from aduan.bootstrap import bootstrap
from aduan.settings import DEMO_ORGANISATION, Settings
from bot import texts
from bot.channels.console import ConsoleChat, parse_line
from bot.channels.telegram import SECRET_HEADER, TelegramChannel
from bot.render.labels import status_label
from complaints.taxonomy import Status
from complaints.usecases import casework
from storage import tables
from tests.chat_harness import Clock
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, sign, signed
from tests.fakes.telegram_api import FakeTelegramApi
from tests.webhook_harness import webhook_stack

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
SECRET = "rahasia-webhook-7f3a9c"
ADMIN_CHAT = 7001  # admin-pusat, the verifier, is on Telegram in these tests
COMPLAINANT, STRANGER, FLOODER = 5550101, 5550202, 5550666
WA_PHONE = "6281355501234"
WRITTEN = (tables.inbound_updates, tables.dialog_states, tables.complaints, tables.outbox)


@pytest.fixture
def organisation(tmp_path: Path) -> Path:
    spec = yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8"))
    for officer in spec["officers"]:
        if officer["id"] == "admin-pusat":
            officer["chats"] = {"telegram": ADMIN_CHAT}
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Rig:
    app: Any
    clock: Clock
    http: httpx.AsyncClient
    telegram: TelegramChannel
    tg_api: FakeTelegramApi
    wa_api: FakeGraphApi

    async def row_counts(self) -> dict[str, int]:
        async with self.app.uow() as uow:
            return {t.name: (await uow.connection.execute(select(func.count()).select_from(t))).scalar_one()
                    for t in WRITTEN}

    async def tg(self, chat: int, update: dict[str, Any]) -> str:
        before = len(self.tg_api.texts_to(chat))
        await self.telegram.process_update(update)
        self.clock.advance(seconds=20)
        return "\n".join(self.tg_api.texts_to(chat)[before:])

    async def says(self, chat: int, words: str) -> str:
        return await self.tg(chat, self.tg_api.text_update(chat, words))

    async def presses(self, chat: int, data: str) -> str:
        return await self.tg(chat, self.tg_api.callback_update(chat, data))

    async def wa_post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        response = await self.http.post("/whatsapp/webhook", content=body, headers=headers)
        self.clock.advance(seconds=20)
        return response

    async def complaint(self, code: str) -> Any:
        async with self.app.uow() as uow:
            return await uow.complaints.get(code)


@pytest.fixture
async def rig(engine, organisation: Path, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
              tmp_path: Path) -> AsyncIterator[Rig]:
    app = await bootstrap(Settings(organisation_file=organisation), db=engine, migrate=False, rng=random.Random(7))
    clock = Clock()
    async with webhook_stack(app, clock, telegram_api, graph_api, tmp_path / "media", SECRET) as stack:
        yield Rig(app, clock, stack.http, stack.telegram, telegram_api, graph_api)


async def file_complaint(rig: Rig) -> str:
    """The complainant files on Telegram with name, phone and a place detail."""
    summary = await rig.says(COMPLAINANT, "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, "
                                          "kmrn ada yg jatuh motor 0812-3456-7890")
    assert texts.SUMMARY_HEADER in summary and "+6281234567890" in summary
    assert texts.ASK_NAME in await rig.presses(COMPLAINANT, "confirm:send")  # "Kirim" (biasa): the name first
    return CODE.search(await rig.says(COMPLAINANT, "Budi Santoso")).group(0)


# --- forged and replayed webhooks -------------------------------------------------------------


async def test_forged_telegram_webhooks_are_refused_and_write_nothing(rig: Rig) -> None:
    update = rig.tg_api.text_update(STRANGER, "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu")
    forged = [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: "salah"}, {SECRET_HEADER: SECRET[:-1]},
              {SECRET_HEADER: SECRET.upper()}, {SECRET_HEADER: SECRET + " "}, {"X-Telegram-Secret": SECRET}]
    for headers in forged:
        response = await rig.http.post("/telegram/webhook", json=update, headers=headers)
        assert response.status_code == 401, headers
    assert await rig.row_counts() == dict.fromkeys([t.name for t in WRITTEN], 0)
    assert rig.tg_api.sent == []

    response = await rig.http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200 and rig.tg_api.texts_to(STRANGER)  # the real secret does get through
    assert (await rig.row_counts())["inbound_updates"] == 1


async def test_a_replayed_telegram_update_is_handled_once_even_out_of_order(rig: Rig) -> None:
    first = rig.tg_api.text_update(STRANGER, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    second = rig.tg_api.callback_update(STRANGER, "confirm:send")  # "Kirim": the name is asked
    third = rig.tg_api.text_update(STRANGER, "Siti Aminah")  # and the report filed
    answered = []
    for update in (first, first, second, first, second, third, second, third):
        before = len(rig.tg_api.texts_to(STRANGER))
        response = await rig.http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200  # acknowledged, so Telegram stops redelivering
        answered.append(len(rig.tg_api.texts_to(STRANGER)) > before)
    assert answered == [True, False, True, False, False, True, False, False]
    received = rig.tg_api.texts_to(STRANGER)
    assert len([t for t in received if "ringkasan laporan" in t]) == 1
    assert len([t for t in received if texts.ASK_NAME in t]) == 1
    assert len([t for t in received if "Kode laporan" in t]) == 1
    counts = await rig.row_counts()
    assert counts["inbound_updates"] == 3 and counts["complaints"] == 1


async def test_whatsapp_webhooks_with_a_bad_signature_are_refused_and_write_nothing(rig: Rig) -> None:
    user = WhatsAppUser(WA_PHONE, clock=rig.clock)
    body, _ = signed(user.text("mau lapor jalan rusak di depan pasar wonokromo"), rig.wa_api.app_secret)
    _, other_headers = signed(user.text("halo"), rig.wa_api.app_secret)
    good = sign(rig.wa_api.app_secret, body)
    forged = [
        {},
        {"X-Hub-Signature-256": ""},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": sign("rahasia-orang-lain", body)},  # another app's secret
        {"X-Hub-Signature-256": other_headers["X-Hub-Signature-256"]},  # a real signature, of another body
        {"X-Hub-Signature-256": good[:-2]},  # truncated
        {"X-Hub-Signature-256": good.replace("sha256=", "sha1=")},
    ]
    for headers in forged:
        response = await rig.wa_post(body, {"Content-Type": "application/json", **headers})
        assert response.status_code == 401, headers
    tampered = body.replace(b"pasar wonokromo", b"pasar wonokromO")
    assert (await rig.wa_post(tampered, {"Content-Type": "application/json", "X-Hub-Signature-256": good})
            ).status_code == 401
    assert await rig.row_counts() == dict.fromkeys([t.name for t in WRITTEN], 0)
    assert rig.wa_api.sent == []

    response = await rig.wa_post(body, {"Content-Type": "application/json", "X-Hub-Signature-256": good})
    assert response.status_code == 200 and rig.wa_api.texts_to(WA_PHONE)  # the genuine call goes through


async def test_a_replayed_whatsapp_body_is_handled_once(rig: Rig) -> None:
    user = WhatsAppUser(WA_PHONE, clock=rig.clock)
    calls = [signed(user.text("sampah numpuk di depan pasar wonokromo"), rig.wa_api.app_secret),  # when?
             signed(user.text("3 hari lalu"), rig.wa_api.app_secret),  # the summary
             signed(user.button("privacy:anonim"), rig.wa_api.app_secret)]  # "Kirim anonim": filed
    # an attacker (or Meta's retries) sends the very same signed bytes again, before and after later ones
    for n in (0, 0, 1, 0, 1, 2, 2, 1, 0):
        body, headers = calls[n]
        assert (await rig.wa_post(body, headers)).status_code == 200
    received = rig.wa_api.texts_to(WA_PHONE)
    assert len([t for t in received if texts.ASK_DATE in t]) == 1
    assert len([t for t in received if "ringkasan laporan" in t]) == 1
    assert len([t for t in received if "Kode laporan" in t]) == 1
    counts = await rig.row_counts()
    assert counts["inbound_updates"] == 3 and counts["complaints"] == 1
    async with rig.app.uow() as uow:
        assert await uow.dialogs.get("whatsapp", WA_PHONE) is None  # filed, and not restarted by a replay


# --- another citizen's complaint ----------------------------------------------------------------


async def test_a_citizen_checking_anothers_code_sees_the_status_only_on_telegram_and_console(rig: Rig) -> None:
    code = await file_complaint(rig)
    admin = rig.app.org.officers["admin-pusat"].actor
    officer = rig.app.org.officers["petugas-dsdabm"].actor
    async with rig.app.uow() as uow:
        await casework.change_status(rig.app.context(), uow, code, Status.DIDISPOSISIKAN, admin, rig.clock())
        await casework.change_status(rig.app.context(), uow, code, Status.DIPROSES, officer, rig.clock(),
                                         "Tim datang Senin ke rumah Bapak Budi, mohon siapkan KTP")
        await uow.commit()
    private = ["Budi", "Santoso", "0812", "3456", "7890", "bolong", "SD Negeri", "jatuh motor", "Tim datang", "KTP"]

    own = await rig.says(COMPLAINANT, f"cek {code}")
    assert "bolong gede" in own and "Tim datang Senin" in own  # the complainant sees the details

    on_telegram = await rig.says(STRANGER, f"cek {code}")
    lines: list[dict[str, Any]] = []
    console = ConsoleChat(rig.app.conversation.handle, lambda now: _nothing(), rig.clock, lines.append)
    await console.process(parse_line(f'{{"from": "warga-asing", "text": "cek {code}"}}'))
    on_console = "\n".join(line["text"] for line in lines)
    for seen in (on_telegram, on_console):
        assert code in seen and status_label(Status.DIPROSES) in seen
        assert [word for word in private if word in seen] == []
    assert code not in await rig.says(STRANGER, "laporan saya")

    # nor can the stranger rate or reopen it with buttons made up for it
    for forged in (f"rate:{code}:tidak", f"rate:{code}:puas", f"skm:{code}:1"):
        assert await rig.presses(STRANGER, forged) == texts.STALE_BUTTON
    complaint = await rig.complaint(code)
    assert complaint.status is Status.DIPROSES and complaint.satisfied is None and complaint.reopen_count == 0


async def _nothing() -> None:
    return None


# --- officers' powers -----------------------------------------------------------------------------


OFFICER_ACTIONS = ("verify", "dispose", "reject", "take", "show", "progress", "ask", "resolve", "forward")


async def test_a_citizen_cannot_change_a_status_with_officer_buttons_or_commands(rig: Rig) -> None:
    code = await file_complaint(rig)
    before = await rig.complaint(code)
    for chat in (STRANGER, COMPLAINANT):  # the complainant has no more power over it than anyone
        for action in OFFICER_ACTIONS:
            reply = await rig.presses(chat, f"off:{action}:{code}")
            assert reply == texts.STALE_BUTTON, (chat, action, reply)
        for command in (f"/verifikasi {code}", f"/tolak {code} bukan urusan kami", f"/selesai {code} beres",
                        f"/ambil {code}", f"/disposisi {code} dlh", f"/proses {code} dikerjakan", "/daftar"):
            reply = await rig.says(chat, command)  # refused plainly: officers only
            assert reply == texts.OFFICERS_ONLY, (command, reply)
    after = await rig.complaint(code)
    assert (after.status, after.assignee, after.unit_id) == (Status.DITERIMA, None, before.unit_id)
    assert [e.action for e in after.audit] == ["created"]

    # the very same button from the verifier's own chat does change it
    assert "Status" in await rig.presses(ADMIN_CHAT, f"off:verify:{code}")
    assert (await rig.complaint(code)).status is Status.DIVERIFIKASI


# --- flooding -------------------------------------------------------------------------------------


async def test_one_sender_flooding_1000_messages_in_a_minute_is_throttled_and_others_proceed(rig: Rig) -> None:
    others = [("text", "pak jalan depan SD Negeri 3 di Kebraon bolong gede, ada yg jatuh motor", "Kapan"),
              ("text", "2 minggu lalu", "ringkasan laporan"),
              ("button", "confirm:edit", texts.ASK_EDIT_FIELD),
              ("button", "confirm:send", texts.STALE_BUTTON),  # at the question what to change: stale
              ("button", "edit:identity", "ringkasan laporan"),
              ("button", "confirm:send", "nama"),
              ("text", "Budi Santoso", "Kode laporan")]
    start = rig.clock()
    for n in range(1000):
        await rig.telegram.process_update(rig.tg_api.text_update(FLOODER, "halo"))
        rig.clock.advance(seconds=0.05)  # 1,000 messages in 50 seconds
        if n % 140 == 100:  # meanwhile another citizen files a complaint, step by step
            kind, value, expected = others.pop(0)
            update = (rig.tg_api.text_update(COMPLAINANT, value) if kind == "text"
                      else rig.tg_api.callback_update(COMPLAINANT, value))
            before = len(rig.tg_api.texts_to(COMPLAINANT))
            await rig.telegram.process_update(update)
            assert expected in "\n".join(rig.tg_api.texts_to(COMPLAINANT)[before:])
    assert rig.clock() - start < rig.app.conversation.flood.window
    assert others == []
    to_flooder = rig.tg_api.texts_to(FLOODER)
    assert to_flooder.count(texts.SLOW_DOWN) == 1
    assert len(to_flooder) == rig.app.conversation.flood.limit + 1  # answered up to the limit, then told once
    async with rig.app.uow() as uow:
        [filed] = await uow.complaints.list_by_sender("telegram", str(COMPLAINANT))
        assert await uow.complaints.list_by_sender("telegram", str(FLOODER)) == []
    assert filed.complainant.name == "Budi Santoso"
