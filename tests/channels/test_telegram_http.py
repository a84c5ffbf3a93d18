"""PTB's requests sent with aiohttp (bot/channels/telegram_http.py), against the fake Bot API.

The Bot ``aduan serve`` builds talks through :class:`AiohttpRequest`. Each test holds it to
what PTB's own httpx request does for the same call: what reaches Telegram, the errors,
files both ways, timeouts, a proxy from the environment. Where it can, a test runs both
requests and compares.
"""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.channels.telegram import PtbApi, bot_api, send_fields
from bot.channels.telegram_format import keyboard_rows
from bot.channels.telegram_http import AiohttpRequest, telegram_bot
from complaints.notifications import Button
from tests.fakes.telegram_api import FakeTelegramApi

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

TRANSPORTS = ("aiohttp", "httpx")
ROWS = keyboard_rows([Button("kirim", "Kirim"), Button("ubah", "Ubah ✓"), Button("batal", "Batal")])


def request_of(transport: str, **timeouts: float) -> BaseRequest:
    return AiohttpRequest(**timeouts) if transport == "aiohttp" else HTTPXRequest(**timeouts)


def bot_on(api_url: str, token: str, transport: str, **timeouts: float) -> Bot:
    return Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot",
               request=request_of(transport, **timeouts), get_updates_request=request_of(transport, **timeouts))


async def calls_made(api: FakeTelegramApi, transport: str) -> list[tuple[str, dict[str, Any]]]:
    """The calls our channel makes for a reply with a keyboard, a cleared keyboard and an
    answered button, and a file sent, as the fake saw them."""
    api.reset()
    async with bot_on(api.url, api.token, transport) as bot:
        ptb = PtbApi(bot)
        await ptb.send_text("5550123", "Terima kasih, Bapak/Ibu. Laporan Anda kami terima: LPR-2026-ABC123", ROWS)
        await ptb.clear_keyboard("5550123", 77)
        await ptb.answer_callback("query-1")
        await bot.send_document(5550123, io.BytesIO(b"%PDF-1.4 surat"), filename="surat.pdf", caption="Bukti")
    return [(call.method, call.params) for call in api.calls if call.method != "getMe"]


async def test_telegram_sees_the_same_calls_as_from_ptbs_own_request(telegram_api: FakeTelegramApi) -> None:
    ours = await calls_made(telegram_api, "aiohttp")
    assert [method for method, _ in ours] == ["sendMessage", "editMessageReplyMarkup", "answerCallbackQuery",
                                              "sendDocument"]
    sent = ours[0][1]
    labels = [button["text"] for row in sent["reply_markup"]["inline_keyboard"] for button in row]
    assert sent["text"].startswith("Terima kasih") and labels == ["Kirim", "Ubah ✓", "Batal"]
    assert ours[3][1]["document"] == {"filename": "surat.pdf", "size": 14}  # a file goes as multipart
    assert ours == await calls_made(telegram_api, "httpx")


@pytest.mark.parametrize("kind", ["429", "403", "400", "500"])
async def test_telegrams_refusals_are_ptbs_own_errors(telegram_api: FakeTelegramApi, kind: str) -> None:
    raised: dict[str, TelegramError] = {}
    for transport in TRANSPORTS:
        telegram_api.fail_next("sendMessage", kind=kind, **({"retry_after": 7} if kind == "429" else {}))
        async with bot_on(telegram_api.url, telegram_api.token, transport) as bot:
            with pytest.raises(TelegramError) as caught:
                await bot_api(bot, "sendMessage", send_fields("5550123", "halo", None))
        raised[transport] = caught.value
    expected = {"429": RetryAfter, "403": Forbidden, "400": BadRequest, "500": NetworkError}[kind]
    assert type(raised["aiohttp"]) is type(raised["httpx"]) is expected
    assert raised["aiohttp"].message == raised["httpx"].message


async def test_a_file_sent_to_the_bot_downloads_whole(telegram_api: FakeTelegramApi) -> None:
    content = bytes(range(256)) * 300
    stored = telegram_api.add_file(content, suffix=".jpg")
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
        file = await bot.get_file(stored.file_id)
        out = io.BytesIO()
        await file.download_to_memory(out)
    assert out.getvalue() == content


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A server that takes connections and requests and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def bare_bot(url: str, request: BaseRequest) -> Bot:
    """A Bot on ``request`` that asks nothing of the server before the test's call (its
    ``initialize`` would send getMe); the test opens and closes the request itself."""
    return Bot("1:x", base_url=f"{url}/bot", request=request)


async def test_an_answer_that_does_not_come_times_out(silent_server: str) -> None:
    async with AiohttpRequest(read_timeout=0.05) as request:
        with pytest.raises(TimedOut):
            await asyncio.wait_for(bot_api(bare_bot(silent_server, request), "sendMessage",
                                           send_fields("1", "halo", None)), 5)


async def test_a_calls_own_read_timeout_wins_over_the_requests(silent_server: str) -> None:
    """getUpdates waits longer than a reply would (bot_api's read_timeout); here shorter,
    so that a timeout not taken from the call would fail the test after 5 s, not hang it."""
    async with AiohttpRequest(read_timeout=5.0) as request:
        with pytest.raises(TimedOut):
            await asyncio.wait_for(bot_api(bare_bot(silent_server, request), "sendMessage",
                                           send_fields("1", "halo", None), read_timeout=0.05), 2)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_telegram_out_of_reach_is_a_network_error() -> None:
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as caught:
            await bot_api(bare_bot(f"http://127.0.0.1:{closed_port()}", request), "sendMessage",
                          send_fields("1", "halo", None))
    assert not isinstance(caught.value, TimedOut) and "aiohttp.ClientConnectorError" in caught.value.message


async def test_a_request_not_initialized_or_shut_down_refuses_to_send(telegram_api: FakeTelegramApi) -> None:
    bot = telegram_bot(telegram_api.token, telegram_api.url)
    with pytest.raises(NetworkError, match="not initialized"):  # PTB's word for its request's RuntimeError
        await bot_api(bot, "getMe", {})
    async with bot:
        assert (await bot_api(bot, "getMe", {}))["username"] == "aduan_test_bot"
    with pytest.raises(NetworkError, match="not initialized"):
        await bot_api(bot, "getMe", {})


@pytest.fixture
def no_proxy_set(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for scheme in ("no", "http", "https", "all"):
        monkeypatch.delenv(f"{scheme}_proxy", raising=False)
        monkeypatch.delenv(f"{scheme.upper()}_PROXY", raising=False)
    yield


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """An HTTP proxy that answers every request itself, as Telegram would answer a call
    that went well, and keeps each request's first line."""
    seen: list[str] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in head if line.lower().startswith("content-length:")), 0)
        await reader.readexactly(length)
        seen.append(head[0])
        body = b'{"ok": true, "result": true}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seen
    finally:
        server.close()
        await server.wait_closed()


async def test_a_proxy_from_the_environment_carries_the_calls(
    proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch, no_proxy_set: None
) -> None:
    """Calls to a port where nothing listens succeed only through ``HTTP_PROXY``; with
    the host in ``NO_PROXY`` they go straight there, and fail."""
    proxy_url, seen = proxy
    nowhere = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    async with AiohttpRequest() as request:
        assert await bot_api(bare_bot(nowhere, request), "answerCallbackQuery", {"callback_query_id": "q"}) is True
    assert seen == [f"POST {nowhere}/bot1:x/answerCallbackQuery HTTP/1.1"]

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError):
            await bot_api(bare_bot(nowhere, request), "answerCallbackQuery", {"callback_query_id": "q"})
    assert len(seen) == 1


async def test_many_replies_at_once_all_arrive(telegram_api: FakeTelegramApi) -> None:
    """The relay sends up to 20 notifications at once over the pool's connections."""
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
        await asyncio.gather(*(PtbApi(bot).send_text(str(5550100 + n), f"pesan {n}", None) for n in range(40)))
    assert sorted(m["text"] for m in telegram_api.sent) == sorted(f"pesan {n}" for n in range(40))
