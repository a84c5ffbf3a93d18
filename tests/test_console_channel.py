"""The terminal channel: JSON lines in and out, bad lines, and the interactive chat."""

import json
import re

import pytest

from bot.channels.console import ConsoleChat, ConsoleSender, TypedInput, parse_line
from tests.chat_harness import Clock, make_app

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")


async def lines_of(*items):
    for item in items:
        yield item if isinstance(item, str) else json.dumps(item)


@pytest.fixture
async def console(engine):
    app = await make_app(engine)
    out: list[dict] = []
    relay = app.relay({"console": ConsoleSender(out.append)})
    chat = ConsoleChat(app.conversation.handle, relay.drain, Clock(), out.append)
    return app, chat, out


async def test_a_scripted_conversation_ends_with_a_code_and_officers_are_told(console):
    app, chat, out = console
    await chat.run(lines_of(
        {"from": "warga-1", "text": "sampah numpuk di depan pasar wonokromo udah 3 hari"},
        {"from": "warga-1", "button": "privacy:anonim"},
        {"from": "warga-1", "button": "confirm:send"},
    ))
    receipt = next(line for line in out if "Kode laporan" in line.get("text", ""))
    assert receipt["to"] == "warga-1" and receipt["buttons"]
    code = CODE.search(receipt["text"]).group(0)
    # Monday 09:00 WIB: the verifier is told at once, with the suggested unit
    to_officers = [line for line in out if line.get("to") == "admin-pusat"]
    assert len(to_officers) == 1 and code in to_officers[0]["text"] and "Dinas Lingkungan Hidup" in to_officers[0]["text"]
    # replies come before the notifications they caused
    assert out.index(receipt) < out.index(to_officers[0])


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "bukan JSON"),
        ("[1, 2]", "objek JSON"),
        ('{"text": "halo"}', "\"from\""),
        ('{"from": "", "text": "halo"}', "\"from\""),
        ('{"from": "w", "text": "a", "button": "b"}', "tepat satu"),
        ('{"from": "w"}', "tepat satu"),
        ('{"from": "w", "text": 5}', "harus berupa teks"),
        ('{"from": "w", "location": {"lat": 200, "lon": 1}}', "lokasi"),
        ('{"from": "w", "location": "here"}', "lokasi"),
        ('"\\ud800"', "objek JSON"),
    ],
)
async def test_bad_lines_get_a_clear_error_and_the_loop_goes_on(console, line, problem):
    app, chat, out = console
    await chat.run(lines_of(line, {"from": "w", "text": "halo"}))
    assert problem in out[0]["error"] and out[0]["error"].startswith("Baris 1 diabaikan")
    assert "selamat datang" in out[1]["text"].lower()
    async with app.uow() as uow:
        assert await uow.dialogs.get("console", "w") is None  # nothing half-written


def test_location_photo_and_button_lines_are_translated():
    assert parse_line('{"from": "w", "location": {"lat": -7.29, "lon": 112.7}}').location == (-7.29, 112.7)
    photo = parse_line('{"from": "w", "photo": "/tmp/a.jpg", "caption": "jalan"}').media
    assert (photo.kind, photo.ref, photo.caption) == ("photo", "/tmp/a.jpg", "jalan")
    assert parse_line('{"from": " w ", "button": "menu:new"}').button == "menu:new"


def test_the_interactive_chat_numbers_buttons_and_presses_them():
    typed = TypedInput("warga")
    shown = typed.show({"to": "warga", "text": "Pilih", "buttons": [{"id": "privacy:biasa", "label": "Biasa"},
                                                                    {"id": "privacy:anonim", "label": "Anonim"}]})
    assert "[1] Biasa" in shown and "[2] Anonim" in shown
    assert typed.translate("2\n").button == "privacy:anonim"
    assert typed.translate("/lokasi -7.3, 112.7").location == (-7.3, 112.7)
    assert typed.translate("/foto foto.jpg").media.ref == "foto.jpg"
    assert typed.translate("jalan rusak").text == "jalan rusak"
    assert typed.translate("081234567890").text == "081234567890"  # a phone number, not button 81…
    # a message for an officer is marked and does not replace the citizen's buttons
    shown = typed.show({"to": "petugas-dlh", "text": "Laporan baru", "buttons": [{"id": "off:take:X", "label": "Ambil"}]})
    assert shown.startswith("📨 [untuk petugas-dlh]") and "(tombol: Ambil)" in shown and "[1]" not in shown
    assert typed.translate("1").button == "privacy:biasa"
    with pytest.raises(ValueError):
        typed.translate("7")
