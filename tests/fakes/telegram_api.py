"""A fake Telegram Bot API server on 127.0.0.1 that real client libraries talk to.

python-telegram-bot: ``telegram.Bot(token, base_url=f"{api.url}/bot", base_file_url=f"{api.url}/file/bot")``.
aiogram: ``TelegramAPIServer.from_base(api.url)``.

It answers ``/bot<token>/<method>`` (GET or POST; JSON, form-encoded or multipart bodies)
and serves ``/file/bot<token>/<file_path>``. Every call is recorded (:attr:`calls`), every
message the bot sends too (:attr:`sent`). Tests queue updates for ``getUpdates``
(:meth:`inject_update`, with builders for the common kinds), make the next calls of a
method fail (:meth:`fail_next`: 429 with ``retry_after``, 500, 403 blocked, 400 chat not
found) and can switch on Telegram's flood limits (:meth:`enforce_limits`).

The server runs uvicorn in a background thread with its own event loop, so it works for
synchronous and asynchronous tests alike; the state is guarded by a lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOT_ID = 7000000001
BOT_USERNAME = "aduan_test_bot"
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendLocation", "copyMessage"})
# Form fields whose values are JSON (objects, arrays) in form-encoded and multipart bodies
JSON_FIELDS = frozenset({
    "reply_markup", "allowed_updates", "entities", "caption_entities", "link_preview_options",
    "reply_parameters", "media", "commands", "scope",
})
INT_FIELDS = frozenset({"offset", "limit", "timeout", "message_id", "cache_time", "max_connections"})
DEFAULT_MAX_POLL_SECONDS = 0.5  # a long poll never blocks a test longer than this


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    token: str


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    claimed_size: int | None = None  # what getFile reports, when not the real size

    def as_api(self) -> dict[str, Any]:
        size = len(self.content) if self.claimed_size is None else self.claimed_size
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": size, "file_path": self.file_path}


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def too_many_requests(retry_after: int = 3) -> Fault:
    return Fault(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def server_error() -> Fault:
    return Fault(500, "Internal Server Error")


def blocked() -> Fault:
    return Fault(403, "Forbidden: bot was blocked by the user")


def chat_not_found() -> Fault:
    return Fault(400, "Bad Request: chat not found")


FAULTS: dict[str, Callable[..., Fault]] = {
    "429": too_many_requests, "500": server_error, "403": blocked, "400": chat_not_found,
}


@dataclass
class FloodLimits:
    """Telegram's flood limits as the fake enforces them (sliding one-second windows)."""

    per_second: int = 30
    per_chat_interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    recent: deque[float] = field(default_factory=deque)
    last_by_chat: dict[str, float] = field(default_factory=dict)

    def check(self, chat_id: str) -> Fault | None:
        now = self.clock()
        while self.recent and self.recent[0] <= now - 1.0:
            self.recent.popleft()
        if len(self.recent) >= self.per_second:
            return too_many_requests(1)
        last = self.last_by_chat.get(chat_id)
        if last is not None and now - last < self.per_chat_interval:
            return too_many_requests(1)
        self.recent.append(now)
        self.last_by_chat[chat_id] = now
        return None


def _decode_value(key: str, value: str) -> Any:
    if key in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[name] = {"filename": filename, "size": len(payload)}
        else:
            params[name] = _decode_value(name, payload.decode("utf-8"))
    return params


async def read_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {k: _decode_value(k, v) for k, v in request.query_params.items()}
    body = await request.body()
    if not body:
        return params
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        data = json.loads(body)
        if isinstance(data, dict):
            params.update(data)
    elif content_type.startswith("multipart/form-data"):
        params.update(_parse_multipart(body, content_type))
    else:  # application/x-www-form-urlencoded, or anything else that looks like it
        params.update({k: _decode_value(k, v) for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)})
    return params


class FakeTelegramApi:
    """The state and behaviour of the fake; :meth:`start` serves it on an ephemeral port."""

    def __init__(self, token: str = "123456:TEST-token", *, max_poll_seconds: float = DEFAULT_MAX_POLL_SECONDS) -> None:
        self.token = token
        self.max_poll_seconds = max_poll_seconds
        self._lock = threading.RLock()
        self._sent_changed = threading.Condition(self._lock)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived: asyncio.Event | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        # update ids only grow, across resets too, like Telegram's
        self._update_ids = itertools.count(100_000)
        self._generation = 0
        self.reset()

    # --- lifecycle --------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._generation += 1  # a long poll left over from before the reset finds nothing
            self.calls: list[Call] = []
            self.sent: list[dict[str, Any]] = []  # the Message objects the bot sent
            self.files: dict[str, StoredFile] = {}
            self.pending: list[dict[str, Any]] = []  # updates not yet confirmed by an offset
            self.webhook: dict[str, Any] | None = None
            self.faults: dict[str, deque[Fault]] = {}
            self.limits: FloodLimits | None = None
            self._message_ids = itertools.count(1)
            self._file_ids = itertools.count(1)

    def start(self) -> FakeTelegramApi:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)  # connections queue from now on, so nobody has to wait for uvicorn
        port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="warning", lifespan="on", access_log=False, http="h11")
        self._server = uvicorn.Server(config)
        started = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            self._arrived = asyncio.Event()
            loop.call_soon(started.set)
            loop.run_until_complete(self._server.serve(sockets=[sock]))  # type: ignore[union-attr]
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-telegram-api", daemon=True)
        self._thread.start()
        started.wait(5)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # --- what tests set up ----------------------------------------------------------------

    def fail_next(self, method: str, times: int = 1, kind: str | Fault = "500", **options: Any) -> None:
        """The next ``times`` calls of ``method`` fail: kind "429" (``retry_after=``), "500",
        "403" (bot blocked), "400" (chat not found), or a :class:`Fault`."""
        fault = kind if isinstance(kind, Fault) else FAULTS[kind](**options)
        with self._lock:
            self.faults.setdefault(method, deque()).extend([fault] * times)

    def enforce_limits(self, per_second: int = 30, per_chat_interval: float = 1.0,
                       clock: Callable[[], float] = time.monotonic) -> None:
        """Answer 429 to sends beyond ~30/s overall or ~1/s per chat (off by default)."""
        with self._lock:
            self.limits = FloodLimits(per_second, per_chat_interval, clock)

    def add_file(self, content: bytes, *, suffix: str = ".jpg", folder: str = "photos",
                 claimed_size: int | None = None) -> StoredFile:
        """A file to download; ``claimed_size``: what getFile says its size is (a lie)."""
        with self._lock:
            n = next(self._file_ids)
            stored = StoredFile(f"FILE-{n:04d}-{'x' * 20}", f"U{n:04d}", f"{folder}/file_{n}{suffix}", content,
                                claimed_size)
            self.files[stored.file_id] = stored
            return stored

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (the same dict twice is a duplicate delivery)."""
        with self._lock:
            self.pending.append(update)
        if self._loop is not None and self._arrived is not None:
            self._loop.call_soon_threadsafe(self._arrived.set)
        return update

    # --- update builders ------------------------------------------------------------------

    def next_update_id(self) -> int:
        with self._lock:
            return next(self._update_ids)

    def _message(self, chat_id: int, **fields: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids)
        user = {"id": chat_id, "is_bot": False, "first_name": "Warga", "language_code": "id"}
        chat = {"id": chat_id, "type": "private", "first_name": "Warga"}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": user, **fields}

    def _update(self, **fields: Any) -> dict[str, Any]:
        return {"update_id": self.next_update_id(), **fields}

    def text_update(self, chat_id: int, text: str) -> dict[str, Any]:
        return self._update(message=self._message(chat_id, text=text))

    def command_update(self, chat_id: int, command: str, args: str = "") -> dict[str, Any]:
        word = command if command.startswith("/") else f"/{command}"
        text = f"{word} {args}".strip()
        entity = {"type": "bot_command", "offset": 0, "length": len(word)}
        return self._update(message=self._message(chat_id, text=text, entities=[entity]))

    def callback_update(self, chat_id: int, data: str, *, message_id: int | None = None) -> dict[str, Any]:
        message = self._message(chat_id, text="(pesan bot)")
        message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Aduan", "username": BOT_USERNAME}
        if message_id is not None:
            message["message_id"] = message_id
        query = {
            "id": f"cq-{self.next_update_id()}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
            "chat_instance": f"ci-{chat_id}",
            "message": message,
            "data": data,
        }
        return self._update(callback_query=query)

    def photo_update(self, chat_id: int, content: bytes, caption: str = "") -> tuple[dict[str, Any], StoredFile]:
        """A photo in two sizes; the big one holds ``content``, and is the one to download."""
        small = self.add_file(content[: max(1, len(content) // 4)])
        big = self.add_file(content)
        sizes = [
            {"file_id": small.file_id, "file_unique_id": small.file_unique_id, "width": 90, "height": 60,
             "file_size": len(small.content)},
            {"file_id": big.file_id, "file_unique_id": big.file_unique_id, "width": 1280, "height": 853,
             "file_size": len(big.content)},
        ]
        fields: dict[str, Any] = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return self._update(message=self._message(chat_id, **fields)), big

    def document_update(
        self, chat_id: int, content: bytes, file_name: str, mime_type: str, caption: str = "",
        *, declared_size: int | None = None,
    ) -> tuple[dict[str, Any], StoredFile]:
        suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        stored = self.add_file(content, suffix=suffix, folder="documents")
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_name": file_name,
                    "mime_type": mime_type, "file_size": len(content) if declared_size is None else declared_size}
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return self._update(message=self._message(chat_id, **fields)), stored

    def location_update(self, chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        return self._update(message=self._message(chat_id, location={"latitude": latitude, "longitude": longitude}))

    # --- what tests read ------------------------------------------------------------------

    def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Block until a sent message makes ``condition`` true (woken by each send, no polling)."""
        with self._sent_changed:
            return self._sent_changed.wait_for(condition, timeout)

    def wait_for_texts(self, chat_id: int | str, count: int, timeout: float = 30.0) -> list[str]:
        """Block until ``count`` messages were sent to the chat (by another process, say)."""
        self.wait_until(lambda: len(self.texts_to(chat_id)) >= count, timeout)
        return self.texts_to(chat_id)

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def messages_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if str(m["chat"]["id"]) == str(chat_id)]

    def texts_to(self, chat_id: int | str) -> list[str]:
        return [m.get("text", "") for m in self.messages_to(chat_id)]

    @staticmethod
    def button_data(message: dict[str, Any]) -> list[str]:
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [b.get("callback_data") for row in keyboard for b in row]

    # --- the HTTP side --------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
            Route("/file/bot{token}/{file_path:path}", self._download, methods=["GET"]),
        ])

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=404)
        path = request.path_params["file_path"]
        with self._lock:
            stored = next((f for f in self.files.values() if f.file_path == path), None)
        if stored is None:
            return Response(status_code=404)
        return Response(stored.content, media_type="application/octet-stream")

    async def _method(self, request: Request) -> Response:
        token = request.path_params["token"]
        method = request.path_params["method"]
        try:
            params = await read_params(request)
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"ok": False, "error_code": 400, "description": "Bad Request: can't parse body"}, 400)
        with self._lock:
            self.calls.append(Call(method, params, token))
        if token != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        with self._lock:
            queue = self.faults.get(method)
            fault = queue.popleft() if queue else None
            if fault is None and method in SEND_METHODS and self.limits is not None:
                fault = self.limits.check(str(params.get("chat_id")))
        if fault is not None:
            return JSONResponse(fault.body(), fault.status)
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found: method not found"}, 404)
        result = handler(params)
        if isinstance(result, Fault):
            return JSONResponse(result.body(), result.status)
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> Response:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.max_poll_seconds)
        deadline = time.monotonic() + timeout
        assert self._arrived is not None
        with self._lock:
            generation = self._generation
        while True:
            self._arrived.clear()  # before looking, so an update injected meanwhile wakes us
            with self._lock:
                if generation != self._generation:
                    return JSONResponse({"ok": True, "result": []})
                if offset:
                    self.pending = [u for u in self.pending if u["update_id"] >= offset]
                ready = self.pending[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return JSONResponse({"ok": True, "result": ready})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    # --- methods ----------------------------------------------------------------------------

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Aduan", "username": BOT_USERNAME,
                "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _chat_id(self, params: dict[str, Any]) -> int | str:
        raw = params.get("chat_id")
        try:
            return int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(raw)

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | Fault:
        text = params.get("text")
        if not text:
            return Fault(400, "Bad Request: message text is empty")
        if len(str(text)) > 4096:
            return Fault(400, "Bad Request: message is too long")
        chat_id = self._chat_id(params)
        with self._lock:
            message = {
                "message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Aduan", "username": BOT_USERNAME},
                "text": text,
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.sent.append(message)
            self._sent_changed.notify_all()
        return message

    def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any] | Fault:
        """A file uploaded in a multipart body (a file_id or URL is not kept by this fake)."""
        document = params.get("document")
        if not isinstance(document, dict):
            return Fault(400, "Bad Request: wrong file identifier/HTTP URL specified")
        with self._lock:
            n = next(self._message_ids)
        return {"message_id": n, "date": int(time.time()), "chat": {"id": self._chat_id(params), "type": "private"},
                "document": {"file_id": f"DOC-{n}", "file_unique_id": f"D{n}", "file_name": document["filename"],
                             "file_size": document["size"]}}

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _edited(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        return {"message_id": int(params.get("message_id") or 0), "date": int(time.time()),
                "chat": {"id": self._chat_id(params), "type": "private"}, "text": params.get("text", "")}

    _m_editMessageReplyMarkup = _edited
    _m_editMessageText = _edited

    def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any] | Fault:
        with self._lock:
            stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            return Fault(400, "Bad Request: invalid file_id")
        return stored.as_api()

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = params
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = None
            if str(params.get("drop_pending_updates", "")).lower() == "true":
                self.pending = []
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            hook = self.webhook or {}
        return {"url": hook.get("url", ""), "has_custom_certificate": False, "pending_update_count": len(self.pending)}

    def _m_close(self, params: dict[str, Any]) -> bool:
        return True

    def _m_logOut(self, params: dict[str, Any]) -> bool:
        return True
