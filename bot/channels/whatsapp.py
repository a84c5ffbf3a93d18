"""The WhatsApp Cloud API channel: a thin adapter between Meta's webhook and the engine.

In: ``GET`` verification handshake and ``POST`` webhook (``X-Hub-Signature-256`` HMAC over
the raw body, checked before anything is parsed). Each message becomes an
:class:`IncomingMessage` (sender = the phone number ``wa_id``, or the business-scoped user
id when only that is given; ``update_id`` = the ``wamid``, which the engine dedupes).
Out: the engine's replies as text (split at 4,096 characters), reply buttons (up to 3) or
list messages (4 to 10 rows; more are sent as several lists).

:class:`WhatsAppSender` delivers outbox notifications: free text inside the 24-hour
customer-service window, the configured approved template outside it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from complaints.notifications import Button, DeliveryFailed, Notification

from .. import texts
from ..messages import IncomingMessage, Media, OutgoingMessage

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"

# Limits of the Cloud API's message objects
MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_TEMPLATE_PARAM = 1024
MAX_WEBHOOK_BODY = 1024 * 1024  # Meta's payloads are a few KB; refuse anything absurd

PHONE = re.compile(r"^[0-9]{6,20}$")
# Business-scoped user id: ISO country code, a dot, alphanumerics (parent ids carry "ENT.")
BSUID = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")

MEDIA_TYPES: dict[str, str] = {  # accepted MIME types and the file extension they are stored with
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/plain": ".txt",
}
IGNORED_TYPES = frozenset({"reaction", "system", "ephemeral", "request_welcome"})

# Graph API error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016, 133004})
OUTSIDE_WINDOW = 131047
AUTH_CODES = frozenset({0, 190})
DEFAULT_RETRY_AFTER = 60.0

Handle = Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]
LastInbound = Callable[[str], Awaitable[datetime | None]]


def is_bsuid(identity: str) -> bool:
    return BSUID.match(identity) is not None


def mask(identity: str) -> str:
    """A phone number or user id as it may appear in logs."""
    return identity[:4] + "…" + identity[-2:] if len(identity) > 6 else "…"


# --- the Graph API client --------------------------------------------------------------


class GraphApiError(Exception):
    """The Graph API refused a call, or could not be reached (``status`` 0)."""

    def __init__(self, status: int, code: int | None, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} ({code}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def reason(self) -> str:
        head = f"WhatsApp HTTP {self.status}" if self.status else "WhatsApp tidak terjangkau"
        code = f" kode {self.code}" if self.code is not None else ""
        return f"{head}{code}: {self.message}"[:300]


class MediaRejected(Exception):
    """A file the citizen sent that we do not take; ``text`` says why, in Indonesian."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _error(response: httpx.Response) -> GraphApiError:
    code: int | None = None
    message = response.reason_phrase or "error"
    try:
        error = response.json().get("error") or {}
        code = int(error["code"]) if "code" in error else None
        details = (error.get("error_data") or {}).get("details")
        message = str(details or error.get("message") or message)
    except (ValueError, AttributeError, TypeError, KeyError):
        pass
    return GraphApiError(response.status_code, code, message[:200], _retry_after(response))


class WhatsAppClient:
    """A thin client for the Cloud API calls this project makes."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        phone_number_id: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.phone_number_id = phone_number_id
        self._token = access_token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: Any, **options: Any) -> WhatsAppClient:
        if not (settings.whatsapp_access_token and settings.whatsapp_phone_number_id):
            raise ValueError("whatsapp_access_token and whatsapp_phone_number_id must be set")
        return cls(settings.whatsapp_api_base, settings.whatsapp_access_token, settings.whatsapp_phone_number_id,
                   **options)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> WhatsAppClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, url, **kwargs)
        except httpx.HTTPError as error:  # network: timeouts, refused connections, resets
            raise GraphApiError(0, None, f"{type(error).__name__}: {error}"[:200]) from error
        if response.status_code >= 400:
            raise _error(response)
        return response

    async def send(self, recipient: str, message: dict[str, Any]) -> str:
        """POST one message object; returns its wamid."""
        body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        body["recipient" if is_bsuid(recipient) else "to"] = recipient
        body.update(message)
        response = await self._request("POST", f"{self.phone_number_id}/messages", json=body)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            return ""

    async def send_text(self, recipient: str, text: str) -> str:
        return await self.send(recipient, text_message(text))

    async def send_buttons(self, recipient: str, text: str, buttons: Sequence[Button]) -> str:
        return await self.send(recipient, button_message(text, buttons))

    async def send_list(self, recipient: str, text: str, buttons: Sequence[Button]) -> str:
        return await self.send(recipient, list_message(text, buttons))

    async def send_template(self, recipient: str, name: str, language: str, params: Sequence[str] = ()) -> str:
        return await self.send(recipient, template_message(name, language, params))

    async def download_media(self, media_id: str, max_bytes: int) -> tuple[bytes, str]:
        """The file behind a media id and its MIME type; MediaRejected when too large."""
        meta = (await self._request("GET", media_id)).json()
        url = meta.get("url")
        mime = str(meta.get("mime_type") or "").split(";")[0].strip().lower()
        if not isinstance(url, str) or not url:
            raise GraphApiError(200, None, "media URL missing")
        size = meta.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaRejected(_too_large(max_bytes))
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error(response)
                chunks: list[bytes] = []
                total = 0
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
                    if total > max_bytes:
                        raise MediaRejected(_too_large(max_bytes))
                    chunks.append(chunk)
        except httpx.HTTPError as error:
            raise GraphApiError(0, None, f"{type(error).__name__}: {error}"[:200]) from error
        return b"".join(chunks), mime


def _too_large(max_bytes: int) -> str:
    mb = 1024 * 1024
    limit = f"{max_bytes // mb} MB" if max_bytes >= mb else f"{max(max_bytes // 1024, 1)} KB"
    return texts.WA_MEDIA_TOO_LARGE.format(limit=limit)


# --- message objects -------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line break or space where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def text_message(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def button_message(text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": clip(text, MAX_INTERACTIVE_BODY)},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.id[:MAX_BUTTON_ID], "title": clip(b.label, MAX_BUTTON_TITLE)}}
                    for b in buttons[:MAX_REPLY_BUTTONS]
                ]
            },
        },
    }


def _row(button: Button) -> dict[str, str]:
    row = {"id": button.id[:MAX_ROW_ID], "title": clip(button.label, MAX_ROW_TITLE)}
    if len(button.label) > MAX_ROW_TITLE:  # the whole label stays readable below the title
        row["description"] = clip(button.label, MAX_ROW_DESCRIPTION)
    return row


def list_message(text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": clip(text, MAX_INTERACTIVE_BODY)},
            "action": {
                "button": clip(texts.WA_LIST_BUTTON, MAX_BUTTON_TITLE),
                "sections": [{"rows": [_row(b) for b in buttons[:MAX_LIST_ROWS]]}],
            },
        },
    }


def template_param(text: str) -> str:
    """Template parameters may not hold line breaks, tabs or runs of spaces."""
    flat = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    flat = re.sub(r"\s+", " ", flat)
    return clip(flat, MAX_TEMPLATE_PARAM) or "-"


def template_message(name: str, language: str, params: Sequence[str] = ()) -> dict[str, Any]:
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if params:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": template_param(p)} for p in params]}
        ]
    return {"type": "template", "template": template}


def render(text: str, buttons: Sequence[Button] = ()) -> list[dict[str, Any]]:
    """The message objects that show one reply: text pieces, then its choices."""
    if not buttons:
        return [text_message(piece) for piece in split_text(text) if piece.strip()]
    messages: list[dict[str, Any]] = []
    body = text
    if len(text) > MAX_INTERACTIVE_BODY or not text.strip():
        messages = [text_message(piece) for piece in split_text(text)] if text.strip() else []
        body = texts.WA_CHOOSE
    if len(buttons) <= MAX_REPLY_BUTTONS:
        return [*messages, button_message(body, buttons)]
    groups = [buttons[i : i + MAX_LIST_ROWS] for i in range(0, len(buttons), MAX_LIST_ROWS)]
    messages.append(list_message(body, groups[0]))
    messages.extend(list_message(texts.WA_MORE_CHOICES, group) for group in groups[1:])
    return messages


# --- the 24-hour window ----------------------------------------------------------------


class ContactWindow(Protocol):
    """When each sender last wrote to us: free text is allowed for 24 hours after it."""

    async def touch(self, sender: str, at: datetime) -> None: ...

    async def last_inbound(self, sender: str) -> datetime | None: ...


class InMemoryContactWindow:
    """For tests and single-process demos; production reads the database (see below)."""

    def __init__(self) -> None:
        self._last: dict[str, datetime] = {}

    async def touch(self, sender: str, at: datetime) -> None:
        previous = self._last.get(sender)
        if previous is None or at > previous:
            self._last[sender] = at

    async def last_inbound(self, sender: str) -> datetime | None:
        return self._last.get(sender)


def last_inbound_from_database(uow_factory: Callable[[], Any], channel: str = CHANNEL) -> LastInbound:
    """``last_inbound`` read from the deliveries the engine records (``inbound_updates``)."""

    async def last_inbound(sender: str) -> datetime | None:
        async with uow_factory() as uow:
            return await uow.inbox.last_inbound(channel, sender)

    return last_inbound


# --- inbound ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbound:
    """One message of a webhook call, before media is fetched."""

    wamid: str
    sender: str
    kind: str  # text | media | location | button | unsupported
    sent_at: datetime | None = None
    text: str | None = None
    button: str | None = None
    location: tuple[float, float] | None = None
    media_kind: str | None = None  # photo | document
    media_id: str | None = None
    caption: str = ""


def _sender(message: dict[str, Any], contacts: list[Any]) -> str | None:
    """The phone number (wa_id) when given, else the business-scoped user id."""
    # contacts[] describes the senders of messages[]; with one sender it is unambiguous
    contact = contacts[0] if len(contacts) == 1 and isinstance(contacts[0], dict) else {}
    for value in (message.get("from"), contact.get("wa_id")):
        if isinstance(value, str) and PHONE.match(value):
            return value
    for value in (message.get("from_user_id"), contact.get("user_id"), message.get("from")):
        if isinstance(value, str) and BSUID.match(value):
            return value
    return None


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _str(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _inbound(message: dict[str, Any], contacts: list[Any]) -> Inbound | None:
    wamid, kind = message.get("id"), message.get("type")
    sender = _sender(message, contacts)
    if not isinstance(wamid, str) or not wamid or len(wamid) > 255 or sender is None:
        return None
    if kind in IGNORED_TYPES:
        return None
    base: dict[str, Any] = {"wamid": wamid, "sender": sender, "sent_at": _timestamp(message.get("timestamp"))}
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text" and isinstance(body.get("body"), str):
        return Inbound(kind="text", text=body["body"], **base)
    if kind in ("image", "document") and isinstance(body.get("id"), str):
        return Inbound(
            kind="media", media_kind="photo" if kind == "image" else "document",
            media_id=body["id"][:255], caption=_str(body.get("caption"), 4096), **base,
        )
    if kind == "location":
        lat, lon = body.get("latitude"), body.get("longitude")
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return Inbound(kind="location", location=(float(lat), float(lon)), **base)
    if kind == "interactive":
        reply = body.get(body.get("type")) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(reply, dict) and isinstance(reply.get("id"), str) and reply["id"]:
            return Inbound(kind="button", button=reply["id"][:MAX_BUTTON_ID], **base)
    if kind == "button" and isinstance(body.get("payload"), str) and body["payload"]:
        return Inbound(kind="button", button=body["payload"][:MAX_BUTTON_ID], **base)  # template quick reply
    return Inbound(kind="unsupported", **base)


def parse_webhook(payload: Any, phone_number_id: str | None = None) -> list[Inbound]:
    """The messages of a webhook payload, in order; statuses and other fields are skipped."""
    found: list[Inbound] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for entry in payload.get("entry") or []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if phone_number_id and metadata.get("phone_number_id") not in (None, phone_number_id):
                continue  # another number on the same app
            contacts = value.get("contacts") if isinstance(value.get("contacts"), list) else []
            messages = value.get("messages") if isinstance(value.get("messages"), list) else []
            for message in messages:
                inbound = _inbound(message, contacts) if isinstance(message, dict) else None
                if inbound is not None:
                    found.append(inbound)
    return found


def valid_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header[len("sha256="):].strip().lower().encode())


class WhatsAppChannel:
    """Routes for the HTTP server: ``GET`` handshake and ``POST`` updates on one path."""

    def __init__(
        self,
        engine_handle: Handle,
        client: WhatsAppClient,
        verify_token: str,
        app_secret: str,
        media_dir: Path,
        max_media_bytes: int,
        clock: Callable[[], datetime],
        window: ContactWindow | None = None,
    ) -> None:
        if not verify_token or not app_secret:
            raise ValueError("whatsapp_verify_token and whatsapp_app_secret must be set")
        self.handle = engine_handle
        self.client = client
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.media_dir = Path(media_dir)
        self.max_media_bytes = max_media_bytes
        self.clock = clock
        self.window = window

    def routes(self, path: str = "/whatsapp/webhook") -> list[Route]:
        return [Route(path, self.verify, methods=["GET"]), Route(path, self.webhook, methods=["POST"])]

    async def verify(self, request: Request) -> Response:
        params = request.query_params
        token = params.get("hub.verify_token", "")
        ok = hmac.compare_digest(token.encode(), self.verify_token.encode())
        if params.get("hub.mode") == "subscribe" and ok and params.get("hub.challenge"):
            return PlainTextResponse(params["hub.challenge"][:256])
        return PlainTextResponse("forbidden", status_code=403)

    async def webhook(self, request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_WEBHOOK_BODY:
                return PlainTextResponse("too large", status_code=413)
        raw = bytes(body)
        if not valid_signature(self.app_secret, raw, request.headers.get("x-hub-signature-256")):
            log.warning("WhatsApp webhook with a missing or bad signature refused")
            return PlainTextResponse("bad signature", status_code=401)
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            return PlainTextResponse("malformed JSON", status_code=400)
        for inbound in parse_webhook(payload, self.client.phone_number_id):
            await self.process(inbound)
        return PlainTextResponse("ok")

    async def process(self, inbound: Inbound) -> None:
        now = self.clock()
        if self.window is not None:
            sent_at = inbound.sent_at if inbound.sent_at is not None and inbound.sent_at <= now else now
            await self.window.touch(inbound.sender, sent_at)
        if inbound.kind == "unsupported":
            await self.reply(inbound.sender, [OutgoingMessage(CHANNEL, inbound.sender, texts.WA_UNSUPPORTED)])
            return
        message = IncomingMessage(CHANNEL, inbound.sender, update_id=inbound.wamid)
        if inbound.kind == "text":
            message = IncomingMessage(CHANNEL, inbound.sender, text=inbound.text, update_id=inbound.wamid)
        elif inbound.kind == "button":
            message = IncomingMessage(CHANNEL, inbound.sender, button=inbound.button, update_id=inbound.wamid)
        elif inbound.kind == "location":
            message = IncomingMessage(CHANNEL, inbound.sender, location=inbound.location, update_id=inbound.wamid)
        elif inbound.kind == "media":
            try:
                media = await self.fetch(inbound)
            except MediaRejected as rejected:
                await self.reply(inbound.sender, [OutgoingMessage(CHANNEL, inbound.sender, rejected.text)])
                return
            message = IncomingMessage(CHANNEL, inbound.sender, media=media, update_id=inbound.wamid)
        replies = await self.handle(message, now)
        await self.reply(inbound.sender, replies)

    async def fetch(self, inbound: Inbound) -> Media:
        """Download a photo or document into the media store."""
        assert inbound.media_id is not None and inbound.media_kind is not None
        try:
            content, mime = await self.client.download_media(inbound.media_id, self.max_media_bytes)
        except GraphApiError as error:
            log.warning("WhatsApp media download failed: %s", error.reason)
            raise MediaRejected(texts.WA_MEDIA_FAILED) from error
        extension = MEDIA_TYPES.get(mime)
        if extension is None or (inbound.media_kind == "photo" and not mime.startswith("image/")):
            raise MediaRejected(texts.WA_MEDIA_TYPE)
        name = SAFE_NAME.sub("_", inbound.media_id)[:120] or uuid.uuid4().hex
        path = self.media_dir / CHANNEL / f"{name}{extension}"
        try:
            await asyncio.to_thread(_write_atomically, path, content)
        except OSError as error:
            log.error("WhatsApp media not stored in %s: %s", self.media_dir, error)
            raise MediaRejected(texts.WA_MEDIA_FAILED) from error
        return Media(inbound.media_kind, str(path), inbound.caption, source=f"{CHANNEL}:{inbound.media_id}")

    async def reply(self, recipient: str, replies: Iterable[OutgoingMessage]) -> None:
        """Send direct replies; a failure is logged (the conversation state is already saved)."""
        for reply in replies:
            for message in render(reply.text, reply.buttons):
                try:
                    await self.client.send(reply.recipient or recipient, message)
                except GraphApiError as error:
                    log.warning("WhatsApp reply to %s not sent: %s", mask(recipient), error.reason)
                    return


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    temporary.write_bytes(content)
    os.replace(temporary, path)


# --- outbound: the outbox relay's sender ------------------------------------------------


class RateLimiter:
    """At most ``per_second`` calls a second, spaced evenly; time and sleep injectable."""

    def __init__(
        self,
        per_second: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self.monotonic = monotonic
        self.sleep = sleep
        self._next = 0.0

    async def wait(self) -> None:
        now = self.monotonic()
        start = max(now, self._next)
        self._next = start + self.interval  # reserved before sleeping: concurrent callers queue up
        if start > now:
            await self.sleep(start - now)


def delivery_failure(error: GraphApiError) -> DeliveryFailed:
    """How the outbox relay should treat a Graph API error."""
    if error.status == 429 or error.code in RATE_LIMIT_CODES:
        return DeliveryFailed(error.reason, retry_after=error.retry_after or DEFAULT_RETRY_AFTER)
    if error.status == 0 or error.status >= 500 or error.code in TRANSIENT_CODES:
        return DeliveryFailed(error.reason, retry_after=error.retry_after)
    if error.status == 401 or error.code in AUTH_CODES:  # our token, not the recipient: keep retrying
        return DeliveryFailed(error.reason, retry_after=error.retry_after or 300.0)
    return DeliveryFailed(error.reason, permanent=True)  # 131026 undeliverable, invalid recipient, 4xx


class WhatsAppSender:
    """Delivers outbox notifications: free text (with buttons) inside the 24-hour window
    after the citizen's last message, the approved template outside it."""

    def __init__(
        self,
        client: WhatsAppClient,
        last_inbound: LastInbound,
        template_name: str,
        template_language: str,
        clock: Callable[[], datetime],
        *,
        window: timedelta = timedelta(hours=24),
        margin: timedelta = timedelta(minutes=5),
        limiter: RateLimiter | None = None,
    ) -> None:
        self.client = client
        self.last_inbound = last_inbound
        self.template_name = template_name
        self.template_language = template_language
        self.clock = clock
        self.window = window
        self.margin = margin  # the window closes a little early: no send races its end
        self.limiter = limiter or RateLimiter(80)

    async def in_window(self, recipient: str) -> bool:
        last = await self.last_inbound(recipient)
        return last is not None and self.clock() - last < self.window - self.margin

    async def send(self, notification: Notification) -> None:
        recipient = notification.recipient
        try:
            if await self.in_window(recipient):
                try:
                    await self._free_text(notification)
                    return
                except GraphApiError as error:
                    if error.code != OUTSIDE_WINDOW:
                        raise
                    log.info("WhatsApp window closed for %s; sending the template", mask(recipient))
            await self._template(notification)
        except GraphApiError as error:
            raise delivery_failure(error) from error

    async def _free_text(self, notification: Notification) -> None:
        for message in render(notification.text, notification.buttons):
            await self.limiter.wait()
            await self.client.send(notification.recipient, message)

    async def _template(self, notification: Notification) -> None:
        await self.limiter.wait()
        await self.client.send_template(
            notification.recipient, self.template_name, self.template_language, [notification.text]
        )
