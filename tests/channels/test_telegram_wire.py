"""What the python-telegram-bot adapter puts on the wire, byte for byte.

Replies, keyboard clearing, callback answers, the relay's sends and getUpdates skip PTB's
methods (which build a ``Message`` or ``Update`` from every answer) and call the Bot API
through ``bot_api`` (issue 20). These tests hold that to the promise: the same request as
PTB's own method sends (fields, JSON, timeouts), the same errors, and the message_id the
relay stores still read from the answer. No server: a recording ``BaseRequest`` answers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.request import BaseRequest, RequestData

from bot.channels.telegram import POLL_READ_SLACK, PtbApi, TelegramSender, bot_api
from bot.channels.telegram_core import ALLOWED_UPDATES, FloodWait, TelegramApiError
from bot.channels.telegram_format import keyboard_rows
from complaints.delivery import FailureKind
from complaints.notifications import Button, DeliveryFailed, Notification

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

MESSAGE = {"message_id": 4321, "date": 1795400000, "chat": {"id": 5, "type": "private"}, "text": "x",
           "reply_markup": {"inline_keyboard": [[{"text": "Kirim", "callback_data": "a"}]]}}
BUTTONS = [Button("a", "Kirim"), Button("b", "Ubah ✓ 😀"), Button("c", "Batal")]


def keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    """PTB's own keyboard of the same rows: what its send_message would have sent."""
    rows = keyboard_rows(buttons)
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.id) for b in row] for row in rows])


class Recorder(BaseRequest):
    """Answers every call as Telegram would (or with ``fail``), keeping what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any] | None, Any]] = []
        self.fail: tuple[int, dict[str, Any]] | None = None

    @property
    def read_timeout(self) -> float:
        return POLL_READ_SLACK  # PTB's HTTPXRequest default, as the adapter assumes

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[1]
        self.sent.append((endpoint, request_data.json_parameters if request_data else None, read_timeout))
        if self.fail is not None:
            status, body = self.fail
            return status, json.dumps({"ok": False, **body}).encode()
        result: Any = [] if endpoint == "getUpdates" else True if endpoint.endswith("Query") else MESSAGE
        return 200, json.dumps({"ok": True, "result": result}).encode()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def bot(recorder: Recorder) -> Bot:
    return Bot("123:abc", request=recorder, get_updates_request=recorder)


async def test_calls_send_what_the_ptb_methods_send(bot: Bot, recorder: Recorder) -> None:
    api = PtbApi(bot)
    text = "Laporan Anda 😀\nbaris kedua"
    for buttons in (BUTTONS, []):
        await bot.send_message(chat_id="5", text=text, reply_markup=keyboard(buttons))
        await api.send_text("5", text, keyboard_rows(buttons))
    await bot.edit_message_reply_markup("5", 9, reply_markup=None)
    await api.clear_keyboard("5", 9)
    await bot.answer_callback_query("q1")
    await api.answer_callback("q1")
    for offset, timeout in ((None, 30), (12, 0)):
        await bot.get_updates(offset=offset, timeout=timeout, allowed_updates=list(ALLOWED_UPDATES))
        await bot_api(bot, "getUpdates", {"offset": offset, "timeout": timeout,
                                          "allowed_updates": list(ALLOWED_UPDATES)},
                      read_timeout=POLL_READ_SLACK + timeout)
    sent = recorder.sent
    assert len(sent) == 12
    for by_ptb, ours in zip(sent[::2], sent[1::2]):
        assert ours == by_ptb
    assert "reply_markup" in sent[0][1] and "reply_markup" not in sent[2][1]  # type: ignore[operator]


async def test_the_relay_gets_the_message_id_from_the_answer(bot: Bot, recorder: Recorder) -> None:
    sender = TelegramSender(bot)
    assert await sender.send(Notification("k1", "telegram", "5", "Status berubah", buttons=tuple(BUTTONS[:1]))) == "4321"
    assert [endpoint for endpoint, _, _ in recorder.sent] == ["sendMessage"]


async def test_errors_map_as_before(bot: Bot, recorder: Recorder) -> None:
    api, sender = PtbApi(bot), TelegramSender(bot)
    note = Notification("k2", "telegram", "5", "Status berubah")
    recorder.fail = (403, {"error_code": 403, "description": "Forbidden: bot was blocked by the user"})
    with pytest.raises(TelegramApiError, match="blocked"):
        await api.send_text("5", "halo", None)
    with pytest.raises(DeliveryFailed) as blocked:
        await sender.send(note)
    assert blocked.value.error.code == "403" and blocked.value.error.kind is FailureKind.PERMANENT
    recorder.fail = (429, {"error_code": 429, "description": "Too Many Requests: retry after 3",
                           "parameters": {"retry_after": 3}})
    with pytest.raises(FloodWait) as flood:
        await api.send_text("5", "halo", None)
    assert flood.value.retry_after == 3
    with pytest.raises(DeliveryFailed) as later:
        await sender.send(note)
    assert later.value.error.code == "429" and later.value.retry_after == 3
    recorder.fail = (400, {"error_code": 400, "description": "Bad Request: chat not found"})
    with pytest.raises(DeliveryFailed) as missing:
        await sender.send(note)
    assert missing.value.error.code == "400" and missing.value.error.kind is FailureKind.PERMANENT
