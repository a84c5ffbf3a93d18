"""The webhook routes: verification handshake and signed message deliveries."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ...media import Accepted, CappedBuffer, MediaPolicy, MediaStore, Refused
from ...messages import Kind, Media, OutgoingMessage, Seen
from ..files import DownloadFailed, receive
from .client import GraphApiError, InvalidMediaId, UntrustedMediaUrl, WhatsAppClient
from .common import CHANNEL, MAX_WEBHOOK_BODY, Handle, mask
from .inbound import ContactWindow, Inbound, parse_webhook, valid_signature
from .render import render
from .statuses import StatusSink, parse_statuses

log = logging.getLogger(__name__)

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
        *,
        policy: MediaPolicy | None = None,
        seen: Seen | None = None,
        statuses: StatusSink | None = None,
    ) -> None:
        if not verify_token or not app_secret:
            raise ValueError("whatsapp_verify_token and whatsapp_app_secret must be set")
        self.handle = engine_handle
        self.client = client
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.media_dir = Path(media_dir)
        self.max_media_bytes = max_media_bytes
        self.policy = policy or MediaPolicy(max_bytes=max_media_bytes)
        self.store = MediaStore(self.media_dir)
        self.clock = clock
        self.window = window
        self.seen = seen  # whether a delivery was handled before (the engine's record of it)
        self.statuses = statuses  # where delivery statuses go (statuses.status_sink); None: dropped

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
        # 200 even when handling failed or the database is down: the citizen has been
        # answered (texts.DATABASE_UNAVAILABLE: try again in a moment), and a redelivery by
        # Meta on top of the citizen's own resend would be taken twice. See the Telegram
        # webhook (bot/channels/telegram.py), which answers the same way.
        for inbound in parse_webhook(payload, self.client.phone_number_id):
            try:
                await self.process(inbound)
            except Exception:  # one message must not keep the others of the call from being handled
                log.exception("handling WhatsApp message %s failed", inbound.wamid)
        reports = parse_statuses(payload, self.client.phone_number_id, self.clock())
        if reports and self.statuses is not None:  # recorded, never answered
            try:
                await self.statuses(reports, self.clock())
            except Exception:
                log.exception("recording WhatsApp statuses failed")
        return PlainTextResponse("ok")

    async def process(self, inbound: Inbound) -> None:
        """One message, whatever its type, handed to the engine (which deduplicates,
        throttles, counts and records it, and decides the reply); a file is fetched first,
        unless the message was handled before, and one refused is handed over as such."""
        now = self.clock()
        if self.window is not None:
            sent_at = inbound.sent_at if inbound.sent_at is not None and inbound.sent_at <= now else now
            await self.window.touch(inbound.sender, sent_at)
        message = inbound.message
        if inbound.media_id is not None:
            if self.seen is not None and await self.seen(message):
                return  # a repeat delivery of a file: answered before, not downloaded again
            media = await self.fetch(inbound)
            if isinstance(media, Refused):  # nothing changes in the draft; the engine says why
                notice = self.policy.refusal_text(media.reason, inbound.media_kind or "photo")
                message = replace(message, kind=Kind.REFUSED, notice=notice)
            else:
                message = replace(message, media=media)
        replies = await self.handle(message, now)
        await self.reply(inbound.sender, replies)

    async def fetch(self, inbound: Inbound) -> Media | Refused:
        """Download a photo, document, voice note or video into the media store, or say why
        it is refused. What it is comes from its bytes: the MIME type and the message type
        a webhook declares are not believed; the type only caps the download (a voice
        note's limit, a video's) and settles voice against video."""
        media_id, declared = inbound.media_id, inbound.media_kind
        assert media_id is not None and declared is not None

        async def download(out: CappedBuffer, policy: MediaPolicy) -> None:
            try:
                await self.client.download_media(media_id, out, policy=policy)
            except InvalidMediaId as error:  # the id is not logged: it is whatever the payload held
                log.warning("a WhatsApp media id that is not a number was refused (from %s)", mask(inbound.sender))
                raise DownloadFailed("media id not a number") from error
            except UntrustedMediaUrl as error:
                log.warning("WhatsApp media not fetched, its URL is not on an allowed host: %s", error)
                raise DownloadFailed("untrusted media URL") from error
            except GraphApiError as error:
                log.warning("WhatsApp media download failed: %s", error.reason)
                raise DownloadFailed(error.reason) from error

        def name(accepted: Accepted) -> Path:
            return Path(CHANNEL, f"{media_id}{accepted.suffix}")  # a number: a safe name

        taken = await receive(self.policy, self.store, declared, download, name, CHANNEL)
        if isinstance(taken, Refused):
            return taken
        accepted, path = taken
        return Media(accepted.kind, str(path), inbound.caption, source=f"{CHANNEL}:{media_id}")

    async def reply(self, recipient: str, replies: Iterable[OutgoingMessage]) -> None:
        """Send direct replies; a failure is logged (the conversation state is already saved)."""
        for reply in replies:
            for message in render(reply.text, reply.buttons):
                try:
                    await self.client.send(reply.recipient or recipient, message)
                except GraphApiError as error:
                    log.warning("WhatsApp reply to %s not sent: %s", mask(recipient), error.reason)
                    return

