"""WhatsApp's statuses: ``entry[].changes[].value.statuses[]`` of a webhook payload read into
:class:`complaints.delivery.StatusReport`s, and where they go.

A status is ``{id: wamid, status: sent|delivered|read|failed, timestamp, recipient_id,
errors: [{code, title, message, error_data: {details}}]}``. Its error code is translated
once, by :func:`bot.channels.whatsapp.sender.failure_kind` (the same as for an error when
sending); what follows is complaints.delivery's. Statuses never produce a reply.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import Any

from complaints.delivery import DeliveryError, DeliveryStatus, Retries, StatusReport
from complaints.ports import UnitOfWork
from complaints.usecases import delivery
from complaints.usecases.delivery import Outcome

from .common import CHANNEL
from .sender import failure_kind

log = logging.getLogger(__name__)

MAX_TITLE = 255

# what the webhook hands the statuses of one call to, with the time it came
StatusSink = Callable[[list[StatusReport], datetime], Awaitable[None]]


def parse_statuses(payload: Any, phone_number_id: str | None, now: datetime) -> list[StatusReport]:
    """The statuses of a webhook payload, in order; anything malformed is skipped. A status
    dated in the future (or not at all) is taken as of ``now``."""
    found: list[StatusReport] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for value in _values(payload):
        metadata = value.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        if phone_number_id and metadata.get("phone_number_id") not in (None, phone_number_id):
            continue  # another number on the same app
        statuses = value.get("statuses")
        for item in statuses if isinstance(statuses, list) else []:
            report = _status(item, now) if isinstance(item, dict) else None
            if report is not None:
                found.append(report)
    return found


def _values(payload: dict[str, Any]) -> list[dict[str, Any]]:
    values = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if isinstance(change, dict) and change.get("field") == "messages" and isinstance(change.get("value"), dict):
                values.append(change["value"])
    return values


def _status(item: dict[str, Any], now: datetime) -> StatusReport | None:
    wamid, name = item.get("id"), item.get("status")
    if not isinstance(wamid, str) or not wamid or len(wamid) > 255:
        return None
    try:
        status = DeliveryStatus(str(name))
    except ValueError:  # "deleted", "warning", anything new: not a delivery status
        return None
    error = _error(item.get("errors")) if status is DeliveryStatus.FAILED else None
    return StatusReport(CHANNEL, wamid, status, _moment(item.get("timestamp"), now), error)


def _moment(value: Any, now: datetime) -> datetime:
    try:
        at = datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now
    return at if at <= now else now


def _error(errors: Any) -> DeliveryError | None:
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else None
    if first is None:
        return None
    try:
        code: int | None = int(first["code"])
    except (KeyError, TypeError, ValueError):
        code = None
    title = first.get("title") or first.get("message") or ""
    return DeliveryError("" if code is None else str(code), str(title)[:MAX_TITLE], failure_kind(code))


def status_sink(
    uow_factory: Callable[[], UnitOfWork], retries: Retries = Retries(), channels: Collection[str] | None = None,
) -> StatusSink:
    """Each status in its own transaction, through complaints.usecases.delivery; one that
    fails is logged and does not keep the others from being recorded."""

    async def record(reports: list[StatusReport], now: datetime) -> None:
        for report in reports:
            try:
                async with uow_factory() as uow:
                    outcome = await delivery.record_status(uow, report, now, retries, channels)
                    await uow.commit()
            except Exception:
                log.exception("recording the WhatsApp status of %s failed", report.message_id)
                continue
            if outcome is Outcome.IGNORED:
                log.debug("WhatsApp status %s for %s changes nothing", report.status.value, report.message_id)
            elif report.error is not None:
                log.warning("WhatsApp message %s failed (%s %s): %s", report.message_id, report.error.code,
                            report.error.title, outcome.value)
            else:
                log.debug("WhatsApp message %s: %s", report.message_id, report.status.value)

    return record
