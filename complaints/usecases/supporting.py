"""Supporting a case: before a citizen files, the similar open cases are looked up
(``complaints.similarity``); instead of a second report they may support one of them.
A supporter is told of every status change of it, may add information and rate the
answer; the case stays the complainant's. A supporter's rating is their own verdict: it
neither closes nor reopens the case."""

from __future__ import annotations

from datetime import datetime

from ..errors import DomainError, NotAuthorised
from ..model import AuditEntry, AuditKind, Complaint, Evidence, Support, SupportChange, Supporter
from ..ports import UnitOfWork
from ..similarity import Probe, SimilarityPolicy, TextSimilarity, query_for, rank
from ..taxonomy import Role, Status
from ..workflow import OPEN
from .casework import get
from .context import CaseContext
from .notify import notify_handlers


class AlreadySupported(DomainError):
    """The chat already supports the case, or filed it."""

    code = "already_supported"


class NotOpen(DomainError):
    """The case is answered or closed: it no longer takes supporters."""

    code = "not_open"


async def similar(
    uow: UnitOfWork, probe: Probe, now: datetime, scorer: TextSimilarity,
    policy: SimilarityPolicy = SimilarityPolicy(),
) -> list[Complaint]:
    """The open cases that are the same problem as ``probe`` (at most ``policy.shown``, the
    most similar first), leaving out the citizen's own and those they already support."""
    query = query_for(probe, now, policy)
    if query is None:
        return []
    shown: list[Complaint] = []
    for _, candidate in rank(probe, await uow.complaints.similar_candidates(query), scorer, policy):
        complaint = await uow.complaints.get(candidate.code)
        if complaint is None or complaint.supporter(probe.owner) is not None:
            continue
        shown.append(complaint)
        if len(shown) >= policy.shown:
            break
    return shown


async def support(
    ctx: CaseContext, uow: UnitOfWork, code: str, supporter: Supporter, words: str, evidence: list[Evidence],
    now: datetime,
) -> Complaint:
    """Add ``supporter`` to the open case ``code``; what they wrote (``words``) and their
    files are kept in the case as their addition, and the officers handling it are told."""
    complaint = await get(uow, code, for_update=True)
    if complaint.status not in OPEN:
        raise NotOpen(code=code)
    if supporter.id == complaint.owner or complaint.supporter(supporter.id) is not None:
        raise AlreadySupported(code=code)
    complaint.supporters.append(supporter)
    complaint.evidence.extend(evidence)
    complaint.record(AuditEntry(now, supporter.id, Role.COMPLAINANT, AuditKind.SUPPORT, None, None, words.strip(),
                                facts=Support(SupportChange.JOINED, supporter.id)))
    await uow.complaints.save(complaint)
    await notify_handlers(
        ctx, uow, complaint,
        f"supported:{len(complaint.audit)}",
        lambda officer, view: ctx.notices.supported(view, ctx.visibility.supporter_words(officer.actor, complaint,
                                                                                      supporter, words), officer),
        now,
    )
    return complaint


async def supported_by(uow: UnitOfWork, channel: str, sender: str, limit: int = 20) -> list[Complaint]:
    """The cases this chat supports, newest first."""
    return await uow.complaints.list_supported(channel, sender, limit)


async def latest_open(uow: UnitOfWork, channel: str, sender: str) -> Complaint | None:
    """The newest open case this chat supports, if any."""
    return next((c for c in await supported_by(uow, channel, sender) if c.status in OPEN), None)


async def add(
    ctx: CaseContext, uow: UnitOfWork, code: str, supporter_id: str, text: str, evidence: list[Evidence], now: datetime,
) -> Complaint:
    """What a supporter adds to the case they support, kept as theirs; the officers handling
    it are told, reading it under the supporter's own privacy choice."""
    complaint = await get(uow, code, for_update=True)
    supporter = complaint.supporter(supporter_id)
    if supporter is None:
        raise NotAuthorised(actor=supporter_id, role=Role.COMPLAINANT, code=code)
    complaint.evidence.extend(evidence)
    complaint.record(AuditEntry(now, supporter_id, Role.COMPLAINANT, AuditKind.SUPPORT, None, None, text.strip(),
                                facts=Support(SupportChange.ADDED, supporter_id)))
    await uow.complaints.save(complaint)
    await notify_handlers(
        ctx, uow, complaint,
        f"info:{len(complaint.audit)}",
        lambda officer, view: ctx.notices.info_added(
            view, ctx.visibility.supporter_words(officer.actor, complaint, supporter, text), len(evidence), officer),
        now,
    )
    return complaint


RATEABLE = frozenset({Status.SELESAI, Status.DITUTUP, Status.DIBUKA_KEMBALI})  # answered at least once


async def rate(uow: UnitOfWork, code: str, supporter_id: str, satisfied: bool, now: datetime) -> Complaint:
    """A supporter's verdict on the answer (puas / tidak puas): kept as theirs; the case's
    own rating, which closes or reopens it, is the complainant's."""
    complaint = await get(uow, code, for_update=True)
    supporter = complaint.supporter(supporter_id)
    if supporter is None:
        raise NotAuthorised(actor=supporter_id, role=Role.COMPLAINANT, code=complaint.code)
    if complaint.status not in RATEABLE:
        raise DomainError("not_rateable", code=code, status=complaint.status)
    supporter.satisfied, supporter.rated_at = satisfied, now
    complaint.record(AuditEntry(now, supporter_id, Role.COMPLAINANT, AuditKind.SUPPORT, None, None,
                                facts=Support(SupportChange.RATED, supporter_id, satisfied=satisfied)))
    await uow.complaints.save(complaint)
    return complaint
