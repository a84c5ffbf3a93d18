"""Constants and small helpers of the WhatsApp Cloud API channel."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from ...messages import IncomingMessage, OutgoingMessage

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
