"""WhatsApp Cloud API channel against a fake Graph API server on 127.0.0.1.

Webhook calls go through httpx.ASGITransport into a small Starlette app that mounts the
channel's routes; the channel's replies and the outbox sender's messages go over real HTTP
to the fake. Media files are served, as by Meta's lookaside.fbsbx.com, from another host
name of the fake (``localhost``), allowed through the ``whatsapp_media_hosts`` setting.
Runs on SQLite and PostgreSQL; time is passed in, nothing sleeps.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from aduan.settings import Settings
from bot import texts
from bot.channels.whatsapp import (
    InMemoryContactWindow,
    RateLimiter,
    WhatsAppChannel,
    WhatsAppClient,
    WhatsAppSender,
    last_inbound_from_database,
    render,
)
from complaints.notifications import Button, Notification
from complaints.usecases import casework
from scheduler.relay import OutboxRelay
from tests.chat_harness import Clock, dispose
from tests.fakes import media_files
from tests.fakes.graph_api import (
    FakeGraphApi,
    WhatsAppUser,
    message_buttons,
    message_text,
    signed,
    statuses_payload,
)

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
PHONE = "6281234567890"
SUMMARY_BUTTONS = ["confirm:send", "privacy:rahasia", "privacy:anonim", "confirm:edit", "confirm:cancel"]
PATH = "/whatsapp/webhook"
JPEG = media_files.jpeg((160, 120))
PDF = media_files.pdf(300)
MAX_MEDIA = 64 * 1024


@dataclass
class Rig:
    app: Any
    fake: FakeGraphApi
    channel: WhatsAppChannel
    http: httpx.AsyncClient
    clock: Clock
    window: InMemoryContactWindow
    user: WhatsAppUser
    seen: int = 0
    last: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, payload: Any, *, headers: dict[str, str] | None = None) -> httpx.Response:
        body, signed_headers = signed(payload, self.fake.app_secret)
        return await self.http.post(PATH, content=body, headers=signed_headers if headers is None else headers)

    async def deliver(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Post a signed payload; the messages the citizen got back."""
        response = await self.post(payload)
        assert response.status_code == 200, response.text
        self.clock.advance(seconds=20)
        self.last = self.fake.sent[self.seen:]
        self.seen = len(self.fake.sent)
        return self.last

    async def says(self, text: str) -> str:
        return self.read(await self.deliver(self.user.text(text)))

    async def presses(self, button: str) -> str:
        return self.read(await self.deliver(self.user.button(button)))

    @staticmethod
    def read(messages: list[dict[str, Any]]) -> str:
        return "\n".join(message_text(m) for m in messages)

    @property
    def buttons(self) -> list[str]:
        return [button_id for m in self.last for button_id, _ in message_buttons(m)]

    async def dialog(self, sender: str = PHONE) -> dict | None:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get("whatsapp", sender)
        return record.state if record else None


@pytest.fixture
def clock() -> Clock:
    return Clock()


def settings_for(fake: FakeGraphApi, media_hosts: list[str] | None = None) -> Settings:
    return Settings(whatsapp_api_base=fake.base_url, whatsapp_access_token=fake.access_token,
                    whatsapp_phone_number_id=fake.phone_number_id,
                    whatsapp_media_hosts=[fake.cdn_origin] if media_hosts is None else media_hosts)


@pytest.fixture
async def client(graph_api: FakeGraphApi) -> AsyncIterator[WhatsAppClient]:
    graph_api.media_origin = graph_api.cdn_origin  # media URLs on "localhost", as on Meta's media host
    async with WhatsAppClient.from_settings(settings_for(graph_api)) as wa:
        yield wa


@pytest.fixture
async def rig(app, graph_api: FakeGraphApi, client: WhatsAppClient, clock: Clock,
              tmp_path: Path) -> AsyncIterator[Rig]:
    window = InMemoryContactWindow()
    channel = WhatsAppChannel(
        app.conversation.handle, client, graph_api.verify_token, graph_api.app_secret,
        media_dir=tmp_path / "media", max_media_bytes=MAX_MEDIA, clock=clock, window=window,
    )
    web = Starlette(routes=channel.routes(PATH))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
        yield Rig(app, graph_api, channel, http, clock, window, WhatsAppUser(PHONE, clock=clock))


# --- verification handshake -----------------------------------------------------------------


async def test_verification_handshake_answers_the_challenge(rig: Rig) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    response = await rig.http.get(PATH, params=params)
    assert response.status_code == 200
    assert response.text == "1158201444" and response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
    {"hub.challenge": "1"},
])
async def test_verification_with_a_wrong_token_or_mode_is_forbidden(rig: Rig, params: dict) -> None:
    response = await rig.http.get(PATH, params=params)
    assert response.status_code == 403 and "1" not in response.text


# --- a whole conversation -------------------------------------------------------------------


async def test_a_complaint_filed_over_whatsapp_end_to_end(rig: Rig, tmp_path: Path) -> None:
    rig.fake.add_media("1001", JPEG, "image/jpeg")
    reply = await rig.says(
        "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor"
    )
    # what, where and when understood: the summary at once, with the ways to send it; the
    # name comes from the WhatsApp profile
    assert texts.SUMMARY_HEADER in reply and "Kebraon" in reply and "Budi (dari profil akun Anda)" in reply
    summary = rig.last[-1]
    assert summary["to"] == PHONE and summary["type"] == "interactive"
    assert summary["interactive"]["type"] == "list"  # five choices: more than reply buttons hold
    assert message_buttons(summary) == [("confirm:send", "Kirim"), ("privacy:rahasia", "Kirim rahasia"),
                                        ("privacy:anonim", "Kirim anonim"), ("confirm:edit", "Ubah"),
                                        ("confirm:cancel", "Batal")]

    # a photo: downloaded into the media store, attached to the draft
    reply = rig.read(await rig.deliver(rig.user.image("1001", caption="ini lubangnya")))
    assert "foto sudah kami lampirkan" in reply
    stored = tmp_path / "media" / "whatsapp" / "1001.jpg"
    assert stored.read_bytes() == JPEG and rig.fake.downloads == ["1001"]
    [download] = rig.fake.requests_to("localhost")  # from the media host, with the token
    assert download.path == "/download/1001" and download.with_token

    # a shared location while at the summary: kept, and the summary asked again
    await rig.deliver(rig.user.location(-7.3133, 112.7088, name="SDN Kebraon 3"))
    assert rig.buttons[-5:] == SUMMARY_BUTTONS

    # five things to edit: an interactive list; a list reply answers it
    await rig.presses("confirm:edit")
    edit = rig.last[-1]
    assert edit["interactive"]["type"] == "list"
    assert [row for row, _ in message_buttons(edit)] == [f"edit:{k}" for k in texts.EDIT_FIELD_LABELS]
    assert "Kapan" in rig.read(await rig.deliver(rig.user.list_choice("edit:date", "Waktu kejadian")))
    await rig.says("kemarin")
    assert rig.buttons == SUMMARY_BUTTONS

    # the identity changed: the profile's name is dropped, so "Kirim" asks the name, with
    # "Kirim anonim" as a single button (a single button is an interactive button too)
    await rig.presses("confirm:edit")
    summary = rig.read(await rig.deliver(rig.user.list_choice("edit:identity", "Identitas")))
    assert texts.SUMMARY_HEADER in summary and "Budi" not in summary
    assert "nama" in (await rig.presses("confirm:send")).lower()
    assert rig.buttons == ["privacy:anonim"] and rig.last[-1]["interactive"]["type"] == "button"
    receipt = await rig.says("Budi Santoso")  # the name was all that was missing: filed at once
    code = CODE.search(receipt).group(0)
    async with rig.app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.channel == "whatsapp" and complaint.sender == PHONE
    assert complaint.complainant.name == "Budi Santoso"
    assert complaint.place.latitude == pytest.approx(-7.3133) and complaint.place.longitude == pytest.approx(112.7088)
    [photo] = complaint.evidence
    assert photo.kind == "photo" and Path(photo.ref) == stored and photo.caption == "ini lubangnya"
    assert await rig.dialog() is None

    assert code in await rig.says(f"cek {code}")
    assert await rig.window.last_inbound(PHONE) == rig.clock.now - timedelta(seconds=20)
    assert rig.fake.refused == []  # every message sent fits the API's limits


async def test_menu_and_help_replies_fit_the_api_limits(rig: Rig) -> None:
    await rig.says("halo")
    await rig.presses("menu:help")
    assert rig.fake.refused == []  # the fake refuses what the real API would refuse
    assert all(m["to"] == PHONE for m in rig.fake.sent)


# --- refused and ignored webhook calls --------------------------------------------------------


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "md5=abc", ""])
async def test_a_forged_or_unsigned_webhook_is_refused_and_changes_nothing(rig: Rig, signature) -> None:
    body, headers = signed(rig.user.text("mau lapor jalan rusak"), rig.fake.app_secret)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    response = await rig.http.post(PATH, content=body, headers=headers)
    assert response.status_code == 401
    assert rig.fake.sent == [] and await rig.dialog() is None
    async with rig.app.uow() as uow:
        assert await uow.inbox.last_inbound("whatsapp", PHONE) is None
    assert await rig.window.last_inbound(PHONE) is None


async def test_a_body_signed_with_another_secret_or_altered_after_signing_is_refused(rig: Rig) -> None:
    body, headers = signed(rig.user.text("mau lapor"), "someone-elses-secret")
    assert (await rig.http.post(PATH, content=body, headers=headers)).status_code == 401
    body, headers = signed(rig.user.text("mau lapor"), rig.fake.app_secret)
    tampered = body.replace(b"mau lapor", b"mau lapoR")
    assert (await rig.http.post(PATH, content=tampered, headers=headers)).status_code == 401
    assert rig.fake.sent == [] and await rig.dialog() is None


async def test_malformed_json_with_a_valid_signature_is_a_bad_request(rig: Rig) -> None:
    response = await rig.post(b'{"object": "whatsapp_business_account", "entry": [')
    assert response.status_code == 400
    assert rig.fake.sent == []


async def test_a_replayed_delivery_is_answered_once(rig: Rig) -> None:
    payload = rig.user.text("mau lapor lampu jalan mati")
    first = await rig.deliver(payload)
    assert first
    assert await rig.deliver(payload) == []  # same wamid: acknowledged, ignored
    state = await rig.dialog()
    assert state is not None and state.get("mode") == "intake"


async def test_status_callbacks_are_acknowledged_and_ignored(rig: Rig) -> None:
    assert await rig.deliver(statuses_payload("wamid.FAKEOUT1", PHONE, "read")) == []
    assert await rig.dialog() is None and await rig.window.last_inbound(PHONE) is None


async def test_payloads_for_other_objects_or_numbers_are_ignored(rig: Rig) -> None:
    other_number = WhatsAppUser(PHONE, phone_number_id="999", clock=rig.clock).text("halo")
    assert await rig.deliver(other_number) == []
    assert await rig.deliver({"object": "page", "entry": []}) == []
    assert await rig.deliver({"unexpected": ["shape"]}) == []
    assert await rig.dialog() is None


async def test_unsupported_messages_get_a_polite_reply_and_change_nothing(rig: Rig) -> None:
    [reply] = await rig.deliver(rig.user.sticker())
    assert message_text(reply) == texts.UNSUPPORTED
    assert await rig.dialog() is None
    question = await rig.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    before = await rig.dialog()
    # mid-intake the pending question is asked again, and the draft is as it was
    reply, repeated = await rig.deliver(rig.user.sticker())
    assert message_text(reply) == texts.UNSUPPORTED and question.endswith(message_text(repeated))
    assert await rig.dialog() == before


async def test_oversized_or_unwanted_files_are_refused_politely(rig: Rig, tmp_path: Path) -> None:
    rig.fake.add_media("1002", b"\xff" * (MAX_MEDIA + 1), "image/jpeg")
    rig.fake.add_media("1003", b"GIF89a", "image/gif")
    rig.fake.add_media("1004", b"\xd0\xcf\x11\xe0 an old Word file", "application/msword")
    rig.fake.add_media("1005", b"surat biasa", "text/plain")
    [reply] = await rig.deliver(rig.user.image("1002"))
    assert message_text(reply) == texts.MEDIA_TOO_BIG.format(limit="64 KB")
    assert "1002" not in rig.fake.downloads  # the size the metadata gave spared the download
    [reply] = await rig.deliver(rig.user.document("1003", mime="image/gif"))
    assert message_text(reply) == texts.MEDIA_TYPE
    for media_id in ("1004", "1005"):
        [reply] = await rig.deliver(rig.user.document(media_id, mime="application/pdf", filename="surat.pdf"))
        assert message_text(reply) == texts.MEDIA_TYPE
    [reply] = await rig.deliver(rig.user.image("1099"))  # the media id is not (any more) on the server
    assert message_text(reply) == texts.MEDIA_FAILED
    assert not (tmp_path / "media" / "whatsapp").exists() or not any((tmp_path / "media" / "whatsapp").iterdir())
    assert await rig.dialog() is None


async def test_a_download_larger_than_its_metadata_said_is_cut_off(rig: Rig, tmp_path: Path) -> None:
    question = await rig.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    before = await rig.dialog()
    rig.fake.add_media("1010", b"%PDF-" + b"0" * (4 * MAX_MEDIA), "application/pdf", claimed_size=1000)
    reply, repeated = await rig.deliver(rig.user.document("1010"))
    assert message_text(reply) == texts.MEDIA_TOO_BIG.format(limit="64 KB")
    assert question.endswith(message_text(repeated))  # the pending question again (the summary)
    assert not (tmp_path / "media" / "whatsapp").exists()
    assert await rig.dialog() == before  # mid-intake: the draft is as it was


@pytest.mark.parametrize("media_id", [
    "../../me", "https://evil.test/x", "//evil.test/x", "1234/../../me", "1234?fields=id", "12a", "",
    "9" * 33, "١٢٣",  # Arabic-Indic digits are not ASCII digits
])
async def test_a_media_id_that_is_not_a_number_is_refused_before_any_request(
    rig: Rig, media_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    await rig.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    before = await rig.dialog()
    caplog.clear()
    reply, _question = await rig.deliver(rig.user.image(media_id))
    assert message_text(reply) == texts.MEDIA_FAILED
    assert [r for r in rig.fake.requests if r.method == "GET"] == []  # no metadata, no download
    assert await rig.dialog() == before
    assert "not a number" in caplog.text
    if media_id:
        assert media_id not in caplog.text


async def test_the_token_goes_to_no_media_host_outside_the_allow_list(
    app, graph_api: FakeGraphApi, clock: Clock, tmp_path: Path
) -> None:
    graph_api.add_media("1020", JPEG, url=f"{graph_api.cdn_origin}/download/1020")
    graph_api.add_media("1021", JPEG, url=f"https://lookaside.fbsbx.com@localhost:{graph_api.port}/download/1021")
    for hosts, expected in (([], texts.MEDIA_FAILED), (["localhost"], texts.MEDIA_FAILED),  # https only
                            ([graph_api.cdn_origin], "foto sudah kami lampirkan")):
        graph_api.requests.clear()
        async with WhatsAppClient.from_settings(settings_for(graph_api, hosts)) as client:
            channel = WhatsAppChannel(app.conversation.handle, client, graph_api.verify_token, graph_api.app_secret,
                                      tmp_path / "media", MAX_MEDIA, clock)
            web = Starlette(routes=channel.routes(PATH))
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
                rig = Rig(app, graph_api, channel, http, clock, InMemoryContactWindow(), WhatsAppUser(PHONE, clock=clock))
                replies = rig.read(await rig.deliver(rig.user.image("1020")))
                assert expected in replies, hosts
                # credentials in the URL do not make another host Meta's
                assert rig.read(await rig.deliver(rig.user.image("1021"))).startswith(texts.MEDIA_FAILED), hosts
        to_cdn = graph_api.requests_to("localhost")
        if expected == texts.MEDIA_FAILED:
            assert to_cdn == [], hosts  # no request at all, so none with the token
        else:
            assert [(r.path, r.with_token) for r in to_cdn] == [("/download/1020", True)]
    # the default allow-list is Meta's media host over https
    assert WhatsAppClient.from_settings(Settings(whatsapp_access_token="t", whatsapp_phone_number_id="1")
                                        ).media_origins == {("https", "lookaside.fbsbx.com", 443),
                                                            ("https", "graph.facebook.com", 443)}


async def test_a_redirected_media_download_is_not_followed(rig: Rig, tmp_path: Path) -> None:
    rig.fake.add_media("1030", JPEG)
    rig.fake.add_media("1031", JPEG)
    rig.fake.redirect_media("1030", f"{rig.fake.cdn_origin}/download/1031")
    [reply] = await rig.deliver(rig.user.image("1030"))
    assert message_text(reply) == texts.MEDIA_FAILED
    assert [r.path for r in rig.fake.requests_to("localhost")] == ["/download/1030"]
    assert rig.fake.downloads == []


async def test_what_a_file_is_comes_from_its_bytes_not_the_webhook(rig: Rig, tmp_path: Path) -> None:
    rig.fake.add_media("1040", PDF, "image/jpeg")  # an "image" message holding a PDF
    rig.fake.add_media("1041", media_files.png(), "application/pdf")
    rig.fake.add_media("1042", media_files.office("docx"), "application/octet-stream")
    assert "dokumen sudah kami lampirkan" in rig.read(await rig.deliver(rig.user.image("1040")))
    assert "foto sudah kami lampirkan" in rig.read(await rig.deliver(rig.user.document("1041")))
    assert "dokumen sudah kami lampirkan" in rig.read(await rig.deliver(rig.user.document("1042", filename="a.pdf")))
    evidence = (await rig.dialog())["draft"]["evidence"]
    folder = tmp_path / "media" / "whatsapp"
    assert [(e["kind"], e["ref"]) for e in evidence] == [
        ("document", str(folder / "1040.pdf")), ("photo", str(folder / "1041.png")),
        ("document", str(folder / "1042.docx")),
    ]


async def test_a_document_is_stored_with_its_source(rig: Rig, tmp_path: Path) -> None:
    rig.fake.add_media("1007", PDF, "application/pdf")
    reply = rig.read(await rig.deliver(rig.user.document("1007", caption="surat dari kelurahan")))
    assert "dokumen sudah kami lampirkan" in reply
    state = await rig.dialog()
    [evidence] = state["draft"]["evidence"]
    assert evidence["kind"] == "document" and evidence["ref"] == str(tmp_path / "media" / "whatsapp" / "1007.pdf")
    assert evidence["source"] == "whatsapp:1007"


async def test_a_user_known_only_by_business_scoped_id_is_answered_by_that_id(rig: Rig) -> None:
    bsuid = "ID.1502576394655843"
    user = WhatsAppUser(phone=None, bsuid=bsuid, clock=rig.clock)
    sent = await rig.deliver(user.text("halo"))
    assert sent and all(m.get("recipient") == bsuid and "to" not in m for m in sent)
    assert await rig.window.last_inbound(bsuid) is not None


# --- rendering ------------------------------------------------------------------------------


def test_render_splits_long_text_and_picks_buttons_or_lists() -> None:
    long = ("kalimat panjang " * 600).strip()  # 9,599 characters
    pieces = render(long)
    assert len(pieces) == 3 and all(len(p["text"]["body"]) <= 4096 for p in pieces)
    assert " ".join(p["text"]["body"] for p in pieces) == long

    three = render("Pilih", (Button("a", "Satu dua tiga empat lima enam"), Button("b", "B"), Button("c", "C")))
    [message] = three
    assert message["interactive"]["type"] == "button"
    assert [t for _, t in message_buttons(message)] == ["Satu dua tiga empat…", "B", "C"]

    many = [Button(f"k{i}", f"Pilihan nomor {i} yang cukup panjang") for i in range(12)]
    lists = render("Pilih satu", many)
    assert [m["interactive"]["type"] for m in lists] == ["list", "list"]
    assert [len(message_buttons(m)) for m in lists] == [10, 2]
    assert all(len(title) <= 24 for m in lists for _, title in message_buttons(m))

    # buttons under a text longer than an interactive body: the text first, then the choice
    split = render("x" * 2000, (Button("ok", "OK"),))
    assert [m["type"] for m in split] == ["text", "interactive"]
    assert split[1]["interactive"]["body"]["text"] == texts.WA_CHOOSE


# --- the outbox sender --------------------------------------------------------------------------


def note(key: str, recipient: str = PHONE, text: str = "Status laporan LPR-7KQ3-MN: Diproses.\nCatatan: tim ke lokasi") \
        -> Notification:
    buttons = (Button("rate:LPR-7KQ3-MN:puas", "Puas"), Button("rate:LPR-7KQ3-MN:tidak", "Tidak puas"))
    return Notification(key=key, channel="whatsapp", recipient=recipient, text=text, buttons=buttons,
                        complaint_code="LPR-7KQ3-MN")


@dataclass
class Outbox:
    app: Any
    fake: FakeGraphApi
    clock: Clock
    window: InMemoryContactWindow
    sender: WhatsAppSender
    relay: OutboxRelay

    async def queue(self, *notifications: Notification) -> None:
        async with self.app.uow() as uow:
            for notification in notifications:
                assert await uow.outbox.add(notification, self.clock())
            await uow.commit()

    async def drain(self, after: timedelta = timedelta()):
        return await self.relay.drain(self.clock() + after)

    async def failed(self):
        async with self.app.uow() as uow:
            return await uow.outbox.failed()


@pytest.fixture
def outbox(app, graph_api: FakeGraphApi, client: WhatsAppClient, clock: Clock) -> Outbox:
    window = InMemoryContactWindow()
    slept: list[float] = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    sender = WhatsAppSender(client, window.last_inbound, "status_laporan", "id", clock,
                            limiter=RateLimiter(80, monotonic=lambda: 0.0, sleep=no_sleep))
    return Outbox(app, graph_api, clock, window, sender, OutboxRelay(app.uow, {"whatsapp": sender}))


async def test_inside_the_window_the_notification_goes_as_free_text_with_buttons(outbox: Outbox) -> None:
    await outbox.window.touch(PHONE, outbox.clock() - timedelta(hours=23))
    await outbox.queue(note("n1"))
    report = await outbox.drain()
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [message] = outbox.fake.sent
    assert message["type"] == "interactive" and message["to"] == PHONE
    assert message_text(message).startswith("Status laporan LPR-7KQ3-MN: Diproses.\nCatatan")
    assert [b for b, _ in message_buttons(message)] == ["rate:LPR-7KQ3-MN:puas", "rate:LPR-7KQ3-MN:tidak"]


@pytest.mark.parametrize("last_wrote", [timedelta(hours=25), None])
async def test_outside_the_window_the_approved_template_is_sent(outbox: Outbox, last_wrote) -> None:
    if last_wrote is not None:
        await outbox.window.touch(PHONE, outbox.clock() - last_wrote)
    await outbox.queue(note("n1", text="Status: Diproses.\n\nCatatan:   tim " + "x" * 2000))
    assert (await outbox.drain()).sent == 1
    [message] = outbox.fake.sent
    assert message["type"] == "template"
    template = message["template"]
    assert template["name"] == "status_laporan" and template["language"] == {"code": "id"}
    [param] = template["components"][0]["parameters"]
    assert param["text"].startswith("Status: Diproses. · Catatan: tim xxx") and len(param["text"]) <= 1024


async def test_a_closed_window_reported_by_the_api_falls_back_to_the_template(outbox: Outbox) -> None:
    await outbox.window.touch(PHONE, outbox.clock() - timedelta(hours=1))
    outbox.fake.fail_next(1, "outside_window")
    await outbox.queue(note("n1"))
    assert (await outbox.drain()).sent == 1
    assert [r["code"] for r in outbox.fake.refused] == [131047]
    assert [m["type"] for m in outbox.fake.sent] == ["template"]


async def test_when_the_template_fallback_fails_too_the_item_fails(outbox: Outbox) -> None:
    await outbox.window.touch(PHONE, outbox.clock() - timedelta(hours=1))
    outbox.fake.fail_next(1, "outside_window")
    outbox.fake.fail_next(1, "undeliverable")
    await outbox.queue(note("n1"))
    report = await outbox.drain()
    assert (report.sent, report.failed) == (0, 1)
    [dead] = await outbox.failed()
    assert "131026" in dead.last_error


async def test_a_rate_limited_send_is_retried_once_after_retry_after(outbox: Outbox) -> None:
    await outbox.window.touch(PHONE, outbox.clock())
    outbox.fake.fail_next(1, "rate_limit", retry_after=30)
    await outbox.queue(note("n1"))
    assert (await outbox.drain()).retried == 1
    assert (await outbox.drain(timedelta(seconds=29))).sent == 0
    assert (await outbox.drain(timedelta(seconds=30))).sent == 1
    assert (await outbox.drain(timedelta(hours=1))).sent == 0
    assert len(outbox.fake.refused) == 1 and len(outbox.fake.sent) == 1


@pytest.mark.parametrize("kind", ["rate_limit", "pair_rate_limit"])
async def test_rate_limits_without_retry_after_wait_a_minute(outbox: Outbox, kind: str) -> None:
    await outbox.window.touch(PHONE, outbox.clock())
    outbox.fake.fail_next(1, kind)
    await outbox.queue(note("n1"))
    assert (await outbox.drain()).retried == 1
    assert (await outbox.drain(timedelta(seconds=59))).sent == 0
    assert (await outbox.drain(timedelta(seconds=60))).sent == 1


async def test_a_server_error_is_retried_after_the_backoff(outbox: Outbox) -> None:
    outbox.fake.fail_next(1, "server_error")
    await outbox.queue(note("n1"))
    assert (await outbox.drain()).retried == 1
    assert (await outbox.drain(timedelta(seconds=5))).sent == 1
    assert [m["type"] for m in outbox.fake.sent] == ["template"]


@pytest.mark.parametrize("kind", ["undeliverable", "invalid_recipient"])
async def test_an_undeliverable_recipient_fails_for_good(outbox: Outbox, kind: str) -> None:
    await outbox.window.touch(PHONE, outbox.clock())
    outbox.fake.fail_next(1, kind)
    await outbox.queue(note("n1"))
    report = await outbox.drain()
    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    assert (await outbox.drain(timedelta(days=2))).sent == 0
    [dead] = await outbox.failed()
    assert dead.attempts == 1 and str(FAULT_CODES[kind]) in dead.last_error
    assert len(outbox.fake.refused) == 1 and outbox.fake.sent == []


FAULT_CODES = {"undeliverable": 131026, "invalid_recipient": 100}


async def test_the_window_is_read_from_the_deliveries_the_engine_recorded(rig: Rig, client: WhatsAppClient) -> None:
    await rig.says("halo")  # recorded in inbound_updates by the engine's dedupe
    sender = WhatsAppSender(client, last_inbound_from_database(rig.app.uow), "status_laporan", "id", rig.clock,
                            limiter=RateLimiter(80, monotonic=lambda: 0.0, sleep=_no_sleep))
    relay = OutboxRelay(rig.app.uow, {"whatsapp": sender})
    async with rig.app.uow() as uow:
        await uow.outbox.add(note("inside"), rig.clock())
        await uow.commit()
    await relay.drain(rig.clock())
    assert rig.fake.sent[-1]["type"] == "interactive"

    rig.clock.advance(hours=24)
    async with rig.app.uow() as uow:
        await uow.outbox.add(note("outside"), rig.clock())
        await uow.commit()
    await relay.drain(rig.clock())
    assert rig.fake.sent[-1]["type"] == "template"


async def _no_sleep(seconds: float) -> None:
    return None


async def test_the_rate_limiter_spaces_sends_at_80_a_second_without_sleeping() -> None:
    now = [100.0]
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(80, monotonic=lambda: now[0], sleep=fake_sleep)
    for _ in range(160):
        await limiter.wait()
    assert now[0] - 100.0 == pytest.approx(159 / 80)  # 160 sends take two seconds
    assert len(slept) == 159
    now[0] += 10  # idle: no waiting afterwards
    await limiter.wait()
    assert len(slept) == 159


async def test_status_changes_reach_the_whatsapp_citizen_as_text_then_as_template(
    rig: Rig, client: WhatsAppClient
) -> None:
    from complaints.taxonomy import Status
    from tests.chat_harness import RecordingSender

    await rig.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    code = CODE.search(await rig.presses("privacy:anonim")).group(0)  # "Kirim anonim" on the summary files it

    sender = WhatsAppSender(client, last_inbound_from_database(rig.app.uow), "status_laporan", "id", rig.clock,
                            limiter=RateLimiter(80, monotonic=lambda: 0.0, sleep=_no_sleep))
    officers = RecordingSender()
    relay = rig.app.relay({"whatsapp": sender, "console": officers})
    await dispose(rig.app, code, rig.clock(), take_up="Truk dijadwalkan besok")
    sent_before = len(rig.fake.sent)
    await relay.drain(rig.clock())
    to_citizen = rig.fake.sent[sent_before:]
    assert to_citizen and all(m["to"] == PHONE and m["type"] in ("text", "interactive") for m in to_citizen)
    assert "Truk dijadwalkan besok" in message_text(to_citizen[-1])

    rig.clock.advance(days=3)  # the citizen has been silent: the window is closed
    async with rig.app.uow() as uow:
        await casework.change_status(rig.app.context(), uow, code, Status.SELESAI, rig.app.org.officers["petugas-dlh"].actor, rig.clock(), "Sampah sudah diangkut")
        await uow.commit()
    sent_before = len(rig.fake.sent)
    await relay.drain(rig.clock())
    [resolved] = rig.fake.sent[sent_before:]
    assert resolved["type"] == "template" and "Sampah sudah diangkut" in message_text(resolved)
    assert rig.fake.refused == []
