"""The officers' console (/petugas/) and the public board (/papan/) in a real browser, on a
phone-sized screen, against the real ``aduan serve`` and ``aduan chat --jsonl``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Stack, in_ci

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture says the same: skipped here, a failure on CI
    if in_ci():
        raise
    pytest.skip("the playwright package is not installed (pip install -e '.[test]')", allow_module_level=True)

Phone = Callable[..., Any]


def test_an_officer_signs_in_by_link_once_and_signs_out(phone: Phone, stack: Stack) -> None:
    link = stack.login_link("petugas-dsdabm")
    page = phone()
    page.goto(link)
    expect(page.get_by_role("heading", name="Masuk dengan tautan")).to_be_visible()
    page.get_by_role("button", name="Masuk sebagai Agus Setiawan").click()
    expect(page).to_have_url(f"{stack.url}/petugas/")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    spent = phone()  # another browser with the same link: it was used
    spent.goto(link)
    expect(spent.get_by_role("alert")).to_be_visible()
    expect(spent.get_by_role("button", name=re.compile("Masuk sebagai"))).to_have_count(0)

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/petugas/masuk$"))
    expect(page.get_by_role("status")).to_have_text("Anda sudah keluar.")
    page.goto(f"{stack.url}/petugas/")  # the session has ended: back to the sign-in page
    expect(page).to_have_url(re.compile(r"/petugas/masuk"))
    expect(page.get_by_label("ID petugas")).to_be_visible()


def test_an_officer_signs_in_with_a_password(phone: Phone, stack: Stack) -> None:
    stack.aduan("officer", "set-password", "petugas-dlh", "--password", "sapu-lidi-bersih-2026")
    page = phone()
    page.goto(f"{stack.url}/petugas/masuk")
    page.get_by_label("ID petugas").fill("petugas-dlh")
    page.get_by_label("Kata sandi").fill("salah-sandi-sekali")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("ID petugas atau kata sandi salah.")
    page.get_by_label("Kata sandi").fill("sapu-lidi-bersih-2026")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(f"{stack.url}/petugas/")
    expect(page.get_by_text("Siti Rahmawati")).to_be_visible()


ROAD = "pak jalan di gg 5 kebraon berlubang besar udh seminggu, bahaya buat motor"
RUBBISH = "sampah menumpuk di depan pasar wonokromo sudah 3 hari, baunya menyengat"
DRAIN = "got mampet di jl kebraon 2 karang pilang sejak kemarin, air meluap ke jalan kalau hujan"
LAMP = "lampu pju di jl raya menganti wiyung mati sejak 3 hari lalu, gelap sekali malam hari"


def case_url(stack: Stack, code: str) -> str:
    return f"{stack.url}/petugas/laporan/{code}"


def to(sender: str, *words: str) -> Callable[[dict[str, Any]], bool]:
    """A chat line for ``sender`` whose text has all ``words``."""
    return lambda line: line.get("to") == sender and all(word in line.get("text", "") for word in words)


def dispose(page: Any, stack: Stack, code: str, unit: str) -> None:
    """The admin disposes ``code`` to ``unit`` (its name) from the case page."""
    page.goto(case_url(stack, code))
    form = page.get_by_role("form", name="Disposisi ke unit")
    form.get_by_label("Unit tujuan").select_option(label=unit)
    form.get_by_role("button", name="Disposisikan").click()
    expect(page.get_by_role("status")).to_have_text(f"{code}: Diteruskan ke unit terkait.")


def test_a_complaint_from_the_chat_to_its_answer(phone: Phone, stack: Stack, screenshot: Callable[..., Any]) -> None:
    """Filed in the chat; the admin filters the inbox and disposes; the unit works on it and
    answers; the citizen's terminal hears of each step."""
    chat = stack.chat
    road = chat.file_complaint("warga-jalan", ROAD)
    rubbish = chat.file_complaint("warga-sampah", RUBBISH, name="Sri Utami", phone="081298765432")

    admin = phone("admin-pusat")
    expect(admin.locator(f'tr[data-code="{road}"]')).to_be_visible()
    expect(admin.locator(f'tr[data-code="{rubbish}"]')).to_be_visible()
    screenshot(admin, "inbox")

    admin.get_by_label("Layanan").select_option(label="Jalan, Jembatan dan Trotoar")
    admin.get_by_role("button", name="Terapkan").click()
    expect(admin).to_have_url(re.compile(r"kategori="))
    expect(admin.locator(f'tr[data-code="{road}"]')).to_be_visible()
    expect(admin.locator(f'tr[data-code="{rubbish}"]')).to_have_count(0)
    admin.get_by_label("Layanan").select_option(label="Semua layanan")
    admin.get_by_label("Kelurahan").fill("Wonokromo")
    admin.get_by_role("button", name="Terapkan").click()
    expect(admin.locator(f'tr[data-code="{rubbish}"]')).to_be_visible()
    expect(admin.locator(f'tr[data-code="{road}"]')).to_have_count(0)

    # the rubbish case by the bulk form, to the unit the system suggests (DLH)
    admin.get_by_label(f"Pilih {rubbish}").check()
    admin.get_by_label("Tindakan untuk yang dipilih").select_option(label="Disposisikan")
    admin.get_by_role("button", name="Jalankan").click()
    expect(admin.get_by_role("status")).to_have_text("1 laporan diubah menjadi Diteruskan ke unit terkait.")
    chat.wait_for(to("warga-sampah", rubbish, "Diteruskan ke unit terkait"), "the rubbish case's disposition")

    # the road case from its page
    admin.get_by_label("Kelurahan").fill("")
    admin.get_by_label("Cari kode atau kata").fill(road)
    admin.get_by_role("button", name="Terapkan").click()
    admin.get_by_role("link", name=road).click()
    expect(admin).to_have_url(case_url(stack, road))
    dispose(admin, stack, road, "Dinas Sumber Daya Air dan Bina Marga")
    chat.wait_for(to("warga-jalan", road, "Diteruskan ke unit terkait"), "the road case's disposition")

    officer = phone("petugas-dsdabm")
    expect(officer.locator(f'tr[data-code="{road}"]')).to_be_visible()
    expect(officer.locator(f'tr[data-code="{rubbish}"]')).to_have_count(0)  # DLH's
    officer.get_by_role("link", name=road).click()
    expect(officer.get_by_text("Budi Santoso")).to_be_visible()  # the handling unit sees who reported
    work = officer.get_by_role("form", name="Tindak lanjut")
    work.get_by_label("Catatan untuk pelapor").fill("Tim kami meninjau lokasi besok pagi.")
    work.get_by_role("button", name="Tandai diproses").click()
    expect(officer.get_by_role("status")).to_have_text(f"{road}: Sedang ditindaklanjuti.")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Sedang ditindaklanjuti")
    chat.wait_for(to("warga-jalan", road, "Tim kami meninjau lokasi besok pagi."), "the follow-up note")

    done = officer.get_by_role("form", name="Selesaikan")
    done.get_by_label("Jawaban untuk pelapor").fill("Lubang sudah ditambal dan jalan dapat dilalui kembali.")
    done.get_by_role("button", name="Selesaikan").click()
    expect(officer.get_by_role("status")).to_have_text(f"{road}: Selesai ditindaklanjuti.")
    expect(officer.get_by_role("list").filter(has_text="Lubang sudah ditambal")).to_be_visible()  # the timeline
    screenshot(officer, "case")
    screenshot(officer, "case-full", full_page=True)
    answer = chat.wait_for(to("warga-jalan", road, "Lubang sudah ditambal dan jalan dapat dilalui kembali."),
                           "the answer")
    assert "Selesai" in answer["text"] and answer["buttons"]  # and the citizen is asked for a rating

    board = phone()  # the public, not signed in
    response = board.goto(f"{stack.url}/papan/")
    assert response is not None and response.status == 200
    expect(board.get_by_role("heading", level=1)).to_be_visible()
    assert "Budi Santoso" not in board.content() and "81234567890" not in board.content()
    screenshot(board, "board")


def test_a_unit_officer_cannot_open_another_units_case(phone: Phone, stack: Stack) -> None:
    drain = stack.chat.file_complaint("warga-got", DRAIN, name="Andi Wijaya", phone="081311112222")
    dispose(phone("admin-pusat"), stack, drain, "Dinas Sumber Daya Air dan Bina Marga")

    other = phone("petugas-dlh")
    response = other.goto(case_url(stack, drain))
    assert response is not None and response.status == 403
    expect(other.get_by_role("alert")).to_have_text("Anda tidak berwenang membuka laporan ini.")
    refused = other.content()
    assert "Andi Wijaya" not in refused and "got mampet" not in refused  # nothing of the case is shown
    expect(other.get_by_role("main").get_by_role("button")).to_have_count(0)  # and nothing can be done

    own = phone("petugas-dsdabm")  # the unit it was disposed to may
    response = own.goto(case_url(stack, drain))
    assert response is not None and response.status == 200
    expect(own.get_by_text("Andi Wijaya")).to_be_visible()


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(phone: Phone, stack: Stack) -> None:
    lamp = stack.chat.file_complaint("warga-lampu", LAMP, name="Rini Astuti", phone="081355556666")
    admin = phone("admin-pusat")
    admin.goto(case_url(stack, lamp))
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Diterima")
    timeline = admin.locator("ol.timeline > li")
    entries = timeline.count()
    heard = len(stack.chat.messages_to("warga-lampu"))  # the summary and the receipt

    verify = admin.get_by_role("form", name="Verifikasi")
    verify.locator('input[name="csrf"]').evaluate("input => input.remove()")
    with admin.expect_response(lambda r: r.request.method == "POST") as posted:
        verify.get_by_role("button", name="Verifikasi").click()
    assert posted.value.status == 403
    expect(admin.get_by_role("alert")).to_contain_text("Tidak ada yang diubah")

    admin.goto(case_url(stack, lamp))
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Diterima")
    expect(timeline).to_have_count(entries)
    # the same form with its token works: the refusal was the token's, not the move's
    admin.get_by_role("form", name="Verifikasi").get_by_role("button", name="Verifikasi").click()
    expect(admin.get_by_role("status")).to_have_text(f"{lamp}: Diverifikasi.")
    expect(timeline).to_have_count(entries + 1)
    stack.chat.wait_for(to("warga-lampu", lamp, "Diverifikasi"), "the verification's notice")
    assert len(stack.chat.messages_to("warga-lampu")) == heard + 1  # the refused form queued nothing
