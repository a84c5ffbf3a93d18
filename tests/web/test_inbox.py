"""The console's inbox: whose cases each officer sees, the deadline colours, the filters,
the search, the pages, and the admin's bulk verify and dispose. SQLite and PostgreSQL."""

import re

from tests.web_harness import Console

ROW = re.compile(r'<tr data-code="(LPR-[^"]+)"')


def codes(page) -> list[str]:
    assert page.status_code == 200, page.text
    return ROW.findall(page.text)


async def dispose(console: Console, code: str, unit: str | None = None) -> None:
    response = await console.api.set_status(code, "didisposisikan", **({"unit": unit} if unit else {}))
    assert response.status_code == 200, response.text


async def test_each_officer_sees_the_cases_they_handle(console: Console) -> None:
    road = await console.file(service_code="jalan", description="jalan berlubang di depan pasar")
    rubbish = await console.file(service_code="sampah", description="sampah menumpuk dekat sekolah")
    fresh = await console.file(service_code="jalan", description="aspal mengelupas di gang tiga")
    await dispose(console, road)
    await dispose(console, rubbish)
    admin = await console.sign_in("admin-pusat")
    assert codes(await admin.get("/petugas/")) == [fresh]  # the admin's default: waiting for verification
    assert set(codes(await admin.get("/petugas/?status=semua"))) == {road, rubbish, fresh}
    roads = await console.sign_in("petugas-dsdabm")
    assert codes(await roads.get("/petugas/")) == [road]  # its own, once disposed; never the undisposed one
    assert codes(await roads.get("/petugas/?status=semua")) == [road]
    assert codes(await roads.get(f"/petugas/?cari={rubbish}")) == []  # another unit's code finds nothing
    head = await console.sign_in("kepala-pusat")  # the central unit oversees every case
    assert set(codes(await head.get("/petugas/"))) == {road, rubbish, fresh}


async def test_sorted_by_deadline_and_coloured(console: Console) -> None:
    first = await console.file(description="jalan berlubang pertama")
    console.clock.advance(days=3)
    second = await console.file(description="jalan berlubang kedua")
    console.clock.advance(days=2)  # the first is past its three working days, the second due soon
    admin = await console.sign_in("admin-pusat")
    page = await admin.get("/petugas/")
    assert codes(page) == [first, second]
    rows = dict(re.findall(r'data-code="(LPR-[^"]+)".*?class="due due-(\w+)"', page.text, re.S))
    assert rows == {first: "late", second: "ok"}
    overdue = await admin.get("/petugas/?terlambat=1")
    assert codes(overdue) == [first]


async def test_filters_search_and_pages(console: Console) -> None:
    made = []
    for n in range(27):
        made.append(await console.file(service_code="jalan", description=f"jalan rusak nomor {n} dekat masjid",
                                       address_string="Kebraon"))
    light = await console.file(service_code="penerangan", description="lampu jalan mati total",
                               address_string="Wonokromo", first_name="Budi")
    hidden = await console.file(service_code="penerangan", description="lampu taman mati total",
                                address_string="Wonokromo")  # anonymous: found by its code only
    admin = await console.sign_in("admin-pusat")
    first = await admin.get("/petugas/")
    assert len(codes(first)) == 25 and "Halaman 1 dari 2" in first.text
    second = await admin.get("/petugas/?halaman=2")
    assert len(codes(second)) == 4 and set(codes(first)) | set(codes(second)) == {*made, light, hidden}
    assert codes(await admin.get("/petugas/?kategori=penerangan")) == [light, hidden]
    assert codes(await admin.get("/petugas/?kelurahan=wonokromo")) == [light, hidden]
    assert codes(await admin.get("/petugas/?cari=lampu+mati")) == [light]
    assert codes(await admin.get(f"/petugas/?cari={hidden}")) == [hidden]
    assert codes(await admin.get(f"/petugas/?cari={made[4].lower()}")) == [made[4]]  # a code, as typed
    assert codes(await admin.get("/petugas/?cari=%25%25")) == []  # a wildcard is a character like any other
    assert codes(await admin.get("/petugas/?status=bukan-status&kategori=apa&halaman=x")) != []  # ignored, not 500


async def test_mine_after_taking_a_case(console: Console) -> None:
    mine, other = await console.file(), await console.file()
    await dispose(console, mine)
    await dispose(console, other)
    officer = await console.sign_in("petugas-dsdabm")
    await officer.post(f"/petugas/laporan/{mine}/tugaskan", {"petugas": "petugas-dsdabm"})
    page = await officer.get("/petugas/?saya=1")
    assert codes(page) == [mine] and "Agus Setiawan" in page.text


async def test_the_admin_disposes_many_at_once_and_a_refusal_stops_no_other(console: Console) -> None:
    a, b, c = await console.file(), await console.file(), await console.file()
    await console.api.set_status(c, "ditolak", note="bukan kewenangan kami")
    admin = await console.sign_in("admin-pusat")
    verified = await admin.post("/petugas/massal", [("kode", a), ("kode", b), ("aksi", "verifikasi")])
    assert verified.status_code == 303
    page = await admin.get("/petugas/")
    assert "2 laporan diubah menjadi" in page.text
    done = await admin.post("/petugas/massal", [("kode", a), ("kode", b), ("kode", c), ("aksi", "disposisi"),
                                                ("unit", "dlh")])
    assert done.status_code == 303
    page = await admin.get("/petugas/")
    assert "2 laporan diubah menjadi" in page.text and f"{c} tidak diubah" in page.text
    async with console.app.uow() as uow:
        for code in (a, b):
            stored = await uow.complaints.get(code)
            assert stored.status.value == "didisposisikan" and stored.unit_id == "dlh"
        assert (await uow.complaints.get(c)).status.value == "ditolak"
    assert codes(await (await console.sign_in("petugas-dlh")).get("/petugas/")) == sorted([a, b], key=[a, b].index)


async def test_a_unit_officer_cannot_bulk_dispose(console: Console) -> None:
    code = await console.file()
    officer = await console.sign_in("petugas-dsdabm")
    assert "Jalankan" not in (await officer.get("/petugas/")).text
    await officer.post("/petugas/massal", [("kode", code), ("aksi", "disposisi")])
    async with console.app.uow() as uow:
        assert (await uow.complaints.get(code)).status.value == "diterima"


async def test_without_a_session_the_inbox_asks_to_sign_in(console: Console) -> None:
    async with console.client() as browser:
        page = await browser.get("/petugas/?status=semua")
        assert page.status_code == 303 and page.headers["location"].startswith("/petugas/masuk?lanjut=")
        posted = await browser.post("/petugas/massal", data={"kode": "LPR-AAAA-AA", "aksi": "verifikasi"})
        assert posted.status_code == 303 and posted.headers["location"] == "/petugas/masuk"


async def test_a_word_search_counts_up_to_a_limit(console: Console, monkeypatch) -> None:
    from aduan.web import inbox

    monkeypatch.setattr(inbox, "COUNT_WORDS_UP_TO", 2)
    found = [await console.file(description=f"got mampet nomor {n}", first_name="Wati") for n in range(3)]
    admin = await console.sign_in("admin-pusat")
    page = await admin.get("/petugas/?cari=mampet")
    assert set(codes(page)) == set(found) and "lebih dari 2 laporan" in page.text
    assert "3 laporan" in (await admin.get("/petugas/")).text  # without words: the exact count


async def test_a_word_that_spells_a_code_is_searched_as_a_word(console: Console) -> None:
    mampet = await console.file(description="got mampet di gang lima", first_name="Wati")
    admin = await console.sign_in("admin-pusat")
    assert codes(await admin.get("/petugas/?cari=mampet")) == [mampet]  # "mampet" is also LPR-MAMP-ET
    assert codes(await admin.get("/petugas/?cari=LPR-MAMP-ET")) == []
