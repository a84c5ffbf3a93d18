"""complaints.delivery: the order of delivery statuses, the one remedy per failure kind,
and the chats known to reach a complainant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.telegram import delivery_failure as telegram_failure
from bot.channels.whatsapp.sender import failure_kind
from bot.channels.whatsapp.statuses import parse_statuses
from complaints.delivery import (
    DeliveryStatus,
    FailureKind,
    Remedy,
    Retries,
    advances,
    person_chats,
    remedy,
)
from complaints.model import Complainant, Complaint

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
S, D, R, F = DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.FAILED


@pytest.mark.parametrize(("current", "new", "moves"), [
    (None, S, True), (S, D, True), (D, R, True), (S, R, True), (R, D, False), (D, S, False), (R, R, False),
    (S, F, True), (D, F, False), (R, F, False), (F, D, False), (F, F, False),
])
def test_statuses_only_move_forward(current, new, moves) -> None:
    assert advances(current, new) is moves


def test_each_failure_kind_has_one_remedy() -> None:
    def of(kind: FailureKind, attempts: int = 1, template: bool = False) -> Remedy:
        return remedy(kind, attempts=attempts, max_attempts=8, as_template=template)

    assert of(FailureKind.OUTSIDE_WINDOW) is Remedy.AS_TEMPLATE
    assert of(FailureKind.OUTSIDE_WINDOW, template=True) is Remedy.GIVE_UP
    assert of(FailureKind.PERMANENT) is Remedy.OTHER_CHANNEL
    assert of(FailureKind.TRANSIENT) is Remedy.RESEND
    assert of(FailureKind.TRANSIENT, attempts=8) is Remedy.GIVE_UP
    assert Retries().backoff(1) == timedelta(seconds=5) and Retries().backoff(3, retry_after=60) == timedelta(minutes=1)


@pytest.mark.parametrize(("code", "kind"), [
    (131047, FailureKind.OUTSIDE_WINDOW), (131026, FailureKind.PERMANENT), (131051, FailureKind.PERMANENT),
    (130472, FailureKind.PERMANENT), (131021, FailureKind.PERMANENT), (131000, FailureKind.TRANSIENT),
    (131016, FailureKind.TRANSIENT), (133004, FailureKind.TRANSIENT), (130429, FailureKind.TRANSIENT),
])
def test_graph_api_codes_are_translated_once(code: int, kind: FailureKind) -> None:
    assert failure_kind(code) is kind


def test_telegrams_403_is_a_permanent_failure() -> None:
    from telegram.error import Forbidden, TimedOut

    blocked = telegram_failure(Forbidden("Forbidden: bot was blocked by the user"))
    assert blocked.permanent and blocked.error.code == "403" and blocked.error.kind is FailureKind.PERMANENT
    assert telegram_failure(TimedOut()).error.kind is FailureKind.TRANSIENT


def test_a_complainant_is_reached_on_the_whatsapp_number_they_gave() -> None:
    filed = Complaint("LPR-7KQ3-MN", "x", "telegram", "2002", NOW, complainant=Complainant(phone="+6281234567890"))
    assert person_chats(filed, "telegram", "2002") == [("telegram", "2002"), ("whatsapp", "6281234567890")]
    assert person_chats(filed, "console", "officer-1") == [("console", "officer-1")]  # an officer: only theirs
    anonymous = Complaint("LPR-7KQ3-MP", "x", "telegram", "2002", NOW)
    assert person_chats(anonymous, "telegram", "2002") == [("telegram", "2002")]


def test_statuses_are_read_from_a_webhook_payload() -> None:
    value = {"metadata": {"phone_number_id": "1"}, "statuses": [
        {"id": "wamid.A", "status": "delivered", "timestamp": str(int((NOW - timedelta(minutes=1)).timestamp()))},
        {"id": "wamid.B", "status": "failed", "timestamp": "99999999999",
         "errors": [{"code": 131026, "title": "Message undeliverable"}]},
        {"id": "wamid.C", "status": "deleted"}, {"status": "read"}, "junk",
    ]}
    payload = {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": value}]}]}
    first, second = parse_statuses(payload, "1", NOW)
    assert (first.message_id, first.status, first.at, first.error) == ("wamid.A", D, NOW - timedelta(minutes=1), None)
    assert (second.status, second.at) == (F, NOW)  # a moment in the future is taken as now
    assert second.error is not None and (second.error.code, second.error.kind) == ("131026", FailureKind.PERMANENT)
    assert parse_statuses(payload, "2", NOW) == []  # another number's
