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

from .channel import WhatsAppChannel
from .client import GraphApiError, WhatsAppClient
from .inbound import (
    ContactWindow,
    InMemoryContactWindow,
    last_inbound_from_database,
    parse_webhook,
)
from .render import render
from .sender import RateLimiter, WhatsAppSender, delivery_failure

__all__ = [
    "ContactWindow", "GraphApiError", "InMemoryContactWindow", "RateLimiter", "WhatsAppChannel", "WhatsAppClient",
    "WhatsAppSender", "delivery_failure", "last_inbound_from_database", "parse_webhook", "render",
]
