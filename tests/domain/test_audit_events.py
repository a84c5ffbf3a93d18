"""Audit events as data: an entry's kind (AuditKind) and its typed facts, written by the
use cases, shown to staff only, read by the recap, the API's history and the officers'
timeline. Notes keep only what a person wrote."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.render.officer import case_detail
from complaints.deadlines import DeadlinePolicy, StageDays
from complaints.model import (
    Actor,
    Assignment,
    AuditEntry,
    AuditKind,
    Complaint,
    Deadline,
    Disposition,
    Escalation,
    Place,
    Rating,
    Score,
)
from complaints.recap import RecapRules, Stage, Verdict
from complaints.taxonomy import Category, Role, Status
from complaints.usecases import casework, filing, followup
from complaints.visibility import PUBLIC
from complaints.workflow import Clock
from tests.api_harness import api_for
from tests.chat_harness import WIB

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


# --- the entry ------------------------------------------------------------------------------

def test_kinds_are_the_strings_stored_before():
    assert [k.value for k in AuditKind] == ["created", "status", "note", "assigned", "info", "escalated", "rated",
                                            "support", "unmerged"]
    entry = AuditEntry(NOW, "bot", Role.SYSTEM, "created", None, Status.DITERIMA)  # as a stored row spells it
    assert entry.action is AuditKind.CREATED
    with pytest.raises(ValueError):
        AuditEntry(NOW, "bot", Role.SYSTEM, "dibuat", None, None)


@pytest.mark.parametrize(("kind", "facts", "moves"), [
    (AuditKind.ESCALATED, None, (None, None)),  # an escalation without its level and unit
    (AuditKind.ASSIGNED, Score(3), (None, None)),
    (AuditKind.RATED, None, (None, None)),
    (AuditKind.NOTE, Assignment("petugas-dlh"), (None, None)),
    (AuditKind.STATUS, Disposition("dlh"), (Status.DIDISPOSISIKAN, Status.DIPROSES)),  # not a disposition
    (AuditKind.STATUS, Rating(True), (Status.DIPROSES, Status.SELESAI)),  # not a rating of an answer
    (AuditKind.CREATED, Escalation(1, "pusat", None), (None, Status.DITERIMA)),
])
def test_an_entry_refuses_facts_that_do_not_fit_its_kind(kind, facts, moves):
    with pytest.raises(ValueError):
        AuditEntry(NOW, "x", Role.ADMIN, kind, *moves, facts=facts)


def test_facts_check_their_own_values():
    with pytest.raises(ValueError):
        Score(5)
    with pytest.raises(ValueError):
        Escalation(-1, "dlh", None)
    assert Disposition("dlh", "dsdabm").rerouted and not Disposition("dlh").rerouted


def test_a_move_with_facts_that_do_not_fit_changes_nothing():
    c = Complaint(code="LPR-AAAA-AA", description="x", channel="console", sender="w1", created_at=NOW,
                  status=Status.DIVERIFIKASI)
    with pytest.raises(ValueError):
        c.move_to(Status.DITOLAK, Actor("admin-pusat", Role.ADMIN), NOW, "bukan wewenang", facts=Disposition("dlh"))
    assert c.status is Status.DIVERIFIKASI and c.audit == []


# --- what the use cases record ----------------------------------------------------------------

async def file(app, category=Category.JALAN, sender="warga-1", now=MONDAY) -> str:
    complaint = Complaint(code="", description="lampu jalan mati, hubungi 0812 3456 7890", channel="console",
                          sender=sender, created_at=now, category=category,
                          place=Place("depan pasar", "35.78.04.1001", "Wonokromo"))
    async with app.uow() as uow:
        await filing.submit(app.context(), uow, complaint, now)
        await uow.commit()
    return complaint.code


async def move(app, code, status, officer, now, note="", **kw):
    async with app.uow() as uow:
        await casework.change_status(app.context(), uow, code, status, app.org.officers[officer].actor, now, note, **kw)
        await uow.commit()


async def load(app, code) -> Complaint:
    async with app.uow() as uow:
        return await uow.complaints.get(code)


def entries(complaint: Complaint, kind: AuditKind) -> list[AuditEntry]:
    return [e for e in complaint.audit if e.action is kind]


async def rerouted_assigned_and_overdue(app) -> tuple[str, datetime]:
    """A roads complaint the admin re-routes to the environment unit, whose officer takes it
    and lets the follow-up deadline pass: the sweep tells the supervisor (level 2)."""
    code = await file(app)  # suggested: dsdabm
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", MONDAY + timedelta(hours=1), unit_id="dlh")
    async with app.uow() as uow:
        officer = app.org.officers["petugas-dlh"]
        await casework.assign(app.context(), uow, code, officer, officer.actor, MONDAY + timedelta(hours=2))
        await uow.commit()
    due = (await load(app, code)).due_at
    report = await app.sweeper.sweep(due + timedelta(minutes=1))
    assert report.escalated == [(code, 2)]
    return code, due


async def test_a_reroute_an_assignment_and_an_escalation_land_as_facts(app):
    code, due = await rerouted_assigned_and_overdue(app)
    c = await load(app, code)
    [disposed] = [e for e in entries(c, AuditKind.STATUS) if e.to_status is Status.DIDISPOSISIKAN]
    assert disposed.facts == Disposition("dlh", "dsdabm") and disposed.facts.rerouted
    [assigned] = entries(c, AuditKind.ASSIGNED)
    assert assigned.facts == Assignment("petugas-dlh") and assigned.actor == "petugas-dlh"
    [escalated] = entries(c, AuditKind.ESCALATED)
    assert escalated.facts == Escalation(2, "dlh", due, ("supervisor-dlh",))
    assert assigned.note == escalated.note == ""  # the facts are not written into notes any more
    assert c.unit_id == "dlh" and c.escalation_level == 2


async def test_a_disposition_to_the_suggested_unit_is_no_reroute(app):
    code = await file(app, Category.SAMPAH)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", MONDAY, unit_id="dlh")  # dlh was suggested
    [disposed] = [e for e in (await load(app, code)).audit if e.to_status is Status.DIDISPOSISIKAN]
    assert disposed.facts == Disposition("dlh") and not disposed.facts.rerouted


async def answered_and_rated(app, satisfied: bool, score: int | None = None) -> str:
    code = await file(app, Category.SAMPAH)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", MONDAY)
    await move(app, code, Status.DIPROSES, "petugas-dlh", MONDAY + timedelta(hours=1), "Tim dijadwalkan")
    await move(app, code, Status.SELESAI, "petugas-dlh", MONDAY + timedelta(hours=3), "Sampah sudah diangkut")
    citizen = Actor("console:warga-1", Role.COMPLAINANT)
    async with app.uow() as uow:
        await followup.rate(app.context(), uow, code, citizen, satisfied, MONDAY + timedelta(hours=4))
        if score is not None:
            await followup.score(app.context(), uow, code, citizen, score, MONDAY + timedelta(hours=5))
        await uow.commit()
    return code


async def test_a_rating_and_an_skm_score_land_as_facts(app):
    c = await load(app, await answered_and_rated(app, True, 3))
    rated_move = c.audit[-2]
    assert (rated_move.from_status, rated_move.to_status, rated_move.facts) == (
        Status.SELESAI, Status.DITUTUP, Rating(True))
    assert rated_move.note == ""  # no reason given: the verdict is the fact; a note is only what they wrote
    [scored] = entries(c, AuditKind.RATED)
    assert scored.facts == Score(3) and scored.note == "" and c.skm_score == 3


async def test_an_unsatisfied_complainant_reopens_and_the_escalation_says_so(app):
    c = await load(app, await answered_and_rated(app, False))
    reopened, escalated = c.audit[-2:]
    assert reopened.to_status is Status.DIBUKA_KEMBALI and reopened.facts == Rating(False)
    assert escalated.facts == Escalation(2, "dlh", c.due_at, ("supervisor-dlh",))  # the new stage's deadline


async def test_the_recap_reads_the_escalation_facts(app):
    code, _ = await rerouted_assigned_and_overdue(app)
    row = RecapRules(app.org, app.context().calendar, MONDAY + timedelta(days=30)).row(await load(app, code))
    assert row.escalations == (("dlh", 2),)


# --- who sees the facts -------------------------------------------------------------------------

async def test_staff_read_the_facts_the_public_and_the_complainant_do_not(app):
    code, due = await rerouted_assigned_and_overdue(app)
    c = await load(app, code)
    staff = app.context().view(app.org.officers["supervisor-dlh"].actor, c)
    [escalated] = [e for e in staff.history if e.action is AuditKind.ESCALATED]
    assert (escalated.level, escalated.unit_id, escalated.due_at, escalated.officers) == (
        2, "dlh", due, ("supervisor-dlh",))
    [assigned] = [e for e in staff.history if e.action is AuditKind.ASSIGNED]
    assert assigned.officer_id == "petugas-dlh"
    [disposed] = [e for e in staff.history if e.to_status is Status.DIDISPOSISIKAN]
    assert (disposed.unit_id, disposed.from_unit_id) == ("dlh", "dsdabm")

    owner = Actor("console:warga-1", Role.COMPLAINANT)
    for viewer in (PUBLIC, owner, app.org.officers["petugas-dsdabm"].actor):
        view = app.context().view(viewer, c)
        assert {e.action for e in view.history} == {AuditKind.CREATED, AuditKind.STATUS}
        assert all(e.level is e.officer_id is e.due_at is None and e.officers == () for e in view.history), viewer
        # which unit handles their case (and that it was re-routed) the complainant is told anyway
        units = {(e.unit_id, e.from_unit_id) for e in view.history} - {(None, None)}
        assert units == ({("dlh", "dsdabm")} if viewer == owner else set()), viewer


async def test_the_officers_timeline_tells_levels_assignments_and_reroutes_in_indonesian(app):
    code, _ = await rerouted_assigned_and_overdue(app)
    c = await load(app, code)
    view = app.context().view(app.org.officers["supervisor-dlh"].actor, c)
    detail = case_detail(view, app.org.units["dlh"], app.org.policy)
    timeline = detail.split("Riwayat:\n", 1)[1]
    assert "Diteruskan ke unit terkait (dlh, dialihkan dari dsdabm)" in timeline
    assert "petugas-dlh · Ditugaskan ke petugas-dlh" in timeline
    assert ("bot · Eskalasi tingkat 2 (Lewat batas waktu), unit dlh, batas Senin, 30 November 2026 pukul 23.59 WIB, "
            "dikabari: supervisor-dlh") in timeline


async def test_the_timeline_tells_ratings_and_scores(app):
    c = await load(app, await answered_and_rated(app, True, 4))
    view = app.context().view(app.org.officers["admin-pusat"].actor, c)
    timeline = case_detail(view, app.org.units["dlh"], app.org.policy).split("Riwayat:\n", 1)[1]
    assert "Ditutup (pelapor puas)" in timeline and "Nilai SKM 4 · Sangat baik" in timeline


# --- the API's history ---------------------------------------------------------------------------

async def test_the_api_history_shows_the_facts_to_staff_only(engine):
    async with api_for(engine) as api:
        code = await api.file(service_code="jalan")  # suggested: dsdabm
        assert (await api.set_status(code, "didisposisikan", unit="dlh")).status_code == 200
        taken = await api.post(f"/api/v1/complaints/{code}/assign", key="dlh", json={"officer": "petugas-dlh"})
        assert taken.status_code == 200
        async with api.app.uow() as uow:
            due = (await uow.complaints.get(code)).due_at
        await api.app.sweeper.sweep(due + timedelta(minutes=1))
        staff = (await api.get(f"/api/v1/complaints/{code}", key="dlh")).json()
        public = (await api.get(f"/api/v1/complaints/{code}", key="public")).json()
    history = {h["action"] if h["action"] != "status" else h["to_status"]: h for h in staff["history"]}
    disposed, assigned, escalated = history["didisposisikan"], history["assigned"], history["escalated"]
    assert disposed["unit"] == {"id": "dlh", "name": "Dinas Lingkungan Hidup"}
    assert disposed["from_unit"]["id"] == "dsdabm" and disposed["label"] == (
        "Diteruskan ke unit terkait (dlh, dialihkan dari dsdabm), batas waktu Senin, 30 November 2026 pukul 23.59 WIB")
    assert datetime.fromisoformat(disposed["due_at"]) == due  # the follow-up deadline recorded when disposed
    assert assigned["officer"] == {"id": "petugas-dlh", "name": "Siti Rahmawati"}
    assert assigned["label"] == "Ditugaskan ke petugas-dlh" and assigned["note"] == ""
    assert (escalated["level"], escalated["unit"]["id"], escalated["officers"]) == (2, "dlh", ["supervisor-dlh"])
    assert datetime.fromisoformat(escalated["due_at"]) == due
    assert escalated["label"].startswith("Eskalasi tingkat 2 (Lewat batas waktu)")
    facts = ("level", "unit", "from_unit", "due_at", "officers", "officer", "satisfied", "skm_score")
    assert [h["action"] for h in public["history"]] == ["created", "status"]
    assert all(h[name] is None for h in public["history"] for name in facts)
    assert public["history"][1]["label"] == "Diteruskan ke unit terkait"


# --- the deadline of each stage, recorded when it starts ---------------------------------------

async def test_filing_disposing_and_reopening_record_their_stage_deadline(app):
    c = await load(app, await answered_and_rated(app, False))
    created, disposed, processed, solved, reopened = [e for e in c.audit if e.action in (
        AuditKind.CREATED, AuditKind.STATUS)]
    ctx = app.context()
    assert created.deadline == Deadline("pusat", ctx.policy.stage_due(Clock.VERIFY, c.weight, MONDAY, ctx.calendar, WIB))
    assert disposed.facts == Disposition("dlh")
    assert disposed.deadline == Deadline("dlh", ctx.policy.stage_due(Clock.FOLLOW_UP, c.weight, MONDAY,
                                                                     ctx.calendar, WIB))
    assert reopened.facts == Rating(False) and reopened.deadline == Deadline("dlh", c.due_at)  # the stage now running
    assert processed.deadline is solved.deadline is None  # no stage of working days starts there


async def test_the_recap_judges_by_the_deadlines_recorded_not_by_todays_policy(app):
    """Filed Monday 23 Nov with 3 working days to verify (Thursday 26), disposed a week later
    with 5 to follow up (Monday 7 Dec), followed up on Wednesday 9 Dec: both late. The
    organisation then allows 10 working days for each; the recap still says late."""
    code = await file(app, Category.SAMPAH)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", MONDAY + timedelta(days=7))
    await move(app, code, Status.DIPROSES, "petugas-dlh", MONDAY + timedelta(days=16), "Tim dijadwalkan")
    c = await load(app, code)
    slower = replace(app.org, policy=DeadlinePolicy(normal=StageDays(verify=10, follow_up=10)))
    row = RecapRules(slower, app.context().calendar, MONDAY + timedelta(days=30)).row(c)
    verify, follow_up = (next(s for s in row.stages if s.stage is stage) for stage in (Stage.VERIFY, Stage.FOLLOW_UP))
    assert verify.due_at == datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB) and verify.verdict is Verdict.MISSED
    assert follow_up.due_at == datetime(2026, 12, 7, 23, 59, 59, tzinfo=WIB)
    assert follow_up.verdict is Verdict.MISSED and follow_up.unit_id == "dlh"


async def test_the_timeline_shows_each_stage_deadline(app):
    code, _ = await rerouted_assigned_and_overdue(app)
    view = app.context().view(app.org.officers["supervisor-dlh"].actor, await load(app, code))
    [created, disposed] = [e for e in view.history if e.to_status is not None]
    assert (created.unit_id, disposed.unit_id) == ("pusat", "dlh")
    timeline = case_detail(view, app.org.units["dlh"], app.org.policy).split("Riwayat:\n", 1)[1]
    assert "Diterima (pusat), batas waktu Kamis, 26 November 2026 pukul 23.59 WIB" in timeline
    assert ("Diteruskan ke unit terkait (dlh, dialihkan dari dsdabm), batas waktu Senin, 30 November 2026 pukul "
            "23.59 WIB") in timeline
    public = app.context().view(PUBLIC, await load(app, code))
    assert all(e.due_at is None and e.unit_id is None for e in public.history)


@pytest.mark.parametrize(("kind", "facts", "moves"), [
    (AuditKind.STATUS, None, (Status.DIDISPOSISIKAN, Status.DIPROSES)),  # starts no stage of working days
    (AuditKind.ESCALATED, Escalation(1, "dlh", NOW), (None, None)),  # its deadline is the Escalation's
    (AuditKind.NOTE, None, (None, None)),
    (AuditKind.STATUS, Disposition("dlh"), (Status.DITERIMA, Status.DIDISPOSISIKAN)),  # disposed to dlh, not pdam
])
def test_a_stage_deadline_only_on_an_entry_that_starts_that_stage(kind, facts, moves):
    with pytest.raises(ValueError):
        AuditEntry(NOW, "x", Role.ADMIN, kind, *moves, facts=facts, deadline=Deadline("pdam", NOW))
