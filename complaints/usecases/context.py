"""The organisation as the use cases read it: one frozen snapshot per organisation load.

A running process never changes a ``CaseContext``: when the organisation file changes, a
new snapshot is built and replaces the old one in a single assignment (see
``aduan.live``). A use case takes the snapshot it was given for its whole run, so one
message, request or sweep pass never sees half of an old organisation and half of a new one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from ..calendar import WorkingCalendar
from ..deadlines import DeadlinePolicy
from ..escalation import CENTRAL_STAGES
from ..model import Actor, Complaint
from ..notifications import Notices
from ..org import Organisation, Unit
from ..taxonomy import Weight
from ..visibility import CaseView, Visibility


@dataclass(frozen=True)
class CaseContext:
    """The organisation, its calendar and its notices: what every use case reads."""

    org: Organisation
    notices: Notices
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    rng: random.Random = field(default_factory=random.SystemRandom)  # tracking codes
    # channels nobody can be messaged on (a portal filing through the REST API reads the
    # status back itself): the complainant's notices are not queued for them
    pull_only_channels: frozenset[str] = frozenset()
    # where an officer's one-time sign-in link points (the web console), without the secret
    login_url: str = ""

    @property
    def policy(self) -> DeadlinePolicy:
        return self.org.policy

    @property
    def visibility(self) -> Visibility:
        return Visibility(self.org.default_unit)

    def view(self, viewer: Actor, complaint: Complaint) -> CaseView:
        """The complaint as ``viewer`` may see it (complaints.visibility)."""
        return self.visibility.view(viewer, complaint)

    def authorise(self, actor: Actor, complaint: Complaint) -> None:
        self.visibility.authorise(actor, complaint)

    def unit_of(self, complaint: Complaint) -> Unit:
        """The unit the case is routed or disposed to (the category's unit when the file no
        longer names the one it was routed to)."""
        return self.org.units.get(complaint.unit_id or "") or self.org.unit_for(complaint.category)

    def responsible_unit(self, complaint: Complaint) -> Unit:
        """Verification and disposition belong to the central admin; the rest to the unit."""
        return self.org.central if complaint.status in CENTRAL_STAGES else self.unit_of(complaint)

    def tz(self, complaint: Complaint) -> ZoneInfo:
        return self.responsible_unit(complaint).timezone

    def hold_until_working_hours(self, complaint: Complaint, unit: Unit, now: datetime) -> datetime | None:
        """Officers are not pinged at night or on holidays, unless the case is urgent."""
        if complaint.weight is Weight.BERAT:
            return None
        moment = self.calendar.next_working_moment(now, unit.timezone, self.org.working_hours)
        return None if moment == now else moment


class ContextSource(Protocol):
    """Where a long-running consumer (the chat engine, the API, the sweep) gets the snapshot
    to use for one message, request or pass."""

    def current(self) -> CaseContext: ...


@dataclass(frozen=True)
class FixedContext:
    """A source that never changes: tests, and one-shot commands."""

    context: CaseContext

    def current(self) -> CaseContext:
        return self.context
