"""The public board (/papan/) as anyone reads it: no sign-in, this month's figures, nothing
personal, cacheable (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

from aduan.web.board import BoardCache
from complaints.model import Actor
from complaints.taxonomy import Role
from complaints.usecases import followup
from tests.chat_harness import START
from tests.web_harness import Console

ROADS = "Jalan, Jembatan dan Trotoar"
WASTE = "Kebersihan dan Sampah"
PHONE = "081234567890"


async def board(console: Console) -> str:
    async with console.client() as http:
        page = await http.get("/papan/")
    assert page.status_code == 200, page.text
    return page.text


def figure(page: str, what: str) -> str:
    found = re.search(r'<span class="value">([^<]+)</span>\s*<span class="what">' + re.escape(what), page)
    assert found, what
    return found.group(1)


def count(page: str, label: str) -> int | None:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th><td class="num">([0-9.]+)</td>', page)
    return None if found is None else int(found.group(1).replace(".", ""))


async def resolved(console: Console, code: str, answer: str = "Lubang sudah ditambal.", unit: str = "dsdabm") -> None:
    for status, key, note in (("didisposisikan", "admin", None), ("diproses", unit, "Segera kami tangani."),
                              ("selesai", unit, answer)):
        body = {"note": note} if note else {}
        reply = await console.api.set_status(code, status, key=key, **body)
        assert reply.status_code == 200, reply.text


def cache(console: Console) -> BoardCache:
    found = console.transport.app.state.board  # type: ignore[attr-defined]
    assert isinstance(found, BoardCache)
    return found


async def test_anyone_reads_the_board_without_signing_in_even_with_no_complaints(console: Console) -> None:
    async with console.client() as http:
        page = await http.get("/papan/")
    assert page.status_code == 200 and "set-cookie" not in page.headers
    assert page.headers["cache-control"] == "public, max-age=300"
    assert "Pengaduan bulan November 2026" in page.text and "Papan Pengaduan" in page.text
    assert "Belum ada pengaduan yang masuk bulan ini." in page.text
    assert figure(page.text, "pengaduan masuk bulan ini") == "0"
    assert "Keluar" not in page.text and "Kotak masuk" not in page.text  # no officers' menu
    assert '<html lang="id">' in page.text and "<caption>" not in page.text  # no empty tables


async def test_this_months_complaints_are_counted_by_category_and_unit_last_months_are_not(console: Console) -> None:
    console.clock.now = START - timedelta(days=30)  # 24 October
    await console.file(description="jalan berlubang di depan pasar", first_name="Wati")
    console.clock.now = START
    await console.file(description="aspal jalan mengelupas dekat sekolah", first_name="Wati")
    await console.file(description="jembatan kayu retak di gang 3", first_name="Yanto")
    await console.file(service_code="sampah", description="sampah menumpuk di TPS pasar", first_name="Yanto")
    page = await board(console)
    assert figure(page, "pengaduan masuk bulan ini") == "3"
    assert count(page, ROADS) == 2 and count(page, WASTE) == 1
    assert count(page, "Dinas Sumber Daya Air dan Bina Marga") == 2 and count(page, "Dinas Lingkungan Hidup") == 1


async def test_a_rahasia_complaint_is_counted_but_nothing_of_it_is_shown(console: Console) -> None:
    code = await console.file(**{"attribute[privacy]": "rahasia"}, first_name="Sulastri", phone=PHONE,
                              description="jalan ambles di depan rumah Bu Sulastri Jl. Melati 7",
                              address_string="Kebraon")
    await resolved(console, code, answer="Sudah kami urug bersama warga RT 3, hubungi Pak Budi " + PHONE)
    page = await board(console)
    assert figure(page, "pengaduan masuk bulan ini") == "1" and count(page, ROADS) == 1
    assert figure(page, "pengaduan diselesaikan bulan ini") == "1"
    for secret in ("Sulastri", "Melati", "Kebraon", "Karang Pilang", "urug", "Budi", PHONE, "0812", code):
        assert secret not in page, secret
    assert "Belum ada pengaduan yang dapat ditampilkan sebagai selesai bulan ini." in page


async def test_a_resolved_biasa_case_shows_the_units_answer_redacted(console: Console) -> None:
    code = await console.file(first_name="Sulastri", address_string="Kebraon",
                              description="jalan depan gang 5 berlubang besar, saya Sulastri")
    await resolved(console, code, answer=f"Lubang sudah ditambal. Info lanjut: Pak Budi {PHONE}, atau Bu Sulastri.")
    page = await board(console)
    assert "Lubang sudah ditambal. Info lanjut: Pak Budi [nomor HP], atau Bu [nama pelapor]." in page
    assert "23 November 2026" in page and "Kebraon, Karang Pilang" in page and ROADS in page
    assert PHONE not in page and "0812" not in page and "Sulastri" not in page
    assert "berlubang besar" not in page and code not in page  # neither the complaint's text nor its code


async def test_promised_repairs_are_kept_late_or_pending(console: Console) -> None:
    """Filed on 23 November: the resolution target is 60 days on (22 January); one filed on
    1 December is due on 30 January. Read on 25 January."""
    kept, late, still_open = [await console.file(description=f"jalan rusak nomor {n}", first_name="Wati")
                              for n in (1, 2, 3)]
    for code in (kept, late, still_open):
        await console.api.set_status(code, "didisposisikan")
        await console.api.set_status(code, "diproses", key="dsdabm", note="Masuk jadwal perbaikan.")
    console.clock.now = START + timedelta(days=8)  # 1 December
    pending = await console.file(description="jalan rusak nomor 4", first_name="Wati")
    await console.api.set_status(pending, "didisposisikan")
    await console.api.set_status(pending, "diproses", key="dsdabm", note="Masuk jadwal perbaikan.")
    await console.api.set_status(kept, "selesai", key="dsdabm", note="Sudah diaspal.")
    console.clock.now = START + timedelta(days=62)  # 24 January
    await console.api.set_status(late, "selesai", key="dsdabm", note="Sudah diaspal.")
    console.clock.advance(days=1)
    page = await board(console)
    assert "Pengaduan bulan Januari 2027" in page
    assert figure(page, "janji ditepati") == "1" and figure(page, "janji terlambat") == "2"
    assert figure(page, "belum jatuh tempo") == "1"
    rows = re.findall(r'<td class="board-day">([^<]+)</td>.*?<span class="due [^"]+">([^<]+)</span>', page)
    assert sorted(rows) == [("22 Januari 2027", "Ditepati"), ("22 Januari 2027", "Terlambat"),
                            ("22 Januari 2027", "Terlambat"), ("30 Januari 2027", "Belum jatuh tempo")]
    assert "selesai 1 Desember 2026" in page and "selesai 24 Januari 2027" in page
    assert figure(page, "pengaduan masuk bulan ini") == "0"  # filed in November and December


async def test_the_ikm_follows_this_months_ratings(console: Console) -> None:
    codes = [await console.file(description=f"jalan rusak di RW {n}", first_name="Wati") for n in (1, 2)]
    for code in codes:
        await resolved(console, code)
    async with console.app.uow() as uow:
        for code, skm in zip(codes, (4, 3), strict=True):
            complaint = await uow.complaints.get(code)
            owner = Actor(complaint.owner, Role.COMPLAINANT)
            await followup.rate(console.app.context(), uow, code, owner, True, console.clock())
            await followup.score(console.app.context(), uow, code, owner, skm, console.clock())
        await uow.commit()
    page = await board(console)
    assert figure(page, "Indeks Kepuasan Masyarakat") == "87,50"
    assert "mutu pelayanan B (Baik), dari 2 penilaian" in page


async def test_within_deadline_is_the_share_of_cases_judged(console: Console) -> None:
    quick = await console.file(description="jalan rusak di RW 1", first_name="Wati")
    await resolved(console, quick)
    await console.file(description="jalan rusak di RW 2", first_name="Wati")  # nobody verifies it
    console.clock.advance(days=7)  # past its 3 working days
    page = await board(console)
    assert figure(page, "ditangani tepat waktu") == "50%"
    assert "(1 dari 2 laporan yang sudah dapat dinilai)" in page


async def test_the_board_is_kept_five_minutes_then_refreshed_in_the_background(console: Console) -> None:
    await console.file(description="jalan rusak di RW 1", first_name="Wati")
    assert figure(await board(console), "pengaduan masuk bulan ini") == "1"
    await console.file(description="jalan rusak di RW 2", first_name="Wati")
    console.clock.advance(seconds=299)
    assert figure(await board(console), "pengaduan masuk bulan ini") == "1"  # the cached figures
    console.clock.advance(seconds=2)
    assert figure(await board(console), "pengaduan masuk bulan ini") == "1"  # answered at once, refreshing
    await cache(console).settled()
    assert figure(await board(console), "pengaduan masuk bulan ini") == "2"
