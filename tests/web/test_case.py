"""The case page: what each officer reads, the forms the workflow allows them, each action
through the same use cases as the chat and the API, the evidence served only to those who
may see the case. SQLite and PostgreSQL."""

import io
import re

from PIL import Image

from complaints.model import Evidence
from tests.web_harness import Console

BUTTONS = re.compile(r'<button type="submit"[^>]*>([^<]+)</button>')


def buttons(page) -> set[str]:
    assert page.status_code == 200, page.text
    return set(BUTTONS.findall(page.text)) - {"Keluar"}


async def status_of(console: Console, code: str) -> str:
    async with console.app.uow() as uow:
        return (await uow.complaints.get(code)).status.value


async def test_the_forms_follow_the_workflow_table(console: Console) -> None:
    code = await console.file(first_name="Budi", phone="081234567890")
    admin = await console.sign_in("admin-pusat")
    assert buttons(await admin.get(f"/petugas/laporan/{code}")) == {
        "Verifikasi", "Disposisikan", "Salurkan", "Tolak", "Gabungkan"}
    unit = await console.sign_in("petugas-dsdabm")
    before = await unit.get(f"/petugas/laporan/{code}")
    assert before.status_code == 403  # not disposed yet: the admin's stage
    await admin.post(f"/petugas/laporan/{code}/status", {"status": "didisposisikan", "unit": "dsdabm"})
    page = await unit.get(f"/petugas/laporan/{code}")
    assert buttons(page) == {"Tandai diproses", "Tanya pelapor", "Selesaikan", "Tugaskan"}
    assert "Budi" in page.text and "+6281234567890" in page.text  # biasa: the unit reads who reported


async def test_progress_ask_resolve_from_the_page(console: Console) -> None:
    code = await console.file()
    await console.api.set_status(code, "didisposisikan")
    unit = await console.sign_in("petugas-dsdabm")
    url = f"/petugas/laporan/{code}"
    empty = await unit.post(f"{url}/status", {"status": "diproses", "catatan": "  "}, csrf_from=url)
    assert empty.status_code == 303 and await status_of(console, code) == "didisposisikan"
    assert "catatan" in (await unit.get(url)).text.lower()  # told why, nothing changed
    await unit.post(f"{url}/status", {"status": "diproses", "catatan": "Tim survei berangkat besok."}, csrf_from=url)
    await unit.post(f"{url}/status", {"status": "menunggu_informasi", "catatan": "Di sisi jalan yang mana?"},
                    csrf_from=url)
    assert await status_of(console, code) == "menunggu_informasi"
    await unit.post(f"{url}/status", {"status": "selesai", "catatan": "Lubang sudah ditambal."}, csrf_from=url)
    page = await unit.get(url)
    assert await status_of(console, code) == "selesai"
    assert "Lubang sudah ditambal." in page.text and "Tim survei berangkat besok." in page.text
    async with console.app.uow() as uow:  # the complainant was told at each move, through the outbox
        told = (await uow.connection.exec_driver_sql("SELECT text FROM outbox WHERE recipient LIKE 'apikey%'")).all()
    assert not told  # Open311 filings are read back, not messaged (pull-only channel)


async def test_reject_as_spam_forward_and_merge(console: Console) -> None:
    kept, duplicate, spam, other = (await console.file(description=f"jalan rusak {n}") for n in range(4)).__anext__(), \
        None, None, None
    kept = await console.file(description="jalan rusak parah di depan balai rw")
    duplicate = await console.file(description="jalan depan balai rw rusak parah")
    spam = await console.file(description="tes tes tes coba coba")
    other = await console.file(description="jalan provinsi rusak")
    admin = await console.sign_in("admin-pusat")
    await admin.post(f"/petugas/laporan/{spam}/status", {"status": "ditolak", "catatan": "Pesan uji coba.",
                                                        "spam": "1"}, csrf_from=f"/petugas/laporan/{spam}")
    await admin.post(f"/petugas/laporan/{other}/status", {
        "status": "disalurkan", "catatan": "Jalan provinsi: kami salurkan ke Dinas PU Provinsi."})
    merged = await admin.post(f"/petugas/laporan/{duplicate}/gabung", {"ke": kept.lower()})
    assert merged.status_code == 303
    assert f"{duplicate} digabungkan ke {kept}" in (await admin.get(f"/petugas/laporan/{duplicate}")).text
    assert [await status_of(console, c) for c in (spam, other, duplicate, kept)] == [
        "ditolak", "disalurkan", "ditolak", "diterima"]
    bad = await admin.post(f"/petugas/laporan/{kept}/gabung", {"ke": "bukan kode"})
    assert bad.status_code == 303 and "tidak dikenali" in (await admin.get(f"/petugas/laporan/{kept}")).text


async def test_another_units_case_by_url_is_refused(console: Console) -> None:
    code = await console.file(service_code="sampah", description="sampah menumpuk di pasar")
    await console.api.set_status(code, "didisposisikan")
    roads = await console.sign_in("petugas-dsdabm")
    page = await roads.get(f"/petugas/laporan/{code}")
    assert page.status_code == 403 and "tidak berwenang" in page.text and "sampah menumpuk" not in page.text
    token = await roads.csrf()
    acted = await roads.http.post(f"/petugas/laporan/{code}/status", data={
        "status": "selesai", "catatan": "sudah", "csrf": token})
    assert acted.status_code == 303 and await status_of(console, code) == "didisposisikan"
    assert (await roads.get(f"/petugas/laporan/{code}/bukti/0")).status_code == 403
    assert (await roads.get("/petugas/laporan/LPR-ZZZZ-ZZ")).status_code == 404
    assert (await roads.get("/petugas/laporan/bukan-kode")).status_code == 404


async def test_evidence_only_for_officers_who_may_see_the_case(console: Console, tmp_path) -> None:
    media = console.app.settings.media_dir
    media.mkdir(parents=True, exist_ok=True)
    picture = Image.new("RGB", (1200, 800), "orange")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    (media / "bukti-1.jpg").write_bytes(buffer.getvalue())
    code = await console.file()
    async with console.app.uow() as uow:
        stored = await uow.complaints.get(code)
        stored.evidence = [Evidence("photo", "bukti-1.jpg", "lubang"), Evidence("photo", "../../etc/passwd")]
        await uow.complaints.save(stored)
        await uow.commit()
    admin = await console.sign_in("admin-pusat")
    page = await admin.get(f"/petugas/laporan/{code}")
    assert f"/petugas/laporan/{code}/bukti/0?kecil=1" in page.text and 'alt="Foto 1: lubang"' in page.text
    full = await admin.get(f"/petugas/laporan/{code}/bukti/0")
    assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
    assert full.headers["cache-control"] == "no-store"
    small = await admin.get(f"/petugas/laporan/{code}/bukti/0?kecil=1")
    assert Image.open(io.BytesIO(small.content)).size[0] <= 264
    assert (await admin.get(f"/petugas/laporan/{code}/bukti/1")).status_code == 404  # outside the media folder
    assert (await admin.get(f"/petugas/laporan/{code}/bukti/7")).status_code == 404
    async with console.client() as anyone:
        assert (await anyone.get(f"/petugas/laporan/{code}/bukti/0")).status_code == 303
        assert (await anyone.get("/aset/../data/media/bukti-1.jpg")).status_code == 404
