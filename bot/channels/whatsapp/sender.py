"""The outbox relay's WhatsApp sender: free text inside 24 hours, a template after."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from complaints.delivery import FailureKind
from complaints.notifications import DeliveryFailed, Notification

from .client import GraphApiError, WhatsAppClient
from .common import (
    AUTH_CODES,
    DEFAULT_RETRY_AFTER,
    OUTSIDE_WINDOW,
    RATE_LIMIT_CODES,
    TRANSIENT_CODES,
    LastInbound,
    mask,
)
from .render import render

log = logging.getLogger(__name__)

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


def failure_kind(code: int | None, status: int = 400) -> FailureKind:
    """A Graph API error in complaints.delivery's terms (the one policy decides the retry)."""
    if code == OUTSIDE_WINDOW:
        return FailureKind.OUTSIDE_WINDOW
    if status in (0, 401, 429) or status >= 500 or code in RATE_LIMIT_CODES | TRANSIENT_CODES | AUTH_CODES:
        return FailureKind.TRANSIENT
    return FailureKind.PERMANENT  # 131026 undeliverable, 131051 unsupported, 130472 experiment, 131021, 4xx


def delivery_failure(error: GraphApiError) -> DeliveryFailed:
    """How the outbox relay should treat a Graph API error."""
    code = "" if error.code is None else str(error.code)
    kind = failure_kind(error.code, error.status)
    if error.status == 429 or error.code in RATE_LIMIT_CODES:
        return DeliveryFailed(error.reason, retry_after=error.retry_after or DEFAULT_RETRY_AFTER, code=code, kind=kind)
    if error.status == 401 or error.code in AUTH_CODES:  # our token, not the recipient: keep retrying
        return DeliveryFailed(error.reason, retry_after=error.retry_after or 300.0, code=code, kind=kind)
    return DeliveryFailed(error.reason, retry_after=error.retry_after, code=code, kind=kind)


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

    async def send(self, notification: Notification) -> str | None:
        """Sent; the wamid of the (last) message. ``as_template``: only the template."""
        recipient = notification.recipient
        try:
            if not notification.as_template and await self.in_window(recipient):
                try:
                    return await self._free_text(notification)
                except GraphApiError as error:
                    if error.code != OUTSIDE_WINDOW:
                        raise
                    log.info("WhatsApp window closed for %s; sending the template", mask(recipient))
            return await self._template(notification)
        except GraphApiError as error:
            raise delivery_failure(error) from error

    async def _free_text(self, notification: Notification) -> str | None:
        wamid = None
        for message in render(notification.text, notification.buttons):
            await self.limiter.wait()
            wamid = await self.client.send(notification.recipient, message) or wamid
        return wamid

    async def _template(self, notification: Notification) -> str | None:
        await self.limiter.wait()
        wamid = await self.client.send_template(
            notification.recipient, self.template_name, self.template_language, [notification.text]
        )
        return wamid or None
