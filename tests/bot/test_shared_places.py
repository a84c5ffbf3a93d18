"""A shared location (bot/places.py), on SQLite and PostgreSQL: the place's name and address
are kept with the point; a point at 0,0, abroad or outside the deployment's area is said
plainly and changes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from aduan.organisation import OrganisationFileError, load_organisation
from bot import texts
from bot.messages import IncomingMessage
from bot.places import INDONESIA, outside_of, place_text
from complaints.similarity import Box
from tests.chat_harness import CODE, Citizen, Clock, stored

DEMO = Path(__file__).resolve().parents[2] / "aduan" / "demo" / "organisation.yaml"
PUSKESMAS = "Puskesmas Tambaksari, Jl. Pacar Keling No. 5"
TAMBAKSARI = (-7.2556, 112.7609)
SINGAPORE = (1.2903, 103.8520)
JAKARTA = (-6.1754, 106.8272)
SYDNEY = (-33.8688, 151.2093)
NOWHERE = (0.0, 0.0)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def citizen(app, clock):
    return Citizen(app, clock)


async def share(citizen: Citizen, point: tuple[float, float], place: str | None = None) -> str:
    msg = IncomingMessage(citizen.channel, citizen.sender, location=point, place=place)
    citizen.replies = await citizen.app.conversation.handle(msg, citizen.clock())
    citizen.clock.advance(seconds=20)
    return citizen.last


async def test_the_name_and_address_of_a_shared_place_reach_the_summary_and_the_complaint(app, citizen):
    asked = await citizen.says("lampu PJU mati sejak kemarin, gelap sekali kalau malam, rawan kecelakaan")
    assert texts.ASK_PLACE in asked
    summary = await share(citizen, TAMBAKSARI, PUSKESMAS)
    assert texts.SUMMARY_HEADER in summary, summary
    assert texts.SUMMARY_PLACE.format(place=f"{PUSKESMAS}, {texts.SUMMARY_POINT}") in summary
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    place = (await stored(app, code)).place
    assert (place.detail, place.latitude, place.longitude) == (PUSKESMAS, *TAMBAKSARI)


async def test_a_shared_place_first_starts_a_report_with_it(app, citizen):
    reply = await share(citizen, TAMBAKSARI, "  Puskesmas\u200b Tambaksari,\n Jl. Pacar Keling No. 5 ")
    assert texts.ASK_DESCRIPTION in reply
    state = await citizen.state()
    place = state["draft"]["place"]
    assert (place["detail"], place["latitude"], place["longitude"]) == (PUSKESMAS, *TAMBAKSARI)


async def test_a_written_place_is_not_replaced_by_the_shared_name(app, citizen):
    await citizen.says("jalan berlubang di jalan Kebraon 2 dekat masjid sejak kemarin, bahaya buat motor")
    before = (await citizen.state())["draft"]["place"]
    await share(citizen, TAMBAKSARI, PUSKESMAS)
    after = (await citizen.state())["draft"]["place"]
    assert after["detail"] == before["detail"] != PUSKESMAS
    assert (after["latitude"], after["longitude"]) == TAMBAKSARI


@pytest.mark.parametrize(("point", "says"), [
    (NOWHERE, texts.LOCATION_INVALID),
    (SINGAPORE, texts.LOCATION_OUTSIDE.format(area="wilayah Kota Surabaya")),
    (JAKARTA, texts.LOCATION_OUTSIDE.format(area="wilayah Kota Surabaya")),
], ids=["null-island", "singapore", "jakarta"])
async def test_a_point_that_cannot_be_used_is_said_plainly_and_changes_nothing(app, citizen, point, says):
    assert await share(citizen, point, "Marina Bay Sands") == says  # idle: the reply only, no draft
    assert await citizen.state() == {}

    asked = await citizen.says("lampu PJU mati sejak kemarin, gelap sekali kalau malam, rawan kecelakaan")
    assert texts.ASK_PLACE in asked
    before = await citizen.state()
    reply = await share(citizen, point, "Marina Bay Sands")
    assert reply == f"{says}\n{texts.ASK_PLACE}"  # and the place question again
    assert await citizen.state() == before


def test_without_an_area_only_points_abroad_are_refused(app):
    org = replace(app.org, area=None)
    assert outside_of(org, SYDNEY, "Kota Surabaya") == texts.LOCATION_ABROAD
    assert outside_of(org, JAKARTA, "Kota Surabaya") is None
    assert outside_of(replace(org, area=Box(-6.4, -6.0, 106.6, 107.0)), JAKARTA, None) is None
    assert outside_of(replace(org, area=Box(-6.4, -6.0, 106.6, 107.0)), TAMBAKSARI, None) == \
        texts.LOCATION_AREA.format(area=texts.OUTSIDE_AREA_SCOPE)
    assert INDONESIA.south < -10 < 5 < INDONESIA.north


def test_the_place_text_is_one_clean_line():
    assert place_text(None) == place_text("") == place_text(" \n ") == ""
    assert place_text("a\u202e b\n c") == "a b c"
    assert len(place_text("x" * 1000)) == 200


def test_the_area_comes_from_the_organisation_file(tmp_path):
    assert load_organisation(DEMO).area == Box(-7.42, -7.12, 112.52, 112.88)
    spec = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    spec["area"] = {"south": -7.0, "north": -7.4, "west": 112.5, "east": 112.9}
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(OrganisationFileError, match="area"):
        load_organisation(path)
    del spec["area"]
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert load_organisation(path).area is None
