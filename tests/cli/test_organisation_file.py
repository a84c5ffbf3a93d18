"""The organisation file an admin edits: the demo loads, and every mistake is refused with
a message that says what is wrong (and where), never a traceback."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from aduan.organisation import OrganisationFileError, load_organisation
from aduan.settings import DEMO_ORGANISATION, Settings
from complaints.taxonomy import Category, Role

ADUAN = Path(sys.executable).parent / "aduan"


def demo() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8")))


def write(tmp_path: Path, content: dict[str, Any] | str | bytes, name: str = "organisation.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def minimal(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Kabupaten Contoh",
        "default_unit": "pusat",
        "units": [{"id": "pusat", "name": "Admin Pengaduan"}],
    }
    data.update(overrides)
    return data


# --- the demo -----------------------------------------------------------------------------


def test_demo_file_is_the_default_and_loads() -> None:
    assert Settings().organisation_file == DEMO_ORGANISATION
    org = load_organisation(DEMO_ORGANISATION)

    assert org.name == "Pemerintah Kota Surabaya (contoh)" and org.region_code == "35.78"
    assert set(org.units) == {"pusat", "dsdabm", "dlh", "dishub", "dispendukcapil", "dinkes", "satpolpp"}
    assert org.default_unit == "pusat"
    assert org.units["dishub"].name == "Dinas Perhubungan"
    assert all(unit.timezone == ZoneInfo("Asia/Jakarta") for unit in org.units.values())

    assert len(org.officers) == 14
    assert all(officer.unit_id in org.units for officer in org.officers.values())
    assert all(officer.role not in (Role.SYSTEM, Role.COMPLAINANT) for officer in org.officers.values())
    admin = org.officers["admin-pusat"]
    assert (admin.role, admin.unit_id, admin.identities) == (Role.ADMIN, "pusat", {"console": "admin-pusat"})
    assert org.officer_by_identity("console", "petugas-dishub") is org.officers["petugas-dishub"]
    # every unit that gets cases has someone to handle them
    for unit_id in set(org.routing.values()):
        assert org.officers_of(unit_id, frozenset({Role.OFFICER})), unit_id
        assert org.officers_of(unit_id, frozenset({Role.SUPERVISOR})), unit_id


def test_demo_routing_points_to_existing_units() -> None:
    org = load_organisation(DEMO_ORGANISATION)
    assert all(unit in org.units for unit in org.routing.values())
    assert org.unit_for(Category.JALAN).id == "dsdabm"
    assert org.unit_for(Category.PENERANGAN).name == "Dinas Perhubungan"
    assert org.unit_for(Category.SAMPAH).id == "dlh"
    assert org.unit_for(Category.ADMINDUK).id == "dispendukcapil"
    # a category without a route goes to the central admin
    assert Category.PENDIDIKAN not in org.routing
    assert org.unit_for(Category.PENDIDIKAN).id == "pusat"


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    org = load_organisation(write(tmp_path, minimal()))
    assert list(org.units) == ["pusat"] and org.officers == {} and org.routing == {}
    assert org.unit_for(Category.JALAN).id == "pusat"
    assert org.units["pusat"].timezone == ZoneInfo("Asia/Jakarta")  # WIB by default


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("WIB", "Asia/Jakarta"),
        ("WITA", "Asia/Makassar"),
        ("WIT", "Asia/Jayapura"),
        ("wita", "Asia/Makassar"),
        ("Asia/Makassar", "Asia/Makassar"),
        ("Asia/Pontianak", "Asia/Pontianak"),
    ],
)
def test_indonesian_time_zones(tmp_path: Path, written: str, zone: str) -> None:
    data = minimal(units=[{"id": "pusat", "name": "Admin", "timezone": written}])
    org = load_organisation(write(tmp_path, data))
    assert org.units["pusat"].timezone == ZoneInfo(zone)


def test_units_in_three_zones(tmp_path: Path) -> None:
    data = minimal(units=[
        {"id": "pusat", "name": "Admin", "timezone": "WIB"},
        {"id": "makassar", "name": "Kantor Makassar", "timezone": "WITA"},
        {"id": "jayapura", "name": "Kantor Jayapura", "timezone": "WIT"},
    ])
    org = load_organisation(write(tmp_path, data))
    assert {u.id: u.timezone.key for u in org.units.values()} == {
        "pusat": "Asia/Jakarta", "makassar": "Asia/Makassar", "jayapura": "Asia/Jayapura",
    }


# --- broken files -------------------------------------------------------------------------


def _routing_to_unknown_unit(data: dict) -> None:
    data["routing"]["jalan"] = "dinas-pu"


def _officer_in_unknown_unit(data: dict) -> None:
    data["officers"][2]["unit"] = "bina-marga"  # petugas-dsdabm


def _bad_time_zone(data: dict) -> None:
    data["units"][3]["timezone"] = "CET"  # dishub


def _unknown_category(data: dict) -> None:
    data["routing"]["jalanan"] = "dsdabm"


def _unknown_role(data: dict) -> None:
    data["officers"][4]["role"] = "lurah"  # petugas-dlh


def _complainant_as_officer(data: dict) -> None:
    data["officers"][4]["role"] = "pelapor"


def _duplicate_unit_ids(data: dict) -> None:
    data["units"].append({"id": "dlh", "name": "Dinas Lingkungan Hidup (lama)"})


def _shared_chat(data: dict) -> None:
    data["officers"][5]["chats"] = {"console": "petugas-dlh"}  # supervisor-dlh uses petugas-dlh's chat


def _unknown_default_unit(data: dict) -> None:
    data["default_unit"] = "sekretariat"


def _no_units(data: dict) -> None:
    data["units"] = []


def _misspelt_key(data: dict) -> None:
    data["offcers"] = data.pop("officers")


BROKEN = {
    "routing to unknown unit": (_routing_to_unknown_unit, ["routing", "jalan", "unknown unit", "dinas-pu"]),
    "officer in unknown unit": (_officer_in_unknown_unit, ["petugas-dsdabm", "unknown unit", "bina-marga"]),
    "bad time zone": (_bad_time_zone, ["units.3.timezone", "unknown time zone", "CET", "WIB, WITA or WIT"]),
    "unknown category in routing": (_unknown_category, ["routing.jalanan"]),
    "unknown role": (_unknown_role, ["officers.4.role", "petugas"]),
    "complainant role for an officer": (_complainant_as_officer, ["officers.4.role", "not an officer role"]),
    "duplicate unit ids": (_duplicate_unit_ids, ["duplicate unit ids", "dlh"]),
    "two officers share a chat": (_shared_chat, ["petugas-dlh", "supervisor-dlh", "share", "console"]),
    "unknown default unit": (_unknown_default_unit, ["default_unit", "sekretariat"]),
    "no units": (_no_units, ["units"]),
    "misspelt key": (_misspelt_key, ["offcers"]),
}


@pytest.mark.parametrize(("breaks", "words"), list(BROKEN.values()), ids=list(BROKEN))
def test_broken_organisation_is_refused_with_the_reason(tmp_path: Path, breaks, words: list[str]) -> None:
    data = demo()
    breaks(data)
    path = write(tmp_path, data)

    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name: Kota\nunits: [ {id: pusat, name: Admin\n", ["not valid YAML"]),
        ("name: Kota\n\tdefault_unit: pusat\n", ["not valid YAML"]),
        ("- pusat\n- dlh\n", ["expected a mapping at the top level"]),
        ("just some words\n", ["expected a mapping at the top level"]),
        ("", ["expected a mapping at the top level"]),
        (b"\xff\xfe\x00\x01PK\x03\x04 binary junk", ["not valid YAML"]),
    ],
    ids=["unclosed-bracket", "tab-indent", "top-level-list", "top-level-string", "empty", "binary"],
)
def test_not_an_organisation_file(tmp_path: Path, content: str | bytes, words: list[str]) -> None:
    path = write(tmp_path, content)
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for word in words:
        assert word in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.yaml"
    with pytest.raises(OrganisationFileError, match="file not found") as caught:
        load_organisation(path)
    assert str(path) in str(caught.value)


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: ")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = demo()
    data["units"][3]["timezone"] = "CET"
    data["officers"][4]["role"] = "lurah"
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(write(tmp_path, data))
    assert "units.3.timezone" in str(caught.value) and "officers.4.role" in str(caught.value)


# --- aduan org check ----------------------------------------------------------------------


def run_check(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ADUAN), "org", "check", str(path)], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_cli_org_check_accepts_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, demo())
    result = run_check(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK")
    assert "Pemerintah Kota Surabaya (contoh)" in result.stdout and "7 unit" in result.stdout
    assert "14 petugas" in result.stdout


def test_cli_org_check_refuses_a_bad_file_with_the_reason(tmp_path: Path) -> None:
    data = demo()
    data["routing"]["jalan"] = "dinas-pu"
    path = write(tmp_path, data)
    result = run_check(path, tmp_path)
    assert result.returncode != 0
    assert "OK" not in result.stdout
    assert "unknown unit 'dinas-pu'" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_org_check_refuses_a_binary_file_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xff\xfe\x00\x01 binary junk")
    result = run_check(path, tmp_path)
    assert result.returncode != 0
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_numeric_telegram_ids_may_be_written_unquoted(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(
        "name: Kota Contoh\ndefault_unit: pusat\nunits: [{id: pusat, name: Pusat}]\n"
        "officers: [{id: a, name: A, role: admin, unit: pusat, chats: {telegram: 123456789}}]\n",
        encoding="utf-8",
    )
    officer = load_organisation(path).officers["a"]
    assert officer.identities == {"telegram": "123456789"}


@pytest.mark.parametrize(
    "templates, problem",
    [
        ({"salam": "Halo {kode}"}, "unknown template 'salam'"),
        ({"pengingat": "Laporan {nomor} jatuh tempo"}, "unknown placeholders ['nomor']"),
        ({"pengingat": "Laporan {kode"}, "template 'pengingat'"),
    ],
)
def test_templates_are_checked_on_load(tmp_path, templates, problem):
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump({
        "name": "Kota Contoh", "default_unit": "pusat", "units": [{"id": "pusat", "name": "Pusat"}],
        "templates": templates,
    }), encoding="utf-8")
    with pytest.raises(OrganisationFileError) as error:
        load_organisation(path)
    assert problem in str(error.value)
