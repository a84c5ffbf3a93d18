"""Issue 18's "Done when", through the webhooks (the secret token, a valid signature) with the
fake Bot API and Graph API, on SQLite and PostgreSQL: every inbound update takes one path
(deduplicated before any download, throttled, recorded), corrections reach the draft,
silence where silence is right, a number change keeps the citizen's cases, groups are
answered once, a shared venue keeps its name, an update without a sender leaves a log line.
(A failed delivery status: tests/channels/test_delivery_status.py.)
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import texts
from bot.channels.whatsapp import RateLimiter, WhatsAppClient, WhatsAppSender, last_inbound_from_database
from tests.chat_harness import Clock, RecordingSender, dispose
from tests.fakes.graph_api import FakeGraphApi, message_text, new_wamid
from tests.fakes.telegram_api import FakeTelegramApi

from .corpus import telegram as tg
from .corpus import whatsapp as wa
from .corpus.cases import Chat
from .corpus.rig import Rig, Sent, open_rig
from .corpus.telegram import VENUE

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
COMPLAINT = "jalan di depan sdn kebraon 3 berlubang besar, sudah dua minggu, kemarin ada pengendara jatuh"


@pytest.fixture
async def rig(app, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi, tmp_path: Path) -> AsyncIterator[Rig]:
    async with open_rig(app, Clock(), telegram_api, graph_api, tmp_path / "media") as opened:
        yield opened


def chats(rig: Rig) -> tuple[Chat, Chat]:
    return tg.new_chat(rig.telegram_api, rig.clock), wa.new_chat(rig.graph_api, rig.clock)


def texts_of(sent: list[Sent]) -> list[str]:
    return [s.text for s in sent]


# --- one path: deduplicated before the download, throttled whatever the type -----------------------


async def test_a_redelivered_voice_note_is_answered_and_downloaded_once(rig: Rig) -> None:
    telegram, whatsapp = chats(rig)
    voice = tg.voice(telegram)
    first = await rig.telegram(voice)
    assert tg.VOICE_KEPT.words in first[1].text
    assert await rig.telegram(voice) == []  # the same update_id again
    assert len(rig.telegram_api.calls_of("getFile")) == 1

    note = wa.voice(whatsapp)
    first = await rig.whatsapp(note)
    assert tg.VOICE_KEPT.words in first[1].text
    requests = len(rig.graph_api.requests)
    assert await rig.whatsapp(note) == []  # the same wamid again
    assert len(rig.graph_api.downloads) == 1
    assert len(rig.graph_api.requests) == requests  # not even the media's URL was asked again
    assert len(rig.stored_files()) == 2
    for channel, chat in (("telegram", telegram), ("whatsapp", whatsapp)):
        [evidence] = (await rig.dialog(channel, chat.sender))["draft"]["evidence"]
        assert evidence["kind"] == "voice"


@pytest.mark.parametrize("channel", ["telegram", "whatsapp"])
async def test_35_stickers_in_a_minute_are_throttled_like_35_texts(rig: Rig, channel: str) -> None:
    rig.step = timedelta(seconds=1)  # 35 messages within a minute
    module = tg if channel == "telegram" else wa

    async def burst(build) -> list[list[str]]:
        chat = module.new_chat(rig.telegram_api if channel == "telegram" else rig.graph_api, rig.clock)
        return [texts_of(await rig.post(channel, build(chat))) for _ in range(35)]

    stickers = await burst(module.sticker)
    texts_ = await burst(lambda chat: chat.text("halo"))
    for replies in (stickers, texts_):
        assert all(replies[:30]), "the first 30 are answered"
        assert replies[30] == [texts.SLOW_DOWN] and replies[31:] == [[]] * 4
    assert stickers[:30] == [[texts.UNSUPPORTED]] * 30


async def test_service_messages_get_no_reply_but_are_recorded(rig: Rig) -> None:
    telegram, whatsapp = chats(rig)
    pins = [tg.message(telegram, pinned_message=tg.msg(telegram, text="LPR-2222-22")),
            tg.message(telegram, message_auto_delete_timer_changed={"message_auto_delete_time": 604800}),
            tg.message(telegram, write_access_allowed={"web_app_name": "aduan"})]
    for update in pins:
        assert await rig.telegram(update) == []
        assert await rig.recorded("telegram", str(update["update_id"]))
    notices = [wa.message(whatsapp, "reaction", {"message_id": new_wamid("OUT"), "emoji": "\u2764"}),
               wa.message(whatsapp, "ephemeral", {"expiration": 86400}),
               wa.message(whatsapp, "request_welcome")]
    for payload in notices:
        assert await rig.whatsapp(payload) == []
        assert await rig.recorded("whatsapp", wa.update_ids(payload)[0])
    assert await rig.dialog("telegram", telegram.sender) is None and await rig.dialog("whatsapp", whatsapp.sender) is None
    assert rig.telegram_api.sent == [] and rig.graph_api.sent == []
    # the 24-hour window counts them: the citizen did write
    assert await last_inbound_from_database(rig.app.uow)(whatsapp.sender) is not None


# --- corrections: an edited draft message changes the summary ------------------------------------------


async def test_an_edited_draft_message_changes_the_summary_on_both_channels(rig: Rig) -> None:
    telegram, whatsapp = chats(rig)
    original = tg.message(telegram, text=COMPLAINT)
    summary = texts_of(await rig.telegram(original))
    assert texts.SUMMARY_HEADER in summary[-1] and "Kebraon" in summary[-1]
    changed = {**original["message"], "text": COMPLAINT.replace("kebraon 3", "kedurus 2"), "edit_date": 1}
    replies = texts_of(await rig.telegram(tg.update(edited_message=changed)))
    assert replies[0] == texts.EDIT_APPLIED
    assert texts.SUMMARY_HEADER in replies[-1] and "Kedurus" in replies[-1] and "Kebraon" not in replies[-1]
    assert "kedurus 2" in (await rig.dialog("telegram", telegram.sender))["draft"]["description"]

    first = wa.message(whatsapp, "text", {"body": COMPLAINT})
    summary = texts_of(await rig.whatsapp(first))
    assert any(texts.SUMMARY_HEADER in s and "Kebraon" in s for s in summary)
    edit = wa.message(whatsapp, "edit", {"original_message_id": wa.update_ids(first)[0], "message": {
        "type": "text", "text": {"body": COMPLAINT.replace("kebraon 3", "kedurus 2")}}})
    replies = texts_of(await rig.whatsapp(edit))
    assert replies[0] == texts.EDIT_APPLIED
    assert any(texts.SUMMARY_HEADER in s and "Kedurus" in s for s in replies)
    assert not any("Kebraon" in s for s in replies)


async def test_a_revoked_draft_message_leaves_the_draft(rig: Rig) -> None:
    _, whatsapp = chats(rig)
    first = wa.message(whatsapp, "text", {"body": COMPLAINT})
    await rig.whatsapp(first)
    assert (await rig.dialog("whatsapp", whatsapp.sender))["draft"]["place"]["detail"]
    revoke = wa.message(whatsapp, "revoke", {"original_message_id": wa.update_ids(first)[0]})
    assert texts_of(await rig.whatsapp(revoke)) == [texts.DELETE_APPLIED, texts.ASK_DESCRIPTION]
    draft = (await rig.dialog("whatsapp", whatsapp.sender))["draft"]
    assert not draft.get("description") and not draft["place"].get("detail")  # its words, and what they said


# --- a WhatsApp number change keeps the citizen's cases -------------------------------------------------


async def test_a_number_change_keeps_the_cases_and_the_notifications_follow(rig: Rig, graph_api: FakeGraphApi) -> None:
    _, old = chats(rig)
    await rig.whatsapp(old.text("sampah numpuk di depan pasar wonokromo udah 3 hari, baunya sampai ke rumah"))
    receipt = "\n".join(texts_of(await rig.whatsapp(wa.message(old, "interactive", {
        "type": "button_reply", "button_reply": {"id": "privacy:anonim", "title": "Kirim anonim"}}))))
    code = CODE.search(receipt).group(0)

    new = wa.new_chat(rig.graph_api, rig.clock)
    change = wa.payload(wa.value(old, messages=[wa.item(old, "system", {
        "body": f"User Rina Kusuma changed from {old.sender} to {new.sender}", "wa_id": new.sender,
        "type": "user_changed_number"})]))
    assert await rig.whatsapp(change) == []

    mine = "\n".join(texts_of(await rig.whatsapp(new.text("laporan saya"))))
    assert code in mine
    pressed = await rig.whatsapp(wa.message(new, "interactive", {
        "type": "button_reply", "button_reply": {"id": "menu:mine", "title": "Laporan saya"}}))
    assert code in "\n".join(texts_of(pressed)) and {s.to for s in pressed} == {new.sender}
    assert code not in "\n".join(texts_of(await rig.whatsapp(old.text("laporan saya"))))

    async def no_sleep(seconds: float) -> None:
        return None

    async with WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
        sender = WhatsAppSender(client, last_inbound_from_database(rig.app.uow), "status_laporan", "id", rig.clock,
                                limiter=RateLimiter(80, monotonic=lambda: 0.0, sleep=no_sleep))
        relay = rig.app.relay({"whatsapp": sender, "console": RecordingSender()})
        await dispose(rig.app, code, rig.clock(), take_up="Truk sampah dijadwalkan besok pagi")
        before = len(graph_api.sent)
        await relay.drain(rig.clock())
    notices = graph_api.sent[before:]
    assert notices and all((m.get("to") or m.get("recipient")) == new.sender for m in notices)
    assert "Truk sampah dijadwalkan besok pagi" in message_text(notices[-1])


# --- groups, places, senders ------------------------------------------------------------------------------


async def test_a_whatsapp_group_is_answered_once_then_silence(rig: Rig) -> None:
    _, citizen = chats(rig)
    first = await rig.whatsapp(wa.message(citizen, "text", {"body": "pak lampu jalan mati"}, group_id=citizen.group))
    assert first == [Sent(citizen.group, texts.PRIVATE_ONLY)]
    neighbour = wa.new_chat(rig.graph_api, rig.clock)  # another member of the same group
    assert await rig.whatsapp(wa.message(neighbour, "text", {"body": "betul pak"}, group_id=citizen.group)) == []
    assert await rig.whatsapp(wa.message(citizen, "text", {"body": "halo?"}, group_id=citizen.group)) == []
    assert await rig.dialog("whatsapp", citizen.sender) is None
    rig.clock.now += timedelta(days=1, minutes=1)  # once a day
    again = await rig.whatsapp(wa.message(citizen, "text", {"body": "halo lagi"}, group_id=citizen.group))
    assert again == [Sent(citizen.group, texts.PRIVATE_ONLY)]


async def test_a_shared_venue_keeps_its_name_in_the_summary(rig: Rig) -> None:
    telegram, whatsapp = chats(rig)
    words = "lampu penerangan jalan mati semua sejak tiga hari, gelap sekali malam hari"
    await rig.telegram(telegram.text(words))
    summary = "\n".join(texts_of(await rig.telegram(tg.venue(telegram))))
    assert texts.SUMMARY_HEADER in summary and VENUE["title"] in summary

    await rig.whatsapp(whatsapp.text(words))
    shared = wa.location(whatsapp, *tg.INSIDE, name=VENUE["title"], address=VENUE["address"])
    summary = "\n".join(texts_of(await rig.whatsapp(shared)))
    assert texts.SUMMARY_HEADER in summary and VENUE["title"] in summary


async def test_an_update_without_a_usable_sender_is_dropped_with_a_log_line(rig: Rig, caplog) -> None:
    telegram, whatsapp = chats(rig)
    caplog.set_level(logging.WARNING)
    nobody = wa.message(whatsapp, "text", {"body": "halo"})
    value = nobody["entry"][0]["changes"][0]["value"]
    del value["messages"][0]["from"]
    value["contacts"] = []
    assert await rig.whatsapp(nobody) == []
    assert not await rig.recorded("whatsapp", wa.update_ids(nobody)[0])
    assert any("without a usable id or sender" in r.getMessage() for r in caplog.records)

    caplog.clear()
    broken = tg.message(telegram, text="halo")
    del broken["message"]["chat"]["id"]
    assert await rig.telegram(broken) == []
    assert not await rig.recorded("telegram", str(broken["update_id"]))
    assert any("dropped" in r.getMessage() and str(broken["update_id"]) in r.getMessage() for r in caplog.records)
    assert rig.telegram_api.sent == [] and rig.graph_api.sent == []


async def test_the_reply_to_a_whatsapp_group_is_addressed_to_the_group(rig: Rig) -> None:
    """Cloud API group messaging: a message to a group is sent with ``"recipient_type":
    "group"`` and the group id in ``to`` ("individual" is for a person's number)."""
    _, citizen = chats(rig)
    await rig.whatsapp(wa.message(citizen, "text", {"body": "pak lampu jalan mati"}, group_id=citizen.group))
    [sent] = rig.graph_api.sent
    assert sent["to"] == citizen.group and sent["type"] == "text"
    assert sent["recipient_type"] == "group"
