"""An admin edits the organisation file while the bot runs: the chat (``aduan chat``, the
channels of ``aduan serve``) and the HTTP API (``aduan serve --no-scheduler``) use the new
organisation from their next message or request, without a restart; a broken file is
logged and the running organisation kept.

The file is looked at again at most every two seconds of a monotonic clock; the tests move
that clock by hand (no sleeps).
"""

from __future__ import annotations

import logging
import random
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from aduan.bootstrap import App, bootstrap
from aduan.http import server_config
from aduan.live import RECHECK_SECONDS
from aduan.settings import Settings
from tests.api_harness import add_key
from tests.chat_harness import Citizen, Clock
from tests.cli.test_organisation_file import DEMO_ORGANISATION

CODE = re.compile(r"LPR-[0-9A-Z]{4}-[0-9A-Z]{2}")
OLD_NAME, NEW_NAME = "Dinas Lingkungan Hidup", "Dinas Kebersihan dan Pertamanan"
NEW_OFFICER = "  - {id: petugas-baru, name: Wahyu Hidayat, role: petugas, unit: dlh, chats: {console: petugas-baru}}\n"


@dataclass
class Ticks:
    """The monotonic clock the organisation source reads, moved by hand."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now

    def pass_recheck(self) -> None:
        self.now += RECHECK_SECONDS


class OrganisationFile:
    """The demo organisation, copied where the test may edit it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text(DEMO_ORGANISATION.read_text(encoding="utf-8"), encoding="utf-8")

    def edit(self, old: str, new: str) -> None:
        text = self.path.read_text(encoding="utf-8")
        assert old in text
        self.path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def add_officer(self, line: str) -> None:
        self.edit("  - {id: petugas-dlh,", line + "  - {id: petugas-dlh,")

    def break_it(self) -> None:
        self.path.write_text("name: Kota\nunits: [\n", encoding="utf-8")


@pytest.fixture
def organisation_file(tmp_path: Path) -> OrganisationFile:
    return OrganisationFile(tmp_path / "organisation.yaml")


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def live_app(engine, organisation_file: OrganisationFile, ticks: Ticks) -> App:
    """The App as ``aduan chat`` and ``aduan serve`` build it: from the organisation file."""
    settings = Settings(organisation_file=organisation_file.path)
    return await bootstrap(settings, db=engine, migrate=False, rng=random.Random(1), monotonic=ticks)


async def file_rubbish_report(citizen: Citizen) -> str:
    """A report about rubbish (routed to the environment office); returns the receipt."""
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    return await citizen.presses("privacy:anonim")


async def test_the_running_chat_uses_the_changed_file_from_its_next_message(live_app, organisation_file, ticks):
    citizen = Citizen(live_app, Clock())
    assert OLD_NAME in await file_rubbish_report(citizen)

    organisation_file.edit(f"name: {OLD_NAME}", f"name: {NEW_NAME}")
    organisation_file.add_officer(NEW_OFFICER)
    officer = Citizen(live_app, citizen.clock, sender="petugas-baru")
    assert "Wahyu Hidayat" not in await officer.says("/daftar")  # not looked at again yet: a citizen
    ticks.pass_recheck()

    receipt = await file_rubbish_report(citizen)
    assert NEW_NAME in receipt and OLD_NAME not in receipt
    reply = await officer.says("halo")  # the new officer's chat is an officer's now
    assert "Wahyu Hidayat" in reply
    listed = await officer.says("/daftar")
    assert CODE.search(receipt).group(0) not in listed  # not disposed to the unit yet


async def test_a_re_routed_category_and_a_broken_file_in_the_running_chat(
    live_app, organisation_file, ticks, caplog
):
    citizen = Citizen(live_app, Clock())
    organisation_file.edit("sampah: dlh", "sampah: satpolpp")
    ticks.pass_recheck()
    assert "Satuan Polisi Pamong Praja" in await file_rubbish_report(citizen)

    organisation_file.break_it()
    ticks.pass_recheck()
    with caplog.at_level(logging.ERROR, logger="aduan.live"):
        receipt = await file_rubbish_report(citizen)
    assert "Satuan Polisi Pamong Praja" in receipt  # the last good organisation goes on
    assert "organisation file not reloaded" in caplog.text and "not valid YAML" in caplog.text

    ticks.pass_recheck()  # the same broken file is not reported again
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="aduan.live"):
        await citizen.says("halo")
    assert caplog.text == ""


async def test_the_http_api_of_serve_uses_the_changed_file_from_its_next_request(
    live_app, organisation_file, ticks
):
    """``aduan serve --no-scheduler`` runs this very ASGI app (``server_config``)."""
    config = server_config(live_app)
    config.load()
    admin = {"X-API-Key": (await add_key(live_app, "admin", "admin-pusat"))[1]}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=config.loaded_app),
                                 base_url="http://aduan") as http:

        async def rubbish_group() -> str:
            services = (await http.get("/open311/v2/services.json")).json()
            return next(s["group"] for s in services if s["service_code"] == "sampah")

        async def file_and_read_unit() -> str:
            filed = await http.post("/open311/v2/requests.json", headers=admin, data={
                "service_code": "sampah", "description": "sampah menumpuk di depan pasar", "address_string": "Wonokromo"})
            assert filed.status_code == 201, filed.text
            code = filed.json()[0]["service_request_id"]
            detail = await http.get(f"/api/v1/complaints/{code}", headers=admin)
            return detail.json()["unit"]["name"]

        assert await rubbish_group() == OLD_NAME
        organisation_file.edit("sampah: dlh", "sampah: satpolpp")
        organisation_file.edit(f"name: {OLD_NAME}", f"name: {NEW_NAME}")
        ticks.pass_recheck()
        assert await rubbish_group() == "Satuan Polisi Pamong Praja"
        assert await file_and_read_unit() == "Satuan Polisi Pamong Praja"
        listed = (await http.get("/open311/v2/services.json")).json()
        assert NEW_NAME in {s["group"] for s in listed}  # lingkungan still goes to the renamed unit

        organisation_file.break_it()
        ticks.pass_recheck()
        assert await rubbish_group() == "Satuan Polisi Pamong Praja"  # kept


async def test_the_sweeper_is_built_once_and_reads_the_current_organisation(live_app, organisation_file, ticks):
    assert live_app.sweeper is live_app.sweeper
    before = live_app.context()
    organisation_file.edit(f"name: {OLD_NAME}", f"name: {NEW_NAME}")
    assert live_app.context() is before  # not looked at again within the interval
    ticks.pass_recheck()
    after = live_app.context()
    assert after is not before and after.org.units["dlh"].name == NEW_NAME
    assert before.org.units["dlh"].name == OLD_NAME  # a snapshot in use never changes
