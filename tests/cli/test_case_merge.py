"""``aduan case merge`` / ``unmerge`` and the supporters in ``case show`` / ``case list``, as an
admin runs them: the real command against SQLite and PostgreSQL."""

import json
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import texts
from complaints.model import Complainant, Complaint, Evidence, Place, Supporter
from complaints.taxonomy import Category, PrivacyMode, Status
from complaints.usecases import filing, supporting
from storage.tables import outbox
from storage.uow import SqlUnitOfWork
from tests.chat_harness import START, stored
from tests.cli.inprocess import aduan_runner

PHOTO = Evidence("photo", "media/pasar-2.jpg", "sisi utara")


@pytest.fixture
def run(database_url, engine, tmp_path):
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}

    return aduan_runner(env)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


async def file(app, sender: str, description: str, hours: int = 0, evidence: tuple[Evidence, ...] = ()) -> str:
    complaint = Complaint(code="", description=description, channel="console", sender=sender,
                          created_at=START + timedelta(hours=hours), category=Category.SAMPAH,
                          place=Place("depan pasar", "35.78.04.1001", "Wonokromo"),
                          complainant=Complainant("Budi Santoso", "+6281234567890"), evidence=list(evidence))
    async with app.uow() as uow:
        await filing.submit(app.context(), uow, complaint, complaint.created_at)
        await uow.commit()
    return complaint.code


async def support(app, code: str, sender: str) -> None:
    async with app.uow() as uow:
        await supporting.support(app.context(), uow, code, Supporter("console", sender, PrivacyMode.ANONIM, START),
                                 "", [], START)
        await uow.commit()


async def outbox_to(app, recipient: str) -> list[str]:
    async with SqlUnitOfWork(app.db) as uow:
        rows = await uow.connection.execute(select(outbox.c.text).where(outbox.c.recipient == recipient)
                                            .order_by(outbox.c.id))
        return [row.text for row in rows]


@pytest.fixture
async def two(app):
    """The same heap of rubbish reported twice; the second (with a photo) is the duplicate."""
    kept = await file(app, "warga-1", "sampah menumpuk di depan pasar wonokromo")
    duplicate = await file(app, "warga-2", "tumpukan sampah depan pasar wonokromo bau sekali", 1, (PHOTO,))
    return kept, duplicate


async def test_merge_closes_the_duplicate_and_its_complainant_follows_the_kept_case(app, run, two):
    kept, duplicate = two
    merged = run("case", "merge", duplicate.lower(), "--into", kept, "--by", "admin-pusat")
    assert merged.returncode == 0, merged.stderr
    assert texts.MERGED_DONE.format(duplicate=duplicate, kept=kept) in merged.stderr
    [notice] = json_lines(merged.stdout)
    assert notice["to"] == "warga-2" and kept in notice["text"]

    closed, target = await stored(app, duplicate), await stored(app, kept)
    assert closed.status is Status.DITOLAK and closed.audit[-1].note == f"duplikat {kept}"
    assert closed.due_at is None and closed.next_escalation_at is None  # the STOP clock: nothing runs
    assert [(s.id, s.merged_from) for s in target.supporters] == [("console:warga-2", duplicate)]
    assert PHOTO in target.evidence
    [told] = await outbox_to(app, "warga-2")  # the queued row the relay will deliver
    assert f"pendukung laporan {kept}" in told and f"cek {kept}" in told

    shown = run("case", "show", kept, "--by", "admin-pusat").stdout
    assert texts.SUPPORTERS_LINE.format(count=1) in shown and texts.CASE_EVIDENCE.format(count=1) in shown
    assert f"duplikat {kept}" in run("case", "show", duplicate, "--by", "admin-pusat").stdout
    rows = run("case", "list", "--by", "admin-pusat").stdout.splitlines()
    assert [row[:11] for row in rows if "Pendukung: 1 warga" in row] == [kept]


async def test_unmerge_restores_the_status_the_deadline_and_the_supporter(app, run, two):
    kept, duplicate = two
    before = await stored(app, duplicate)
    assert run("case", "merge", duplicate, "--into", kept, "--by", "admin-pusat").returncode == 0

    undone = run("case", "unmerge", duplicate, "--by", "admin-pusat")
    assert undone.returncode == 0, undone.stderr
    assert texts.UNMERGED_DONE.format(duplicate=duplicate, kept=kept, status="Diterima") in undone.stderr
    back, target = await stored(app, duplicate), await stored(app, kept)
    assert back.status is Status.DITERIMA and back.rejection is None
    assert back.due_at == before.due_at and back.next_escalation_at == before.next_escalation_at
    assert target.supporters == [] and PHOTO not in target.evidence
    assert "Pendukung:" not in run("case", "show", kept, "--by", "admin-pusat").stdout
    merged_notice, unmerged_notice = await outbox_to(app, "warga-2")
    assert kept in merged_notice and "keliru digabungkan" in unmerged_notice

    again = run("case", "unmerge", duplicate, "--by", "admin-pusat")
    assert again.returncode != 0 and texts.MERGE_ERRORS["not_merged"].format(code=duplicate) in again.stderr


async def test_refusals_are_worded_and_change_nothing(app, run, two):
    kept, duplicate = two
    closed = await file(app, "warga-3", "sampah liar di taman bungkul", 2)
    rejected = run("case", "set-status", closed, "ditolak", "--by", "admin-pusat", "--note", "bukan kewenangan kota")
    assert rejected.returncode == 0, rejected.stderr
    before = {code: await stored(app, code) for code in (kept, duplicate, closed)}
    queued = await outbox_to(app, "warga-2")

    unit_officer = run("case", "merge", duplicate, "--into", kept, "--by", "petugas-dlh")
    assert unit_officer.returncode != 0 and unit_officer.stdout == ""
    assert "tidak berwenang" in unit_officer.stderr and "hanya dapat dilakukan oleh admin" in unit_officer.stderr
    into_closed = run("case", "merge", duplicate, "--into", closed, "--by", "admin-pusat")
    assert into_closed.returncode != 0 and into_closed.stdout == ""
    assert texts.MERGE_ERRORS["merge_target_closed"].format(into=closed) in into_closed.stderr
    itself = run("case", "merge", duplicate, "--into", duplicate, "--by", "admin-pusat")
    assert itself.returncode != 0 and texts.MERGE_ERRORS["merge_self"] in itself.stderr
    mistyped = run("case", "merge", duplicate, "--into", kept[:-1] + ("A" if kept[-1] != "A" else "B"),
                   "--by", "admin-pusat")
    assert mistyped.returncode != 0 and "salah ketik" in mistyped.stderr
    assert "tidak terdaftar" in run("case", "merge", duplicate, "--into", kept, "--by", "siapa").stderr
    not_merged = run("case", "unmerge", closed, "--by", "admin-pusat")
    assert not_merged.returncode != 0 and texts.MERGE_ERRORS["not_merged"].format(code=closed) in not_merged.stderr

    assert {code: await stored(app, code) for code in before} == before
    assert await outbox_to(app, "warga-2") == queued


async def test_the_list_sorts_by_supporters_then_newest(app, run):
    oldest = await file(app, "warga-1", "sampah menumpuk di depan pasar wonokromo")
    most = await file(app, "warga-2", "sampah liar di bantaran kali jagir", 1)
    newest = await file(app, "warga-3", "sampah di taman bungkul belum diangkut", 2)
    await support(app, oldest, "warga-4")
    for sender in ("warga-5", "warga-6"):
        await support(app, most, sender)

    def listed(*args: str) -> list[tuple[str, int]]:
        result = run("case", "list", "--json", *args)
        assert result.returncode == 0, result.stderr
        return [(row["code"], row["supporters"]) for row in json_lines(result.stdout)]

    assert listed() == [(newest, 0), (most, 2), (oldest, 1)]
    assert listed("--sort", "supporters") == [(most, 2), (oldest, 1), (newest, 0)]
    assert listed("--sort", "supporters", "--limit", "1") == [(most, 2)]
    rows = run("case", "list", "--sort", "supporters", "--by", "admin-pusat").stdout.splitlines()
    assert [row[:11] for row in rows] == [most, oldest, newest]
    assert rows[0].endswith("Pendukung: 2 warga") and rows[1].endswith("Pendukung: 1 warga")
    assert "Pendukung" not in rows[2]
    assert run("case", "list", "--sort", "terbanyak").returncode != 0
