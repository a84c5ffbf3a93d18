"""``aduan sender`` and ``aduan case set-status --spam``, as the admin runs them."""

import json
import os
import re

import pytest

from bot import texts
from complaints.model import Rejection, RejectionReason
from storage.uow import SqlUnitOfWork
from tests.cli.inprocess import aduan_runner

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")


@pytest.fixture
def run(database_url, engine, tmp_path):
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}

    return aduan_runner(env)


def chat(run, *lines: dict) -> list[dict]:
    done = run("chat", "--jsonl", "--poll", "0", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_the_admin_blocks_lists_and_unblocks_a_chat_and_the_history_keeps_it(run):
    blocked = run("sender", "block", "console:warga-iseng", "--reason", "laporan palsu berulang", "--by", "admin-pusat")
    assert blocked.returncode == 0, blocked.stderr
    assert "console:warga-iseng" in blocked.stdout and "laporan palsu berulang" in blocked.stdout
    out = chat(run, {"from": "warga-iseng", "text": "halo"}, {"from": "warga-iseng", "text": "halo lagi"})
    mine = [line for line in out if line.get("to") == "warga-iseng"]
    assert [line["text"] for line in mine] == [texts.SENDER_PAUSED.format(office="Admin Pengaduan Kota (Bagian Organisasi)")]

    listing = run("sender", "list")
    assert "console:warga-iseng" in listing.stdout and "admin-pusat" in listing.stdout
    assert "laporan palsu berulang" in listing.stdout and "Pesan selama diblokir: 2" in listing.stdout
    [row] = [json.loads(line) for line in run("sender", "list", "--json").stdout.splitlines()]
    assert (row["sender"], row["blocked_by"], row["attempts"]) == ("console:warga-iseng", "admin-pusat", 2)

    again = run("sender", "block", "console:warga-iseng", "--reason", "lagi", "--by", "admin-pusat")
    assert again.returncode != 0 and "sudah diblokir" in again.stderr
    lifted = run("sender", "unblock", "console:warga-iseng", "--reason", "salah paham", "--by", "admin-pusat")
    assert lifted.returncode == 0, lifted.stderr
    assert run("sender", "list").stdout == "" and texts.SENDER_NONE_BLOCKED in run("sender", "list").stderr
    history = [json.loads(line) for line in run("sender", "list", "--history", "--json").stdout.splitlines()]
    assert [(h["action"], h["actor"], h["reason"]) for h in history] == [
        ("unblocked", "admin-pusat", "salah paham"), ("blocked", "admin-pusat", "laporan palsu berulang")]
    out = chat(run, {"from": "warga-iseng", "text": "halo"})
    assert texts.SENDER_PAUSED[:40] not in " ".join(line.get("text", "") for line in out)


def test_only_admins_block_and_bad_ids_are_refused_clearly(run):
    not_admin = run("sender", "block", "telegram:12345", "--reason", "spam", "--by", "supervisor-dlh")
    assert not_admin.returncode != 0 and "Hanya admin" in not_admin.stderr
    officer = run("sender", "block", "console:petugas-dlh", "--reason", "uji", "--by", "admin-pusat")
    assert officer.returncode != 0 and "akun petugas" in officer.stderr
    bad = run("sender", "block", "12345", "--reason", "spam", "--by", "admin-pusat")
    assert bad.returncode != 0 and "KANAL:ID" in bad.stderr
    missing = run("sender", "unblock", "telegram:12345", "--reason", "x", "--by", "admin-pusat")
    assert missing.returncode != 0 and "tidak sedang diblokir" in missing.stderr
    assert run("sender", "list", "--history").stdout == ""


async def test_the_admin_rejects_a_case_as_spam_from_the_command_line(run, engine):
    out = chat(run, {"from": "warga-1", "text": "jalan di depan SDN Kebraon 1 berlubang besar sejak kemarin"},
               {"from": "warga-1", "button": "privacy:anonim"})
    code = next(CODE.search(line["text"]).group(0) for line in out if CODE.search(line.get("text", "")))
    wrong = run("case", "set-status", code, "diverifikasi", "--spam", "--by", "admin-pusat")
    assert wrong.returncode != 0 and "ditolak" in wrong.stderr
    done = run("case", "set-status", code, "ditolak", "--spam", "--note", "Laporan iseng.", "--by", "admin-pusat")
    assert done.returncode == 0, done.stderr
    async with SqlUnitOfWork(engine) as uow:
        rejected = await uow.complaints.get(code)
    assert rejected is not None and rejected.rejection == Rejection(RejectionReason.SPAM)
