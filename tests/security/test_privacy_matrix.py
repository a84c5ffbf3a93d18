"""Who reads a complainant's personal data, as one table of (privacy mode × viewer × surface).

For each privacy mode one complaint is filed whose text, caption and later answer hold a
NIK, phone numbers in several writings, an e-mail address and (biasa, rahasia) the
complainant's name; the complainant also gave a name and a number of their own. The case
then goes through disposition, escalation to the supervisor and the central head, a
question to the complainant, the answer and the resolution. Every surface is then read as
every viewer: the notices each officer received, the officers' chat commands, ``aduan case
show/list``, the REST API and Open311 with each officer's key and with none, the
complainant's and a stranger's status check, the recap exports, and every log line of the
whole run. What each viewer may read is the table ``MAY_READ``; nothing else may appear,
and the cells that must show something are checked to show it.

The unit's last answer names the complainant and writes their numbers and e-mail (one in a
writing no general pattern takes for a phone); the complaint is about a road and has a point:
its exact point is for staff and the complainant, the public reads it rounded to about 100 m
(``near``) on a biasa complaint only.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from aduan.commands import main as aduan_command
from aduan.http import create_http_app
from aduan.privacy import configure_logging
from aduan.report import ReportRequest, export_report
from complaints.model import Actor, Complainant, Complaint, Evidence, Place, Supporter
from complaints.recap import Period
from complaints.taxonomy import Category, PrivacyMode, Role, Status
from complaints.usecases import casework, filing, supporting
from tests.api_harness import add_key
from tests.chat_harness import WIB, Citizen, Clock
from tests.web_harness import login_link, sign_in_by_link

NIK = "3578011234560001"
TEXT_PHONES = ("81234567890", "81298765432")  # national numbers, as the texts write them in several ways
CONTACT = "85712345678"  # the number the complainant gave at intake (+6285712345678)
EMAIL = "lastri.w88@mail.co.id"
NAME = ("sulastri", "wulandari")

NAMED_TEXT = (
    "Petugas loket minta uang 200rb untuk urus KK. NIK saya 3578 0112 3456 0001, saya Sulastri, "
    "hp 0812-3456-7890 atau +62 812 9876 5432, email lastri.w88@mail.co.id. Jalan depan kantor juga bolong."
)
NAMELESS_TEXT = NAMED_TEXT.replace(", saya Sulastri", "")
NAMED_ANSWER = "Ini fotonya pak. NIK 3578-0112-3456-0001, saya Sulastri, telp (0812) 9876 5432."
NAMELESS_ANSWER = NAMED_ANSWER.replace(", saya Sulastri", "")
# the unit's answer, as an officer may write it (the contact without its 0: only the known number finds it)
NAMED_NOTE = ("Jalan sudah ditambal, Bu Sulastri. Bila masih rusak hubungi 0812-9876-5432 atau balas ke "
              "lastri.w88@mail.co.id; nomor Ibu 857-1234-5678 sudah kami catat. Terima kasih.")
NAMELESS_NOTE = NAMED_NOTE.replace(", Bu Sulastri", "").replace("; nomor Ibu 857-1234-5678 sudah kami catat", "")
LATITUDE, LONGITUDE = -7.331234, 112.710567
EXACT_POINT = re.compile(r"7\.3312\d|112\.710[56]")  # in any precision from 4 decimals
NEAR_POINT = re.compile(r"-7\.331(?!\d)|112\.711(?!\d)")  # rounded to 3 decimals

ALL = frozenset({"nik", "phone", "email", "name", "contact"})
NONE: frozenset[str] = frozenset()
B, R, A = PrivacyMode.BIASA, PrivacyMode.RAHASIA, PrivacyMode.ANONIM
STAFF = {  # viewer -> officer id of the demo organisation
    "admin": "admin-pusat",
    "unit": "petugas-dsdabm",  # the unit the case is disposed to
    "supervisor": "supervisor-dsdabm",
    "central head": "kepala-pusat",  # hears level 3 (the unit has no head)
    "other unit": "petugas-dlh",
}
VIEWERS = (*STAFF, "public", "stranger", "owner", "supporter")  # supporter: a citizen who supports the case
# What each viewer may read of the complainant's personal data, wherever they look.
MAY_READ: dict[tuple[PrivacyMode, str], frozenset[str]] = {
    **{(mode, viewer): NONE for mode in PrivacyMode for viewer in VIEWERS},
    (B, "admin"): ALL, (B, "unit"): ALL - {"nik"}, (B, "supervisor"): ALL - {"nik"},
    (B, "central head"): ALL - {"nik"}, (B, "owner"): ALL,
    (R, "admin"): ALL, (R, "owner"): ALL,
    (A, "owner"): ALL - {"name", "contact"},  # an anonymous complaint keeps no name or number
}
# Where the problem is: the exact point for staff handling the case and the complainant; the
# public reads a biasa road complaint's point rounded (not personal data, but shown only then).
for _mode in PrivacyMode:
    for _viewer in VIEWERS:
        _place = {"point", "near"} if _viewer in ("admin", "unit", "supervisor", "central head", "owner") else set()
        if _mode is B:
            _place.add("near")
        MAY_READ[(_mode, _viewer)] = MAY_READ[(_mode, _viewer)] | _place
# Cells that must show something (so the table cannot pass by showing nothing).
MUST_READ: dict[tuple[PrivacyMode, str, str], frozenset[str]] = {
    (B, "admin", "chat /lihat"): ALL,
    (R, "admin", "chat /lihat"): ALL,
    (R, "admin", "api detail"): ALL,
    (R, "admin", "cli show"): ALL,
    (B, "admin", "web case"): ALL,
    (R, "admin", "web case"): ALL,
    (B, "unit", "web case"): frozenset({"name", "contact", "phone", "email"}),
    (B, "unit", "chat /lihat"): frozenset({"name", "contact", "phone", "email"}),
    (B, "unit", "api detail"): frozenset({"name", "contact"}),
    (B, "unit", "notices"): frozenset({"name", "contact"}),
    (B, "supervisor", "notices"): frozenset({"name"}),
    (B, "owner", "chat cek"): frozenset({"nik"}),
    (R, "owner", "chat cek"): frozenset({"nik"}),
    (A, "owner", "chat cek"): frozenset({"nik"}),
    (B, "public", "open311 get"): frozenset({"near"}),
    (B, "public", "open311 list"): frozenset({"near"}),
    (B, "public", "api detail"): frozenset({"near"}),
    (B, "other unit", "open311 get"): frozenset({"near"}),
    (R, "unit", "open311 get"): frozenset({"point"}),
    (A, "admin", "api detail"): frozenset({"point"}),
}


def found(text: str) -> frozenset[str]:
    """Which personal data of the scenario a rendered text holds, in whatever writing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    digits = re.sub(r"(?<=\d)[\s\-.()]+(?=\d)", "", text)
    digits = re.sub(r"\+?62(?=8\d{8,11})", "0", digits)
    kinds = set()
    if NIK in digits:
        kinds.add("nik")
    if any(phone in digits for phone in TEXT_PHONES):
        kinds.add("phone")
    if CONTACT in digits:
        kinds.add("contact")
    if EMAIL in text:
        kinds.add("email")
    if any(part in text for part in NAME):
        kinds.add("name")
    if EXACT_POINT.search(text):
        kinds.add("point")
    if NEAR_POINT.search(text):
        kinds.add("near")
    return frozenset(kinds)


@dataclass
class Readings:
    """What each viewer read on each surface."""

    texts: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, viewer: str, surface: str, text: str) -> None:
        self.texts.setdefault((viewer, surface), []).append(text)


def cli(*args: str, env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(aduan_command, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def staff_names_out(org, page: str) -> str:
    """The page without the officers' own names (the web shows who acted; the admin of the
    demo organisation shares a surname with the scenario's complainant)."""
    for officer in org.officers.values():
        page = page.replace(officer.name, officer.id)
    return page


def xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


async def run_scenario(app, database_url: str, mode: PrivacyMode, tmp_path: Path) -> Readings:
    readings = Readings()
    ctx = app.context()
    org = ctx.org
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    owner = Citizen(app, clock, sender=f"warga-{mode.value}")
    named = mode is not A
    complaint = Complaint(
        code="", description=NAMED_TEXT if named else NAMELESS_TEXT, channel="console", sender=owner.sender,
        created_at=clock(), category=Category.JALAN, privacy=mode,
        place=Place(detail="Jl. Mastrip gg 5, depan rumah Bu Sulastri" if named else "Jl. Mastrip gg 5",
                    region_code="35.78.04.1001", region_name="Kebraon, Karang Pilang, Kota Surabaya",
                    latitude=LATITUDE, longitude=LONGITUDE),
        event_date=date(2026, 11, 20),
        evidence=[Evidence("photo", "media/2026/11/bukti.jpg", caption="bukti, hp saya 0812 3456 7890")],
        # an anonymous filing may come with a name and number (a channel profile): none is kept
        complainant=Complainant(name="Sulastri Wulandari", phone="+6285712345678", email=None),
    )

    async def act(step):
        async with app.uow() as uow:
            result = await step(uow)
            await uow.commit()
        return result

    def actor(viewer: str) -> Actor:
        return org.officers[STAFF[viewer]].actor

    await act(lambda uow: filing.submit(ctx, uow, complaint, clock()))
    code = complaint.code
    clock.advance(hours=1)
    await act(lambda uow: casework.change_status(ctx, uow, code, Status.DIDISPOSISIKAN, actor("admin"), clock(),
                                             unit_id="dsdabm"))
    backer = Citizen(app, clock, sender="warga-pendukung")
    await act(lambda uow: supporting.support(ctx, uow, code, Supporter("console", backer.sender, PrivacyMode.BIASA,
                                                                       clock(), name="Joko"),
                                             "Saya juga lewat sini tiap hari, jalannya bolong.", [], clock()))
    await app.sweeper.sweep(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))  # level 2: the supervisor
    await app.sweeper.sweep(datetime(2026, 12, 2, 9, 0, tzinfo=WIB))  # level 3: the central head
    clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=WIB)
    await act(lambda uow: casework.change_status(ctx, uow, code, Status.MENUNGGU_INFORMASI, actor("unit"), clock(),
                                             "Mohon kirim foto lokasinya."))
    await owner.says(NAMED_ANSWER if named else NAMELESS_ANSWER)  # relayed to the unit
    await act(lambda uow: casework.change_status(ctx, uow, code, Status.SELESAI, actor("unit"), clock(),
                                             NAMED_NOTE if named else NAMELESS_NOTE))
    await app.sweeper.digest(datetime(2026, 12, 3, 7, 0, tzinfo=WIB))

    # notices: every message queued to anyone during the run
    async with app.uow() as uow:
        rows = (await uow.connection.exec_driver_sql("SELECT recipient, text FROM outbox")).all()
    by_chat = {officer_id: viewer for viewer, officer_id in STAFF.items()}
    by_chat[owner.sender] = "owner"
    by_chat[backer.sender] = "supporter"
    for recipient, text in rows:
        readings.add(by_chat.get(recipient, "other unit"), "notices", text)  # e.g. other units' digests

    # the officers' own chats
    for viewer, officer_id in STAFF.items():
        officer_chat = Citizen(app, clock, sender=officer_id)
        readings.add(viewer, "chat /lihat", await officer_chat.says(f"/lihat {code}"))
        readings.add(viewer, "chat /daftar", await officer_chat.says("/daftar"))

    # citizens' chats
    readings.add("owner", "chat cek", await owner.says(f"cek {code}"))
    readings.add("owner", "chat laporan saya", await owner.says("laporan saya"))
    readings.add("supporter", "chat cek", await backer.says(f"cek {code}"))
    readings.add("supporter", "chat laporan saya", await backer.says("laporan saya"))
    readings.add("stranger", "chat cek", await Citizen(app, clock, sender="warga-lain").says(f"cek {code}"))

    # the REST API and Open311
    server = create_http_app(app, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://aduan") as http:
        keys = {viewer: (await add_key(app, "admin" if viewer == "admin" else "officer", officer_id))[1]
                for viewer, officer_id in STAFF.items()}
        keys["public"] = (await add_key(app, "public", None))[1]
        for viewer, key in keys.items():
            headers = {"X-API-Key": key}
            for surface, url in (("api detail", f"/api/v1/complaints/{code}"), ("api list", "/api/v1/complaints"),
                                 ("open311 get", f"/open311/v2/requests/{code}.json")):
                response = await http.get(url, headers=headers)
                assert response.status_code == 200, (viewer, url, response.text)
                readings.add(viewer, surface, response.text)
        for surface, url in (("open311 get", f"/open311/v2/requests/{code}.json"),
                             ("open311 list", "/open311/v2/requests.json")):
            response = await http.get(url)
            assert response.status_code == 200, response.text
            readings.add("public", surface, response.text)
        # the web console, each officer signed in in their own browser
        for viewer, officer_id in STAFF.items():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://aduan") as web:
                await sign_in_by_link(web, await login_link(app, officer_id, clock()))
                page = await web.get(f"/petugas/laporan/{code}")
                assert page.status_code == (403 if viewer == "other unit" else 200), (viewer, page.text)
                readings.add(viewer, "web case", staff_names_out(org, page.text))
                readings.add(viewer, "web inbox", staff_names_out(org, (await web.get("/petugas/?status=semua")).text))
                # a search never confirms what the view hides: what it found is read as what was typed
                for typed in (NIK, "Sulastri", "081234567890", EMAIL):
                    results = await web.get("/petugas/", params={"status": "semua", "cari": typed})
                    readings.add(viewer, "web search", typed if f'data-code="{code}"' in results.text else "")

    # the recap book, in its three formats
    for fmt in ("csv", "html", "xlsx"):
        request = ReportRequest(Period(date(2026, 11, 1), date(2026, 12, 31)), fmt, tmp_path / f"rekap.{fmt}",
                                clock(), None)
        await export_report(app.db, org, ctx.calendar, request)
        path = tmp_path / f"rekap.{fmt}"
        readings.add("admin", f"export {fmt}", xlsx_text(path) if fmt == "xlsx" else path.read_text("utf-8-sig"))

    # the command line, as each officer and without --by (the public view)
    env = {"ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path), "ADUAN_LOG_LEVEL": "DEBUG"}
    for viewer in (*STAFF, "public"):
        by = ["--by", STAFF[viewer]] if viewer in STAFF else []
        _, shown = await asyncio.to_thread(cli, "case", "show", code, *by, env=env)
        readings.add(viewer, "cli show", shown)
        _, listed = await asyncio.to_thread(cli, "case", "list", *by, env=env)
        readings.add(viewer, "cli list", listed)
    return readings


@pytest.mark.parametrize("mode", list(PrivacyMode), ids=[m.value for m in PrivacyMode])
async def test_each_viewer_reads_only_what_the_privacy_mode_allows(app, database_url, mode, tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)  # the production log setup, at DEBUG, into this buffer
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("DEBUG")
    try:
        readings = await run_scenario(app, database_url, mode, tmp_path)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)

    problems = []
    for (viewer, surface), texts in readings.texts.items():
        allowed = MAY_READ[(mode, viewer)] if not surface.startswith("export") else NONE
        seen = frozenset().union(*(found(text) for text in texts))
        if seen - allowed:
            problems.append(f"{viewer} / {surface} reads {sorted(seen - allowed)}: {texts[0][:300]!r}")
        missing = MUST_READ.get((mode, viewer, surface), NONE) - seen
        if missing:
            problems.append(f"{viewer} / {surface} should read {sorted(missing)}: {texts[0][:300]!r}")
    logged = log.getvalue()
    if found(logged):
        problems.append(f"the logs hold {sorted(found(logged))}")
    assert not problems, "\n".join(problems)

    # the supporter was told of each move, with the unit's answer (redacted), never the complainant's words
    told = readings.texts[("supporter", "notices")]
    assert any("Jalan sudah ditambal" in text for text in told) and not any("200rb" in text for text in told)

    # every cell of the table was read at least once on the surfaces each viewer has
    viewers_read = {viewer for viewer, _ in readings.texts}
    assert viewers_read == set(VIEWERS)
    for viewer in STAFF:
        assert {s for v, s in readings.texts if v == viewer} >= {
            "chat /lihat", "chat /daftar", "api detail", "api list", "open311 get", "cli show", "cli list",
            "web case", "web inbox", "web search"}


async def test_the_unit_reads_the_redacted_text_and_may_still_ask_through_the_bot(app):
    """A rahasia case reaches its unit with the personal data replaced, not dropped."""
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    complaint = Complaint(code="", description=NAMED_TEXT, channel="console", sender="warga-9",
                          created_at=clock(), category=Category.JALAN, privacy=R,
                          complainant=Complainant(name="Sulastri Wulandari", phone="+6285712345678"))
    async with app.uow() as uow:
        await filing.submit(app.context(), uow, complaint, clock())
        change = await casework.change_status(app.context(), uow, complaint.code, Status.DIDISPOSISIKAN,
                                              app.org.officers["admin-pusat"].actor, clock(), unit_id="dsdabm")
        await uow.commit()
    complaint = change.complaint
    view = app.context().view(app.org.officers["petugas-dsdabm"].actor, complaint)
    assert view.description is not None
    assert "[NIK]" in view.description and "[nomor HP]" in view.description
    assert "[alamat email]" in view.description and "[nama pelapor]" in view.description
    assert "minta uang 200rb" in view.description  # what happened stays readable
    assert view.details is not None and view.details.complainant is None
    public = app.context().view(Actor("publik", Role.PUBLIC), complaint)
    assert public.description is None and public.public_note is None and public.details is None
