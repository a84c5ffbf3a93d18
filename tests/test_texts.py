"""Lines the citizen and the officer read, built from a complaint."""

from datetime import UTC, datetime

from bot import texts
from complaints.model import Actor, Complaint, Place
from complaints.taxonomy import Role
from complaints.visibility import CaseView, Visibility

ADMIN = Actor("admin-pusat", Role.ADMIN, "pusat")


def located(detail: str, region: str | None) -> CaseView:
    complaint = Complaint(code="LPR-7KQ3-MN", description="jalan bolong", channel="console", sender="w",
                          created_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
                          place=Place(detail=detail, region_name=region))
    return Visibility("pusat").view(ADMIN, complaint)


def test_the_place_is_named_once_when_the_citizen_wrote_only_the_area():
    assert texts.place_line(located("Kebraon", "Kebraon, Karang Pilang, Kota Surabaya")) == \
        "Kebraon, Karang Pilang, Kota Surabaya"


def test_a_street_and_its_area_are_both_kept():
    assert texts.place_line(located("Jl. Mastrip gg 5", "Kebraon, Karang Pilang")) == \
        "Jl. Mastrip gg 5, Kebraon, Karang Pilang"
    assert texts.place_line(located("", None)) == "-"
