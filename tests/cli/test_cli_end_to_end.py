"""The real ``aduan`` command, as a script or an officer would run it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ADUAN = str(Path(sys.executable).parent / "aduan")
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")


@pytest.fixture
def run(database_url, engine, tmp_path):
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([ADUAN, *args], input=stdin, capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=60)

    return run


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_chat_jsonl_then_set_status_notifies_the_complainant(run):
    script = "\n".join(json.dumps(line) for line in [
        {"from": "warga-1", "text": "halo"},
        {"from": "warga-1", "text": "pak lampu pju di gg 5 kebraon mati udh seminggu",
         "profile": {"name": "Budi Santoso", "phone": "081234567890"}},  # what the channel knows: not asked
        {"from": "warga-1", "button": "confirm:send"},
    ]) + "\n{oops\n"
    chat = run("chat", "--jsonl", "--poll", "0", stdin=script)
    assert chat.returncode == 0, chat.stderr
    out = json_lines(chat.stdout)
    receipt = next(line for line in out if "Kode laporan" in line.get("text", ""))
    code = CODE.search(receipt["text"]).group(0)
    assert out[-1]["error"].startswith("Baris 4 diabaikan")
    # officers' messages wait for working hours (wall clock here), so only the citizen's are checked

    changed = run("case", "set-status", code.lower(), "didisposisikan", "--by", "admin-pusat")
    assert changed.returncode == 0, changed.stderr
    notice, *to_unit = json_lines(changed.stdout)
    assert notice["to"] == "warga-1" and notice["channel"] == "console"
    assert code in notice["text"] and "Diteruskan ke unit terkait" in notice["text"]
    assert [line["to"] for line in to_unit] == ["petugas-dishub"] and code in to_unit[0]["text"]

    working = run("case", "set-status", code, "diproses", "--by", "petugas-dishub", "--note", "Lampu diganti Selasa")
    [notice] = json_lines(working.stdout)
    assert "Sedang ditindaklanjuti" in notice["text"] and "Lampu diganti Selasa" in notice["text"]

    # the citizen's terminal: the status reply, then the two queued notifications, once
    check = run("chat", "--jsonl", "--poll", "0", stdin=json.dumps({"from": "warga-1", "text": f"cek {code}"}) + "\n")
    status, *delivered = json_lines(check.stdout)
    assert "Sedang ditindaklanjuti" in status["text"] and "Lampu diganti Selasa" in status["text"]
    delivered = [line for line in delivered if line["to"] == "warga-1"]
    assert len(delivered) == 2
    assert "Diteruskan" in delivered[0]["text"] and "Lampu diganti Selasa" in delivered[1]["text"]
    again = run("chat", "--jsonl", "--poll", "0", stdin=json.dumps({"from": "warga-1", "text": "halo"}) + "\n")
    assert [line["to"] for line in json_lines(again.stdout)].count("warga-1") == 1

    listing = run("case", "list", "--json")
    assert [row["code"] for row in json_lines(listing.stdout)] == [code]
    assert code in run("case", "list", "--by", "petugas-dishub").stdout  # disposed to them
    assert code not in run("case", "list", "--by", "petugas-dlh").stdout
    public = run("case", "show", code)  # without --by: what anyone may know
    assert public.returncode == 0 and "Budi" not in public.stdout and "6281234567890" not in public.stdout
    detail = run("case", "show", code, "--by", "petugas-dishub")
    assert "Budi Santoso" in detail.stdout and "petugas-dishub" in detail.stdout
    assert "+6281234567890" in detail.stdout  # the handling unit may call the complainant back
    other_unit = run("case", "show", code, "--by", "petugas-dlh")
    assert other_unit.returncode != 0 and "Budi" not in other_unit.stdout + other_unit.stderr
    assert "bukan kewenangan" in other_unit.stderr


# The refusals are the workflow's (tests/domain, on both databases); here the real command's
# wording and exit codes, fourteen processes of it, on SQLite only (30 s of the suite saved).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_officers_get_clear_errors_and_nothing_changes(run):
    chat = run("chat", "--jsonl", "--poll", "0", stdin="\n".join(json.dumps(line) for line in [
        {"from": "w", "text": "sampah numpuk di depan pasar wonokromo udah 3 hari"},
        {"from": "w", "button": "privacy:anonim"},
    ]) + "\n")
    code = CODE.search(chat.stdout).group(0)

    illegal = run("case", "set-status", code, "selesai", "--by", "admin-pusat", "--note", "beres")
    assert illegal.returncode != 0 and "tidak dapat diubah" in illegal.stderr and illegal.stdout == ""
    other_unit = run("case", "set-status", code, "didisposisikan", "--by", "petugas-dishub")
    assert other_unit.returncode != 0 and "tidak berwenang" in other_unit.stderr
    no_reason = run("case", "set-status", code, "ditolak", "--by", "admin-pusat")
    assert no_reason.returncode != 0 and "wajib disertai catatan" in no_reason.stderr and "--note" in no_reason.stderr
    assert "tidak terdaftar" in run("case", "set-status", code, "diverifikasi", "--by", "siapa").stderr
    assert "tidak dikenal" in run("case", "set-status", code, "beres", "--by", "admin-pusat").stderr
    assert "salah ketik" in run("case", "show", code[:-1] + ("A" if code[-1] != "A" else "B")).stderr
    detail = run("case", "show", code, "--by", "admin-pusat")
    assert "[diterima]" in detail.stdout and detail.stdout.count("· bot ·") == 1
    not_yet = run("case", "show", code, "--by", "petugas-dlh")  # suggested for dlh, not disposed yet
    assert not_yet.returncode != 0 and "belum didisposisikan" in not_yet.stderr and not_yet.stdout == ""
    supervisor = run("case", "set-status", code, "didisposisikan", "--by", "supervisor-dlh")
    assert supervisor.returncode != 0 and "hanya dapat dilakukan oleh admin" in supervisor.stderr
    taken = run("case", "assign", code, "petugas-dlh", "--by", "petugas-dlh")
    assert taken.returncode != 0 and "belum didisposisikan" in taken.stderr
    assert run("case", "set-status", code, "didisposisikan", "--by", "admin-pusat").returncode == 0
    silent = run("case", "set-status", code, "diproses", "--by", "petugas-dlh")  # the first follow-up needs a note
    assert silent.returncode != 0 and "wajib disertai catatan" in silent.stderr and "--note" in silent.stderr
    assert "[didisposisikan]" in run("case", "show", code, "--by", "petugas-dlh").stdout  # nothing changed


async def test_admins_see_undeliverable_notifications_and_can_retry(run, engine):
    from datetime import UTC, datetime

    from complaints.notifications import Notification
    from storage.uow import uow_factory

    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    async with uow_factory(engine)() as uow:
        await uow.outbox.add(Notification("k1", "telegram", "555", "Kabar terbaru", complaint_code="LPR-AAAA-AA"), now)
        [item] = await uow.outbox.claim(None, now)
        await uow.outbox.mark_failed(item.id, now, "Forbidden: bot was blocked by the user", None)
        await uow.commit()
    listing = run("outbox", "failed")
    assert f"#{item.id} [telegram → …55]" in listing.stdout and "blocked by the user" in listing.stdout
    assert run("outbox", "retry", str(item.id)).returncode == 0
    assert "Tidak ada pesan" in run("outbox", "failed").stderr
    assert "tidak ada" in run("outbox", "retry", str(item.id)).stderr
