"""The terminal channel: JSON lines in and out, bad lines, the interactive chat, and files
given by path (judged by the same media policy as Telegram and WhatsApp)."""

import json
import os
import re

import pytest

from bot import texts
from bot.channels.console import ConsoleChat, ConsoleSender, TypedInput, parse_line
from bot.media import MediaPolicy
from tests.chat_harness import Clock, make_app
from tests.fakes import media_files

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
        {"from": "warga-1", "button": "privacy:anonim"},  # "Kirim anonim" on the summary files it
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


# --- photos and documents: files on this machine, judged by the same policy ------------------


async def test_a_file_is_judged_by_its_bytes_and_refused_like_on_every_channel(console, tmp_path):
    app, chat, out = console
    photo = tmp_path / "jalan.jpg"
    photo.write_bytes(media_files.jpeg())
    letter = tmp_path / "surat.jpg"  # a PDF, named and sent as a photo
    letter.write_bytes(media_files.pdf())
    text_file = tmp_path / "catatan.pdf"
    text_file.write_text("bukan PDF", encoding="utf-8")
    bomb = tmp_path / "bom.png"
    bomb.write_bytes(media_files.png_claiming(100_000, 100_000))
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)

    await chat.run(lines_of({"from": "w", "text": "lampu jalan di gang 5 kebraon mati sudah seminggu"}))
    question = out[-1]["text"]
    async with app.uow() as uow:
        before = (await uow.dialogs.get("console", "w")).state
    refusals = [
        (str(text_file), texts.MEDIA_TYPE), (str(bomb), texts.MEDIA_TYPE), (str(tmp_path), texts.MEDIA_TYPE),
        (str(fifo), texts.MEDIA_TYPE), (str(tmp_path / "tidak-ada.jpg"), texts.MEDIA_FAILED),
    ]
    for path, expected in refusals:
        out.clear()
        await chat.run(lines_of({"from": "w", "photo": path}))
        assert [line["text"] for line in out] == [expected, question], path  # and the pending question again
    async with app.uow() as uow:
        assert (await uow.dialogs.get("console", "w")).state == before  # nothing changed in the draft

    await chat.run(lines_of({"from": "w", "photo": str(photo), "caption": "ini lubangnya"},
                            {"from": "w", "photo": str(letter)}))
    async with app.uow() as uow:
        evidence = (await uow.dialogs.get("console", "w")).state["draft"]["evidence"]
    assert [(e["kind"], e["ref"], e["caption"]) for e in evidence] == [
        ("photo", str(photo), "ini lubangnya"), ("document", str(letter), "")]


async def test_a_file_over_the_limit_is_refused_with_the_limit(engine, tmp_path):
    app = await make_app(engine)
    out: list[dict] = []
    chat = ConsoleChat(app.conversation.handle, app.relay({"console": ConsoleSender(out.append)}).drain, Clock(),
                       out.append, policy=MediaPolicy(max_bytes=64 * 1024))
    big = tmp_path / "besar.pdf"
    big.write_bytes(media_files.pdf(100_000))
    await chat.run(lines_of({"from": "w", "document": str(big)}))
    assert [line["text"] for line in out] == [texts.MEDIA_TOO_BIG.format(limit="64 KB")]
    async with app.uow() as uow:
        assert await uow.dialogs.get("console", "w") is None


async def test_the_interactive_foto_command_uses_the_same_policy(console, tmp_path):
    _app, chat, out = console
    typed = TypedInput("warga")
    notes = tmp_path / "catatan.txt"
    notes.write_text("bukan foto", encoding="utf-8")
    photo = tmp_path / "foto.png"
    photo.write_bytes(media_files.png())
    await chat.run(lines_of(f"/foto {notes}", f"/foto {photo}"), typed.translate)
    assert out[0] == {"to": "warga", "text": texts.MEDIA_TYPE, "buttons": []}
    assert out[1]["text"] == texts.START_INTAKE  # a photo first starts a report, and is attached to it
    assert "foto sudah kami lampirkan" in out[2]["text"]
