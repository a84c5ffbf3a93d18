"""Signing in to the console: one-time links (from the command line's use case and from the
officer's own chat), passwords with back-off and lockout, idle sessions, sign-out, the
CSRF token of every form, the audit of sign-ins. On SQLite and PostgreSQL."""

import re
from datetime import timedelta

from complaints.signin import Method, Outcome
from complaints.usecases import signin
from tests.chat_harness import Citizen
from tests.web_harness import Console

PASSWORD = "kata-sandi-panjang-9"


async def events(console: Console, officer_id: str) -> list[tuple[Method, Outcome]]:
    async with console.app.uow() as uow:
        found = await uow.signins.events(officer_id)
    return [(e.method, e.outcome) for e in reversed(found)]


async def form_of(http, url: str) -> str:
    page = await http.get(url)
    return re.search(r'name="form" value="([^"]+)"', page.text).group(1)


async def test_a_link_signs_in_once_and_the_preview_of_it_spends_nothing(console: Console) -> None:
    link = await console.link("admin-pusat")
    async with console.client() as browser:
        preview = await browser.get(link)  # what a chat app's link preview fetches
        assert preview.status_code == 200 and "Masuk sebagai Rina Wulandari" in preview.text
        assert preview.headers["referrer-policy"] == "no-referrer"
        form = await form_of(browser, link)
        signed = await browser.post(link, data={"form": form})
        assert signed.status_code == 303 and signed.headers["location"] == "/petugas/"
        cookie = signed.headers["set-cookie"]
        assert "aduan_sesi=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        inbox = await browser.get("/petugas/")
        assert inbox.status_code == 200 and "Rina Wulandari" in inbox.text
        assert inbox.headers["cache-control"] == "no-store"
    async with console.client() as thief:  # the same link again, from elsewhere
        again = await thief.post(link, data={"form": await form_of(thief, "/petugas/masuk")})
        assert again.status_code in (403, 404) and "aduan_sesi" not in again.headers.get("set-cookie", "")
        assert (await thief.get("/petugas/")).status_code == 303
    assert await events(console, "admin-pusat") == [(Method.LINK_ISSUED, Outcome.OK), (Method.LINK, Outcome.OK),
                                                   (Method.LINK, Outcome.USED_LINK)]


async def test_a_link_expires_after_fifteen_minutes(console: Console) -> None:
    link = await console.link("petugas-dsdabm")
    console.clock.advance(minutes=15, seconds=1)
    async with console.client() as browser:
        page = await browser.get(link)
        assert page.status_code == 404 and "Tautan masuk ini tidak dikenal" in page.text
        refused = await browser.post(link, data={"form": await form_of(browser, "/petugas/masuk")})
        assert refused.status_code == 403 and "kedaluwarsa" in refused.text


async def test_the_officer_asks_the_bot_for_a_link_in_their_own_chat(console: Console) -> None:
    officer = Citizen(console.app, console.clock, sender="petugas-dsdabm")
    reply = await officer.says("/masuk")
    found = re.search(r"/petugas/masuk/(\S+)", reply)
    assert found and "berlaku 15 menit" in reply
    async with console.client() as browser:
        link = f"/petugas/masuk/{found.group(1)}"
        signed = await browser.post(link, data={"form": await form_of(browser, link)})
        assert signed.status_code == 303
        assert "Agus Setiawan" in (await browser.get("/petugas/")).text
    citizen = Citizen(console.app, console.clock, sender="warga-9")
    assert "/petugas/masuk/" not in await citizen.says("/masuk")  # a citizen gets no link


async def test_passwords_back_off_then_lock(console: Console) -> None:
    async with console.app.uow() as uow:
        await signin.set_password(uow, console.app.org.officers["petugas-dlh"], PASSWORD, console.app_hasher, console.clock())
        await uow.commit()
    async with console.client() as browser:
        async def attempt(password: str):
            form = await form_of(browser, "/petugas/masuk")
            return await browser.post("/petugas/masuk", data={"officer": "petugas-dlh", "password": password,
                                                              "form": form})

        for _ in range(3):  # three free attempts
            assert (await attempt("salah-salah-salah")).status_code == 401
        waiting = await attempt(PASSWORD)  # too soon: not even the right password is judged
        assert waiting.status_code == 429 and "Mohon tunggu" in waiting.text
        console.clock.advance(seconds=6)
        assert (await attempt("salah-salah-salah")).status_code == 401  # judged again, and the wait doubles
        assert (await attempt(PASSWORD)).status_code == 429
        for _ in range(6):  # the tenth failure in a row locks the password
            console.clock.advance(minutes=10)
            assert (await attempt("salah-salah-salah")).status_code == 401
        locked = await attempt(PASSWORD)
        assert locked.status_code == 429 and "Terlalu banyak percobaan" in locked.text
        console.clock.advance(minutes=31)
        assert (await attempt(PASSWORD)).status_code == 303
        assert "Siti Rahmawati" in (await browser.get("/petugas/")).text
    assert (Method.PASSWORD, Outcome.LOCKED) in await events(console, "petugas-dlh")


async def test_unknown_officer_and_wrong_password_read_the_same(console: Console) -> None:
    async with console.client() as browser:
        form = await form_of(browser, "/petugas/masuk")
        unknown = await browser.post("/petugas/masuk", data={"officer": "siapa", "password": "x" * 12, "form": form})
        nopass = await browser.post("/petugas/masuk", data={"officer": "admin-pusat", "password": "x" * 12,
                                                            "form": form})
        assert unknown.status_code == nopass.status_code == 401
        assert "ID petugas atau kata sandi salah." in unknown.text and "ID petugas atau kata sandi salah." in nopass.text


async def test_sessions_end_when_idle_and_at_sign_out(console: Console) -> None:
    officer = await console.sign_in("supervisor-dsdabm")
    console.clock.advance(minutes=29)
    assert (await officer.get("/petugas/")).status_code == 200  # used: the idle clock starts again
    console.clock.advance(minutes=29)
    assert (await officer.get("/petugas/")).status_code == 200
    console.clock.advance(minutes=31)
    ended = await officer.get("/petugas/laporan/LPR-AAAA-AA")
    assert ended.status_code == 303 and "berakhir=1" in ended.headers["location"]
    assert "lanjut=/petugas/laporan/LPR-AAAA-AA" in ended.headers["location"]

    again = console.officers.pop("supervisor-dsdabm") and await console.sign_in("supervisor-dsdabm")
    out = await again.post("/petugas/keluar", {})
    assert out.status_code == 303 and "aduan_sesi=\"\"" in out.headers["set-cookie"]
    assert (await again.get("/petugas/")).status_code == 303


async def test_a_form_without_its_token_is_refused_and_changes_nothing(console: Console) -> None:
    code = await console.file()
    admin = await console.sign_in("admin-pusat")
    for token in (None, "palsu"):
        data = {"status": "ditolak", "catatan": "bukan kewenangan"} | ({"csrf": token} if token else {})
        refused = await admin.http.post(f"/petugas/laporan/{code}/status", data=data)
        assert refused.status_code == 403 and "tanda pengamannya tidak cocok" in refused.text
    other = await console.sign_in("petugas-dsdabm")  # another session's token is not this one's
    stolen = await other.csrf()
    refused = await admin.http.post(f"/petugas/laporan/{code}/status", data={"status": "ditolak", "csrf": stolen,
                                                                              "catatan": "x"})
    assert refused.status_code == 403
    async with console.app.uow() as uow:
        assert (await uow.complaints.get(code)).status.value == "diterima"


async def test_next_path_never_leaves_the_console(console: Console) -> None:
    async with console.client() as browser:
        page = await browser.get("/petugas/masuk?lanjut=//evil.example/x")
        assert 'value="/petugas/"' in page.text


def test_wait_grows_and_stops_at_the_lock() -> None:
    policy = signin.POLICY
    waits = [policy.wait_after(n) for n in range(40)]
    assert waits[:3] == [timedelta(0)] * 3 and waits[3] == timedelta(seconds=5) and waits[4] == timedelta(seconds=10)
    assert max(waits) == policy.lock_for


async def test_password_attempts_from_one_address_are_limited_whoever_they_name(console: Console) -> None:
    async with console.client() as browser:
        form = await form_of(browser, "/petugas/masuk")
        answers = [await browser.post("/petugas/masuk", data={"officer": f"petugas-{n}", "password": "x" * 12,
                                                              "form": form}) for n in range(31)]
    assert {a.status_code for a in answers[:30]} == {401}
    assert answers[30].status_code == 429 and "Terlalu sering" in answers[30].text
    assert int(answers[30].headers["retry-after"]) >= 1
