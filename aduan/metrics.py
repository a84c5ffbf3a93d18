"""Prometheus metrics of one running App, in its own registry (never the global one).

Most figures are counted in the database when /metrics is scraped, so every process
(server, scheduler) reports the same numbers and a restart loses nothing: complaints by
status, overdue stages, the outbox backlog, deliveries received per channel,
notifications sent per channel, and the last sweep (written to ``job_runs`` by whichever
process ran it). Only the direct replies to chat messages are counted in this process,
by wrapping the engine's ``handle`` where the channels are wired (aduan/channels.py).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.messages import IncomingMessage, OutgoingMessage
from complaints.sweep import Sweeper, SweepReport
from complaints.taxonomy import Status
from storage.job_runs import record_job_run
from storage.queries import MetricsSnapshot, metrics_snapshot

log = logging.getLogger(__name__)

SWEEP_JOB = "sweep"
Handle = Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]


class _Collector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        snapshot, replies = self.metrics.snapshot, self.metrics.replies
        received = CounterMetricFamily("aduan_messages_in", "Channel deliveries received (each counted once).",
                                       labels=["channel"])
        for channel, count in sorted(snapshot.inbound_by_channel.items()):
            received.add_metric([channel], count)
        yield received
        kinds = CounterMetricFamily(
            "aduan_updates_handled",
            "Updates this process handed to the engine, by kind (message, unsupported, refused, service, group, "
            "edit, delete, number_changed, contact); repeat deliveries included.",
            labels=["channel", "kind"],
        )
        for (channel, kind), count in sorted(self.metrics.updates.items()):
            kinds.add_metric([channel, kind], count)
        yield kinds

        sent = CounterMetricFamily(
            "aduan_messages_out",
            "Messages sent: kind=notification (outbox, delivered), kind=reply (direct replies of this process).",
            labels=["channel", "kind"],
        )
        for (status, channel), count in sorted(snapshot.outbox.items()):
            if status == "sent":
                sent.add_metric([channel, "notification"], count)
        for channel, count in sorted(replies.items()):
            sent.add_metric([channel, "reply"], count)
        yield sent

        by_status = GaugeMetricFamily("aduan_complaints", "Complaints by status.", labels=["status"])
        for status in Status:
            by_status.add_metric([status.value], snapshot.complaints_by_status.get(status.value, 0))
        yield by_status
        yield GaugeMetricFamily("aduan_complaints_overdue", "Open complaints whose stage deadline has passed.",
                                value=snapshot.overdue)

        for state, text in (("pending", "Notifications waiting to be delivered (backlog)."),
                            ("failed", "Notifications given up on (aduan outbox failed).")):
            family = GaugeMetricFamily(f"aduan_outbox_{state}", text, labels=["channel"])
            for (status, channel), count in sorted(snapshot.outbox.items()):
                if status == state:
                    family.add_metric([channel], count)
            yield family

        # what the channels said of the messages they accepted (WhatsApp statuses; Telegram's
        # refusals when sending): failed counts every failure, also those retried since
        deliveries = GaugeMetricFamily(
            "aduan_outbox_delivery", "Notifications by the channel's last delivery status (sent, delivered, read, "
            "failed).", labels=["channel", "status"])
        for (status, channel), count in sorted(snapshot.deliveries.items()):
            deliveries.add_metric([channel, status], count)
        yield deliveries

        sweep = snapshot.jobs.get(SWEEP_JOB)
        if sweep is not None:
            yield GaugeMetricFamily("aduan_sweep_last_duration_seconds", "How long the last escalation sweep took.",
                                    value=sweep.last_duration_seconds)
            yield GaugeMetricFamily("aduan_sweep_last_run_timestamp_seconds",
                                    "When the last escalation sweep ran (as of), Unix time.",
                                    value=sweep.last_started_at.timestamp())
            yield CounterMetricFamily("aduan_sweep_runs", "Escalation sweeps run.", value=sweep.runs)


@dataclass(eq=False)
class Metrics:
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=False))
    replies: Counter[str] = field(default_factory=Counter)  # channel -> direct replies sent
    updates: Counter[tuple[str, str]] = field(default_factory=Counter)  # (channel, kind) -> updates handled
    snapshot: MetricsSnapshot = field(default_factory=MetricsSnapshot)

    def __post_init__(self) -> None:
        self.registry.register(_Collector(self))

    def count_replies(self, handle: Handle) -> Handle:
        """The engine's ``handle``, counting the direct replies it returns per channel."""

        async def counted(msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
            self.updates[(msg.channel, str(msg.kind))] += 1
            replies = await handle(msg, now)
            for reply in replies:
                self.replies[reply.channel] += 1
            return replies

        return counted

    async def render(self, db: AsyncEngine, now: datetime) -> bytes:
        """The Prometheus text exposition, counted from the database as of ``now``."""
        async with db.connect() as conn:
            self.snapshot = await metrics_snapshot(conn, now)
        return generate_latest(self.registry)


@dataclass
class TimedSweeper(Sweeper):
    """The sweep, recording how long each pass took in ``job_runs``."""

    db: AsyncEngine | None = None
    timer: Callable[[], float] = time.perf_counter

    async def sweep(self, now: datetime) -> SweepReport:
        started = self.timer()
        report = await super().sweep(now)
        if self.db is not None:
            try:
                async with self.db.begin() as conn:
                    await record_job_run(conn, SWEEP_JOB, now, self.timer() - started)
            except Exception:  # the figure is for monitoring: never fail the sweep over it
                log.exception("recording the sweep's duration failed")
        return report
