"""A fake WhatsApp Cloud API (Graph API) server on 127.0.0.1 for tests.

The real client code talks HTTP to it (``whatsapp_api_base = fake.base_url``):

- ``POST /{version}/{phone_number_id}/messages`` checks the bearer token and the message
  object's limits (3 reply buttons of 20 characters, 10 list rows of 24, 1,024-character
  interactive bodies, 4,096-character texts), records it in ``sent`` and answers a wamid;
- ``GET /{version}/{media_id}`` answers the media's URL, ``GET`` on that URL the bytes; the
  URL is on the server's own origin unless ``media_origin`` names another (``localhost``:
  the same server under another host name, like Meta's ``lookaside.fbsbx.com``), or
  ``add_media(url=...)`` gives one; ``redirect_media`` makes the download answer a redirect;
- every request is recorded in ``requests`` (host, path, whether it carried the token);
- ``fail_next(n, kind)`` makes the next ``n`` sends fail like the real API does;
- :class:`WhatsAppUser` builds webhook payloads and :func:`signed` signs them
  (``X-Hub-Signature-256`` = ``sha256=`` HMAC-SHA256 of the raw body with the app secret).

It runs uvicorn in a thread, so it serves sync and async tests alike and never shares an
event loop with the test.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

VERSION = "v21.0"
FAULTS: dict[str, tuple[int, int, str]] = {  # kind: (HTTP status, error code, message)
    "rate_limit": (429, 130429, "(#130429) Rate limit hit"),
    "spam_rate_limit": (429, 80007, "(#80007) Rate limit issues"),
    "pair_rate_limit": (400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
    "server_error": (500, 131000, "Something went wrong"),
    "outside_window": (400, 131047, "Re-engagement message"),
    "undeliverable": (400, 131026, "Message undeliverable"),
    "invalid_recipient": (400, 100, "(#100) Invalid parameter"),
    "bad_token": (401, 190, "Error validating access token"),
}


def sign(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed(payload: Any, app_secret: str) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a webhook call as Meta sends it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(app_secret, body)}


_wamids = itertools.count(1)


def new_wamid(prefix: str = "IN") -> str:
    return f"wamid.FAKE{prefix}{next(_wamids):08d}"


def envelope(value: dict[str, Any], phone_number_id: str = "1234567890") -> dict[str, Any]:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6231000000", "phone_number_id": phone_number_id},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}],
    }


@dataclass
class WhatsAppUser:
    """A citizen on WhatsApp; each method returns a webhook payload with one message."""

    phone: str | None = "6281234567890"
    name: str = "Budi"
    bsuid: str | None = None
    phone_number_id: str = "1234567890"
    clock: Callable[[], datetime] | None = None  # the messages' timestamps; the real time when None
    last_wamid: str = ""

    def message(self, kind: str, body: dict[str, Any], wamid: str | None = None) -> dict[str, Any]:
        self.last_wamid = wamid or new_wamid()
        stamp = int(self.clock().timestamp() if self.clock else time.time())
        message: dict[str, Any] = {"id": self.last_wamid, "timestamp": str(stamp), "type": kind, kind: body}
        contact: dict[str, Any] = {"profile": {"name": self.name}}
        if self.phone:
            message["from"] = self.phone
            contact["wa_id"] = self.phone
        if self.bsuid:
            message["from_user_id"] = self.bsuid
            contact["user_id"] = self.bsuid
        return envelope({"contacts": [contact], "messages": [message]}, self.phone_number_id)

    def text(self, body: str, **kw: Any) -> dict[str, Any]:
        return self.message("text", {"body": body}, **kw)

    def button(self, button_id: str, title: str = "", **kw: Any) -> dict[str, Any]:
        reply = {"type": "button_reply", "button_reply": {"id": button_id, "title": title or button_id[:20]}}
        return self.message("interactive", reply, **kw)

    def list_choice(self, row_id: str, title: str = "", **kw: Any) -> dict[str, Any]:
        reply = {"type": "list_reply", "list_reply": {"id": row_id, "title": title or row_id[:24]}}
        return self.message("interactive", reply, **kw)

    def image(self, media_id: str, caption: str | None = None, mime: str = "image/jpeg", **kw: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"id": media_id, "mime_type": mime, "sha256": "x"}
        if caption is not None:
            body["caption"] = caption
        return self.message("image", body, **kw)

    def document(self, media_id: str, filename: str = "surat.pdf", caption: str | None = None,
                 mime: str = "application/pdf", **kw: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"id": media_id, "mime_type": mime, "filename": filename}
        if caption is not None:
            body["caption"] = caption
        return self.message("document", body, **kw)

    def location(self, latitude: float, longitude: float, name: str = "", **kw: Any) -> dict[str, Any]:
        return self.message("location", {"latitude": latitude, "longitude": longitude, "name": name}, **kw)

    def sticker(self, **kw: Any) -> dict[str, Any]:
        return self.message("sticker", {"id": "STICKER-1", "mime_type": "image/webp", "animated": False}, **kw)


def statuses_payload(wamid: str, recipient: str = "6281234567890", status: str = "delivered",
                     phone_number_id: str = "1234567890") -> dict[str, Any]:
    item = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": recipient}
    return envelope({"statuses": [item]}, phone_number_id)


@dataclass
class Fault:
    kind: str
    retry_after: float | None = None


@dataclass(frozen=True)
class SeenRequest:
    method: str
    host: str  # the Host header: "127.0.0.1:PORT" or "localhost:PORT"
    path: str
    with_token: bool  # the Authorization header carried the access token


@dataclass
class FakeGraphApi:
    access_token: str = "TEST-TOKEN"
    phone_number_id: str = "1234567890"
    app_secret: str = "app-secret"
    verify_token: str = "verify-me"
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted message objects, in order
    wamids: list[str] = field(default_factory=list)  # the wamid answered for each of ``sent``
    refused: list[dict[str, Any]] = field(default_factory=list)  # (body, error) of failed sends
    downloads: list[str] = field(default_factory=list)  # media ids whose bytes were fetched
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_urls: dict[str, str] = field(default_factory=dict)  # media id -> the URL its metadata gives
    media_sizes: dict[str, int] = field(default_factory=dict)  # media id -> the file_size its metadata claims
    redirects: dict[str, str] = field(default_factory=dict)  # media id -> where its download redirects
    media_origin: str | None = None  # where media URLs point; None: the server's own origin
    requests: list[SeenRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    # --- the test's side -------------------------------------------------------------

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/{VERSION}"

    def fail_next(self, times: int, kind: str, *, retry_after: float | None = None) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self.faults.extend(Fault(kind, retry_after) for _ in range(times))

    def add_media(self, media_id: str, content: bytes, mime_type: str = "image/jpeg", *, url: str | None = None,
                  claimed_size: int | None = None) -> None:
        self.media[media_id] = (content, mime_type)
        if url is not None:
            self.media_urls[media_id] = url
        if claimed_size is not None:
            self.media_sizes[media_id] = claimed_size

    def redirect_media(self, media_id: str, location: str) -> None:
        """The download of ``media_id`` answers 302 to ``location``."""
        self.redirects[media_id] = location

    @property
    def cdn_origin(self) -> str:
        """This server under another host name: a media host to allow, or not."""
        return f"http://localhost:{self.port}"

    def requests_to(self, host: str) -> list[SeenRequest]:
        """Requests that reached this server under ``host`` (a name, without the port)."""
        return [r for r in self.requests if r.host.rsplit(":", 1)[0] == host]

    def sent_to(self, recipient: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if recipient in (m.get("to"), m.get("recipient"))]

    def texts_to(self, recipient: str) -> list[str]:
        """What the recipient reads: text bodies, interactive bodies and template parameters."""
        return [message_text(m) for m in self.sent_to(recipient)]

    def reset(self) -> None:
        """Forget everything a test did (the server keeps running for the next one)."""
        with self._lock:
            self.sent.clear()
            self.wamids.clear()
            self.refused.clear()
            self.faults.clear()
            self.downloads.clear()
            self.media.clear()
            self.media_urls.clear()
            self.media_sizes.clear()
            self.redirects.clear()
            self.requests.clear()
            self.media_origin = None

    # --- the server ------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route(f"/{VERSION}/{{phone_id}}/messages", self._messages, methods=["POST"]),
            Route("/download/{media_id}", self._download, methods=["GET"]),
            Route(f"/{VERSION}/{{media_id}}", self._media_info, methods=["GET"]),
        ])

    def start(self) -> FakeGraphApi:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)  # connections queue from now on, so nobody has to wait for uvicorn
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- handlers --------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        authorised = request.headers.get("authorization") == f"Bearer {self.access_token}"
        with self._lock:
            self.requests.append(SeenRequest(request.method, request.headers.get("host", ""), request.url.path,
                                             authorised))
        return authorised

    @staticmethod
    def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        body = {"error": {"message": message, "type": "OAuthException", "code": code,
                          "error_data": {"messaging_product": "whatsapp", "details": message},
                          "fbtrace_id": "FAKE"}}
        return JSONResponse(body, status_code=status, headers=headers)

    async def _messages(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._error(401, 190, "Error validating access token")
        if request.path_params["phone_id"] != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request: unknown phone number id")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return self._error(400, 100, "(#100) Invalid JSON")
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            status, code, message = FAULTS[fault.kind]
            self.refused.append({"body": body, "code": code})
            headers = {"Retry-After": str(int(fault.retry_after))} if fault.retry_after is not None else None
            return self._error(status, code, message, headers)
        problem = check_message(body)
        if problem:
            self.refused.append({"body": body, "code": 100, "problem": problem})
            return self._error(400, 100, f"(#100) Invalid parameter: {problem}")
        self.sent.append(body)
        recipient = body.get("to") or body.get("recipient")
        wamid = new_wamid("OUT")
        self.wamids.append(wamid)
        return JSONResponse({"messaging_product": "whatsapp",
                             "contacts": [{"input": recipient, "wa_id": recipient}],
                             "messages": [{"id": wamid}]})

    async def _media_info(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._error(401, 190, "Error validating access token")
        media_id = request.path_params["media_id"]
        if media_id not in self.media:
            return self._error(404, 100, "(#100) Unsupported get request: unknown media")
        content, mime = self.media[media_id]
        url = self.media_urls.get(media_id) or f"{self.media_origin or self.root}/download/{media_id}"
        return JSONResponse({"messaging_product": "whatsapp", "id": media_id, "mime_type": mime,
                             "sha256": hashlib.sha256(content).hexdigest(), "file_size": self.media_sizes.get(media_id, len(content)),
                             "url": url})

    async def _download(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response(status_code=401)
        media_id = request.path_params["media_id"]
        if media_id in self.redirects:
            return Response(status_code=302, headers={"location": self.redirects[media_id]})
        if media_id not in self.media:
            return Response(status_code=404)
        self.downloads.append(media_id)
        content, mime = self.media[media_id]
        return Response(content, media_type=mime)


def message_text(message: dict[str, Any]) -> str:
    kind = message.get("type")
    if kind == "text":
        return message["text"]["body"]
    if kind == "interactive":
        return message["interactive"]["body"]["text"]
    if kind == "template":
        params = [p["text"] for c in message["template"].get("components", []) for p in c.get("parameters", [])]
        return " ".join(params)
    return ""


def message_buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of the reply buttons or list rows of a sent message."""
    interactive = message.get("interactive") or {}
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
    if interactive.get("type") == "list":
        return [(r["id"], r["title"]) for s in action.get("sections", []) for r in s.get("rows", [])]
    return []


def check_message(body: Any) -> str | None:
    """What the real API would refuse in a message object (the limits we rely on)."""
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not (body.get("to") or body.get("recipient")):
        return "to is required"
    kind = body.get("type", "text")
    if kind == "text":
        text = (body.get("text") or {}).get("body")
        if not isinstance(text, str) or not text or len(text) > 4096:
            return "text.body must be 1 to 4096 characters"
        return None
    if kind == "template":
        template = body.get("template") or {}
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            return "template name and language are required"
        for component in template.get("components", []):
            for param in component.get("parameters", []):
                value = param.get("text", "")
                if len(value) > 1024 or "\n" in value or "\t" in value or "     " in value:
                    return "template parameter has new-line/tab characters or is too long"
        return None
    if kind != "interactive":
        return f"unsupported type {kind}"
    interactive = body.get("interactive") or {}
    text = (interactive.get("body") or {}).get("text")
    if not isinstance(text, str) or not text or len(text) > 1024:
        return "interactive.body.text must be 1 to 1024 characters"
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return "1 to 3 buttons"
        ids = [b["reply"]["id"] for b in buttons]
        if len(set(ids)) != len(ids):
            return "button ids must be unique"
        if any(not 1 <= len(b["reply"]["title"]) <= 20 or len(b["reply"]["id"]) > 256 for b in buttons):
            return "button title must be 1 to 20 characters"
        return None
    if interactive.get("type") == "list":
        if not 1 <= len(action.get("button", "")) <= 20:
            return "list button must be 1 to 20 characters"
        rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
        if not 1 <= len(rows) <= 10:
            return "1 to 10 rows"
        if any(not 1 <= len(r["title"]) <= 24 or len(r.get("description", "")) > 72 or len(r["id"]) > 200
               for r in rows):
            return "row title must be 1 to 24 characters"
        return None
    return "unsupported interactive type"


@contextmanager
def running(**options: Any) -> Iterator[FakeGraphApi]:
    fake = FakeGraphApi(**options).start()
    try:
        yield fake
    finally:
        fake.stop()
