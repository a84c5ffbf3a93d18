"""What follows when a channel says a notification did not arrive, or did.

The relay (a failure when sending) and the channels' status webhooks (a failure or a
delivery reported later) both come here; the rule itself is ``complaints.delivery.remedy``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from ..delivery import (
    DeliveryError,
    DeliveryStatus,
    FailureKind,
    OutboxState,
    Remedy,
    Retries,
    StatusReport,
    Undelivered,
    advances,
    person_chats,
    remedy,
)
from ..model import Complaint
from ..ports import OutboxItem, UnitOfWork

UNKNOWN_FAILURE = DeliveryError("", "failed", FailureKind.TRANSIENT)  # a "failed" status without errors


class Outcome(StrEnum):
    IGNORED = "ignored"  # an unknown message, or a status that moves nothing
    RECORDED = "recorded"  # delivered, read
    RESENT = "resent"  # the same again after a backoff
    AS_TEMPLATE = "as_template"  # queued again as the approved template
    REROUTED = "rerouted"  # failed here; queued to another chat of the same person
    FAILED = "failed"  # failed for good, visible


async def failed(
    uow: UnitOfWork, item: OutboxItem, failure: DeliveryError, now: datetime, retries: Retries,
    channels: Collection[str] | None = None,
) -> Outcome:
    """Apply the remedy for ``failure`` to ``item`` (``channels``: those another chat may be
    on; None: any)."""
    action = remedy(failure.kind, attempts=item.attempts, max_attempts=retries.max_attempts,
                    as_template=item.notification.as_template)
    if action is Remedy.RESEND:
        retry_at = now + retries.backoff(item.attempts, failure.retry_after)
        await uow.outbox.mark_failed(item.id, now, failure.reason, retry_at, failure)
        return Outcome.RESENT
    if action is Remedy.AS_TEMPLATE:
        await uow.outbox.resend(item.id, now, now, failure, as_template=True)
        return Outcome.AS_TEMPLATE
    await uow.outbox.mark_failed(item.id, now, failure.reason, None, failure)
    if action is Remedy.OTHER_CHANNEL and await _reroute(uow, item, now, channels):
        return Outcome.REROUTED
    return Outcome.FAILED


async def _reroute(uow: UnitOfWork, item: OutboxItem, now: datetime, channels: Collection[str] | None) -> bool:
    notice = item.notification
    if notice.complaint_code is None:
        return False
    complaint = await uow.complaints.get(notice.complaint_code)
    if complaint is None:
        return False
    for channel, recipient in person_chats(complaint, notice.channel, notice.recipient)[1:]:
        if channels is not None and channel not in channels:
            continue
        other = replace(notice, key=f"{notice.key}>{channel}", channel=channel, recipient=recipient,
                        as_template=False)
        if await uow.outbox.add(other, now):
            return True
    return False


async def record_status(
    uow: UnitOfWork, report: StatusReport, now: datetime, retries: Retries, channels: Collection[str] | None = None,
) -> Outcome:
    """A channel's later word on a message it accepted: sent → delivered → read, or failed
    (then the remedy). An unknown message, or a status that does not move it on, is ignored."""
    item = await uow.outbox.by_message_id(report.channel, report.message_id)
    if item is None or not advances(item.delivery, report.status):
        return Outcome.IGNORED
    if report.status is not DeliveryStatus.FAILED:
        await uow.outbox.record_delivery(item.id, report.status, report.at)
        return Outcome.RECORDED
    if item.state is not OutboxState.SENT:  # already queued again, or given up on
        return Outcome.IGNORED
    failure = report.error or UNKNOWN_FAILURE
    await uow.outbox.record_delivery(item.id, DeliveryStatus.FAILED, report.at, failure)
    return await failed(uow, item, failure, now, retries, channels)


async def undelivered(uow: UnitOfWork, complaint: Complaint) -> Undelivered | None:
    """Whether the complainant has not received the latest notice about their case: the
    last one queued to any of their chats failed for good."""
    chats = person_chats(complaint, complaint.channel, complaint.sender)
    item = await uow.outbox.latest_to(complaint.code, chats)
    if item is None or item.state is not OutboxState.FAILED:
        return None
    return Undelivered(item.notification.channel, item.error_code, item.error_title,
                       item.updated_at or item.created_at)


async def undelivered_since(uow: UnitOfWork, until: datetime, limit: int = 20) -> tuple[str, ...]:
    """The cases whose complainant has not received the latest notice since ``until`` or
    earlier, the most recent failure first (for the central admins' digest)."""
    codes: list[str] = []
    for item in await uow.outbox.failed(limit=10 * limit, until=until):
        code = item.notification.complaint_code
        if code is None or code in codes:
            continue
        complaint = await uow.complaints.get(code)
        fact = None if complaint is None else await undelivered(uow, complaint)
        if fact is not None and fact.since <= until:
            codes.append(code)
            if len(codes) >= limit:
                break
    return tuple(codes)
