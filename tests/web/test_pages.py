"""Every page of the console, as an officer of each kind reads it: Indonesian only, every
field labelled, images described, the security headers set, the assets served locally."""

import re
from html.parser import HTMLParser

from tests.bot.test_texts import ENGLISH
from tests.web_harness import Console


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.labels: set[str] = set()
        self.fields: list[tuple[str, dict]] = []
        self.images: list[dict] = []
        self.links: list[str] = []
        self.lang = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.fields.append((tag, a))
        if tag == "img":
            self.images.append(a)
        if tag in ("link", "script", "img") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def read(response) -> Page:
    page = Page()
    page.feed(response.text)
    return page


async def pages(console: Console) -> dict[str, object]:
    code = await console.file(first_name="Budi")
    await console.api.set_status(code, "didisposisikan")
    admin = await console.sign_in("admin-pusat")
    unit = await console.sign_in("petugas-dsdabm")
    head = await console.sign_in("supervisor-dsdabm")
    async with console.client() as anyone:
        signin_page = await anyone.get("/petugas/masuk")
        board = await anyone.get("/papan/")
    return {
        "sign-in": signin_page, "board": board,
        "admin inbox": await admin.get("/petugas/?status=semua"), "admin case": await admin.get(f"/petugas/laporan/{code}"),
        "unit inbox": await unit.get("/petugas/"), "unit case": await unit.get(f"/petugas/laporan/{code}"),
        "dashboard": await head.get("/petugas/dasbor"), "refused": await unit.get("/petugas/laporan/LPR-ZZZZ-ZZ"),
    }


async def test_pages_are_indonesian_labelled_and_local(console: Console) -> None:
    for name, response in (await pages(console)).items():
        page = read(response)
        assert page.lang == "id", name
        words = set(re.findall(r"[a-z]+", " ".join(page.text).lower()))
        assert not words & ENGLISH, (name, words & ENGLISH)
        for tag, field in page.fields:
            assert field.get("id") in page.labels or field.get("aria-label"), (name, tag, field)
        assert all(image.get("alt") for image in page.images), name
        assert all(link.startswith("/") and not link.startswith("//") for link in page.links), (name, page.links)
        assert "content-security-policy" in response.headers and response.headers["x-content-type-options"] == "nosniff"


async def test_assets_are_served_by_the_server(console: Console) -> None:
    async with console.client() as anyone:
        css = await anyone.get("/aset/aduan.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        assert "http" not in css.text  # nothing fetched from elsewhere
        assert (await anyone.get("/aset/ikon.svg")).status_code == 200
