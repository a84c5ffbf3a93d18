"""Officers' workflow, working-day deadlines and escalation, with fixed clocks, on SQLite
and PostgreSQL."""

import asyncio
import json
import os
import re
import sys
from asyncio.subprocess import PIPE
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from complaints.errors import DomainError
from complaints.model import AuditKind, Complaint, Escalation, Place
from complaints.taxonomy import Category, Status, Weight
from complaints.usecases import casework, filing
from tests.chat_harness import WIB, Citizen, Clock, RecordingSender, make_app

CODE_IN = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11, tz=WIB) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


async def file(app, now=MONDAY, weight=Weight.SEDANG, category=Category.SAMPAH, sender="warga-1"):
    complaint = Complaint(code="", description="sampah menumpuk di depan pasar", channel="console", sender=sender,
                          created_at=now, category=category, weight=weight,
                          place=Place("depan pasar", "35.78.04.1001", "Wonokromo"))
    async with app.uow() as uow:
        await filing.submit(app.context(), uow, complaint, now)
        await uow.commit()
    return complaint.code


async def move(app, code, status, officer, now, note="", **kw):
    async with app.uow() as uow:
        change = await casework.change_status(app.context(), uow, code, status, app.org.officers[officer].actor, now, note, **kw)
        await uow.commit()
    return change.complaint


async def load(app, code):
    async with app.uow() as uow:
        return await uow.complaints.get(code)


async def delivered(app, now) -> list:
    sender = RecordingSender()
    await app.relay({"console": sender}).drain(now)
    return sender.sent


def escalations(complaint):
    """The facts of each escalation entry, as the escalate use case recorded them."""
    return [e.facts for e in complaint.audit if e.action is AuditKind.ESCALATED]


async def test_each_level_is_sent_once_at_its_time(app):
    code = await file(app)  # verification due Thursday 26 November, end of day
    await delivered(app, MONDAY)
    assert (await load(app, code)).due_at == datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB)

    assert (await app.sweeper.sweep(at(25, 15))).escalated == []
    report = await app.sweeper.sweep(at(26, 8, 30))  # the deadline's day: remind the verifier
    assert report.escalated == [(code, 1)]
    assert (await app.sweeper.sweep(at(26, 14))).escalated == []
    sent = await delivered(app, at(26, 14))
    assert [n.recipient for n in sent] == ["admin-pusat"] and "Pengingat" in sent[0].text

    assert (await app.sweeper.sweep(at(27, 9))).escalated == [(code, 2)]  # past the deadline
    [overdue] = await delivered(app, at(27, 9))
    assert overdue.recipient == "kepala-pusat"
    # the demo organisation rewords this headline through its `templates:`
    assert overdue.text.startswith(f"⚠️ Laporan {code} untuk Admin Pengaduan Kota")
    assert "Kamis, 26 November 2026 pukul 23.59 WIB" in overdue.text
    assert (await app.sweeper.sweep(at(27, 15))).escalated == []
    assert (await app.sweeper.sweep(at(28, 10))).escalated == [(code, 3)]  # a working day later
    for later in (at(28, 11), at(30, 9), at(10, 9, month=12)):
        assert (await app.sweeper.sweep(later)).escalated == []
    due = datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB)  # the verification deadline, the central unit's stage
    assert escalations(await load(app, code)) == [Escalation(1, "pusat", due, ("admin-pusat",)),
                                                  Escalation(2, "pusat", due, ("kepala-pusat",)),
                                                  Escalation(3, "pusat", due, ("kepala-pusat",))]
    assert all(e.note == "" for e in (await load(app, code)).audit if e.action is AuditKind.ESCALATED)


async def test_messages_wait_for_working_hours_unless_the_case_is_urgent(app):
    normal = await file(app)
    urgent = await file(app, weight=Weight.BERAT, sender="warga-2")  # due Tuesday
    await delivered(app, MONDAY)
    saturday_night = at(28, 23, 30)
    report = await app.sweeper.sweep(saturday_night)
    assert sorted(report.escalated) == sorted([(normal, 3), (urgent, 3)])
    sent = await delivered(app, saturday_night)
    assert [n.complaint_code for n in sent] == [urgent]  # the urgent one goes out at night
    assert await delivered(app, at(30, 7, 59)) == []  # Sunday and early Monday: held
    held = await delivered(app, at(30, 8, 0))
    assert [n.complaint_code for n in held] == [normal]


async def test_catch_up_after_downtime_sends_one_message_not_a_flood(app):
    codes = [await file(app, sender=f"warga-{i}") for i in range(3)]
    await delivered(app, MONDAY)
    # the scheduler was off from Monday until the next Thursday
    report = await app.sweeper.sweep(at(3, 10, month=12))
    assert sorted(report.escalated) == sorted((c, 3) for c in codes)
    sent = await delivered(app, at(3, 10, month=12))
    assert len(sent) == len(codes) and all(n.recipient == "kepala-pusat" for n in sent)
    assert (await app.sweeper.sweep(at(3, 11, month=12))).escalated == []
    for code in codes:
        assert [(e.level, e.officers) for e in escalations(await load(app, code))] == [(3, ("kepala-pusat",))]


async def test_disposition_starts_the_units_clock_and_its_own_ladder(app):
    code = await file(app, category=Category.LAINNYA)  # suggested: the central unit
    await delivered(app, MONDAY)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", at(24, 10), unit_id="dlh")
    complaint = await load(app, code)
    assert complaint.unit_id == "dlh" and complaint.escalation_level == 0
    assert complaint.due_at == datetime(2026, 12, 1, 23, 59, 59, tzinfo=WIB)  # 5 working days
    sent = await delivered(app, at(24, 10))
    assert {n.recipient for n in sent} == {"warga-1", "petugas-dlh"}
    await app.sweeper.sweep(at(2, 9, month=12))
    assert [n.recipient for n in await delivered(app, at(2, 9, month=12))] == ["supervisor-dlh"]
    with pytest.raises(DomainError):  # a unit is chosen when disposing, not when processing
        await move(app, code, Status.DIPROSES, "admin-pusat", at(2, 10, month=12), "dicek", unit_id="dlh")


async def test_waiting_for_the_complainant_pauses_the_clock(app):
    clock = Clock(now=MONDAY)
    citizen = Citizen(app, clock)
    code = await file(app)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(app, code, Status.DIPROSES, "petugas-dlh", at(23, 11), "Tim menuju lokasi")
    before = (await load(app, code)).resolve_due_at
    await move(app, code, Status.MENUNGGU_INFORMASI, "petugas-dlh", at(23, 12), "Di sisi mana pasar tepatnya?")
    question = [n for n in await delivered(app, at(23, 12)) if n.recipient == "warga-1"][-1]
    assert "Pertanyaan petugas: Di sisi mana pasar tepatnya?" in question.text
    paused = await load(app, code)
    assert paused.next_escalation_at is None
    assert (await app.sweeper.sweep(at(25, 10) + timedelta(days=90))).escalated == []

    clock.now = at(30, 12)  # a week later the citizen answers
    reply = await citizen.says("sisi utara, dekat pintu masuk parkir")
    assert texts.INFO_FORWARDED.format(code=code) in reply
    resumed = await load(app, code)
    assert resumed.status is Status.DIPROSES
    assert resumed.resolve_due_at - before == timedelta(days=7)  # paused time given back
    assert resumed.due_at == resumed.resolve_due_at and resumed.next_escalation_at is not None
    info = [e for e in resumed.audit if e.action == "info"]
    assert info and info[0].note == "sisi utara, dekat pintu masuk parkir"
    told = [n for n in await delivered(app, at(30, 12)) if n.recipient == "petugas-dlh"]
    assert len(told) == 1 and "sisi utara" in told[0].text


async def resolved_case(app) -> str:
    """Filed Monday, disposed to DLH the same day, answered on Tuesday."""
    code = await file(app)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(app, code, Status.SELESAI, "petugas-dlh", at(24, 10), "Sampah sudah diangkut")
    return code


async def test_a_resolved_case_closes_itself_after_ten_working_days(app):
    code = await resolved_case(app)
    rating = [n for n in await delivered(app, at(24, 10)) if n.recipient == "warga-1"][-1]
    assert [b.id for b in rating.buttons] == [f"rate:{code}:puas", f"rate:{code}:tidak"]
    assert (await app.sweeper.sweep(at(8, 12, month=12))).closed == []  # 10th working day is 8 Dec
    assert (await app.sweeper.sweep(at(9, 0, 1, month=12))).closed == [code]
    closed = await load(app, code)
    assert closed.status is Status.DITUTUP and closed.satisfied is None
    notice = [n for n in await delivered(app, at(9, 9, month=12)) if n.recipient == "warga-1"][-1]
    assert "tutup otomatis" in notice.text and "10 hari kerja" in notice.text and "laporan baru" in notice.text


async def test_day_counts_in_texts_come_from_the_organisations_deadlines(engine):
    """An organisation that closes after 7 working days and flags reports after 14 days says so."""
    from dataclasses import replace

    from complaints.deadlines import DeadlinePolicy, StageDays

    app = await make_app(engine)
    policy = DeadlinePolicy(normal=StageDays(auto_close=7), late_filing_days=14)
    app.organisation.swap(replace(app.org, policy=policy))  # the notices word the new policy too
    clock = Clock(now=MONDAY)
    citizen = Citizen(app, clock)
    await citizen.says("20 hari lalu truk sampah menumpahkan sampah di depan pasar wonokromo")
    receipt = await citizen.presses("privacy:anonim")
    assert "lebih dari 14 hari" in receipt and "30 hari" not in receipt
    code = CODE_IN.search(receipt).group(0)
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(app, code, Status.SELESAI, "petugas-dlh", at(23, 11), "Sampah sudah diangkut")
    assert (await app.sweeper.sweep(at(3, 0, 1, month=12))).closed == [code]  # 7th working day: 2 Dec
    closed = await load(app, code)
    assert "7 hari kerja" in closed.audit[-1].note


async def test_tidak_puas_reopens_one_level_higher_then_points_to_ombudsman(app):
    clock = Clock(now=at(25, 10))
    citizen = Citizen(app, clock)
    code = await resolved_case(app)
    await delivered(app, at(24, 10))

    reply = await citizen.presses(f"rate:{code}:tidak")
    assert "buka kembali" in reply and "atasan" in reply and "Ombudsman" not in reply
    reopened = await load(app, code)
    assert reopened.status is Status.DIBUKA_KEMBALI and reopened.escalation_level == 2
    sent = await delivered(app, at(25, 10))
    assert [n.recipient for n in sent] == ["supervisor-dlh"] and "dibuka kembali" in sent[0].text

    await move(app, code, Status.SELESAI, "petugas-dlh", at(26, 10), "Sudah dibersihkan ulang")
    await delivered(app, at(26, 10))
    clock.now = at(27, 10)
    reply = await citizen.says("tidak puas")
    assert "Ombudsman" in reply and code in reply
    assert [n.recipient for n in await delivered(app, at(27, 10))] == ["kepala-pusat"]
    assert (await load(app, code)).reopen_count == 2


async def test_puas_closes_and_asks_the_skm_score_once(app):
    clock = Clock(now=at(25, 10))
    citizen = Citizen(app, clock)
    code = await resolved_case(app)
    await citizen.presses(f"rate:{code}:puas")
    assert citizen.buttons == [f"skm:{code}:{n}" for n in (1, 2, 3, 4)]
    assert "3 · Baik" in await citizen.says("nilai 3")  # typed instead of pressed
    assert "sudah tercatat" in await citizen.presses(f"skm:{code}:4")
    closed = await load(app, code)
    assert (closed.status, closed.satisfied, closed.skm_score) == (Status.DITUTUP, True, 3)
    assert "tidak dapat dinilai" in await citizen.presses(f"rate:{code}:tidak")
    stranger = Citizen(app, clock, sender="warga-9")
    assert texts.STALE_BUTTON in await stranger.presses(f"rate:{code}:tidak")


async def test_the_digest_counts_open_due_soon_and_overdue_by_officer(app):
    old = await file(app, now=at(16, 9))
    await move(app, old, Status.DIDISPOSISIKAN, "admin-pusat", at(16, 10))  # follow-up due 23 Nov
    fresh = await file(app, sender="warga-2")
    await move(app, fresh, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await file(app, now=at(23, 11), sender="warga-3")  # suggested for dlh, not disposed: not theirs yet
    async with app.uow() as uow:
        await casework.assign(app.context(), uow, fresh, app.org.officers["petugas-dlh"],
                              app.org.officers["supervisor-dlh"].actor, at(23, 11))
        await uow.commit()
    await delivered(app, at(23, 12))
    queued = await app.sweeper.digest(at(24, 7))
    [dlh] = [n for n in queued if n.recipient == "supervisor-dlh"]
    assert "Laporan terbuka: 2" in dlh.text and "Lewat batas waktu: 1" in dlh.text
    assert "Jatuh tempo dalam 2 hari kerja" in dlh.text
    assert "Siti Rahmawati: 1 / 0" in dlh.text and "Belum diambil: 1 / 1" in dlh.text
    assert await app.sweeper.digest(at(24, 7, 5)) == []  # once a day, however often it runs
    assert await delivered(app, at(24, 7, 30)) == []  # held until working hours
    assert [n.recipient for n in await delivered(app, at(24, 8))].count("supervisor-dlh") == 1


async def test_deadlines_are_counted_in_the_units_time_zone(app):
    from dataclasses import replace

    from complaints.org import Unit

    papua = Unit("dlh", "Dinas Lingkungan Hidup", "opd", ZoneInfo("Asia/Jayapura"))
    app.organisation.swap(replace(app.org, units={**app.org.units, "dlh": papua}))
    code = await file(app)
    friday_night_wib = datetime(2026, 11, 27, 23, 30, tzinfo=WIB)  # Saturday 01:30 WIT
    await move(app, code, Status.DIDISPOSISIKAN, "admin-pusat", friday_night_wib)
    due = (await load(app, code)).due_at.astimezone(ZoneInfo("Asia/Jayapura"))
    assert due.date().isoformat() == "2026-12-04"  # Mon..Fri after the WIT Saturday


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_concurrent_sweeps_escalate_each_complaint_once(engine, database_url, backend):
    if not database_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; on SQLite one scheduler runs")
    first, second = await make_app(engine), await make_app(engine, seed=2)
    codes = [await file(first, sender=f"warga-{i}") for i in range(40)]
    await delivered(first, MONDAY)
    first.sweeper.batch_size = second.sweeper.batch_size = 7
    reports = await asyncio.gather(first.sweeper.sweep(at(30, 9)), second.sweeper.sweep(at(30, 9)))
    escalated = [item for report in reports for item in report.escalated]
    assert sorted(escalated) == sorted((c, 3) for c in codes)
    sent = await delivered(first, at(30, 9))
    assert sorted(n.complaint_code for n in sent) == sorted(codes)


async def test_two_sweep_processes_on_postgresql_notify_exactly_once(engine, database_url, tmp_path):
    """Real processes: two ``aduan sweep`` runs at once against one database."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several schedulers need PostgreSQL; on SQLite one runs")
    app = await make_app(engine)
    codes = [await file(app, sender=f"warga-{i}") for i in range(60)]
    await delivered(app, MONDAY)
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}
    command = [str(Path(sys.executable).parent / "aduan"), "sweep", "--now", at(30, 9).isoformat()]
    runs = [await asyncio.create_subprocess_exec(*command, env=env, stdout=PIPE, stderr=PIPE) for _ in range(2)]
    outputs = [await run.communicate() for run in runs]
    assert all(run.returncode == 0 for run in runs), [err.decode() for _, err in outputs]
    printed = [json.loads(line) for out, _ in outputs for line in out.decode().splitlines()]
    assert sorted(CODE_IN.search(line["text"]).group(0) for line in printed) == sorted(codes)
    sent = await delivered(app, at(30, 9))
    assert sorted(n.complaint_code for n in sent) == sorted(codes)
    for code in codes:
        assert len(escalations(await load(app, code))) == 1
