"""The privacy policy's rules for the place and the notes (issue 19), in the domain: who reads
where the problem is, to what precision; the case's known identity redacted from a public
note in any writing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from complaints.model import Actor, AuditEntry, AuditKind, Complainant, Complaint, Place
from complaints.redaction import redact
from complaints.taxonomy import Category, PrivacyMode, Role, Status
from complaints.visibility import PUBLIC, PUBLIC_PLACES, Visibility

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
POLICY = Visibility("pusat")
ADMIN = Actor("admin-pusat", Role.ADMIN, "pusat")
KNOWN = {"names": ("Bambang Hartono",), "phones": ("+6281234567890",), "emails": ("bambang@contoh.id",)}


def complaint(category: Category = Category.JALAN, privacy: PrivacyMode = PrivacyMode.BIASA,
              note: str = "", sender: str = "warga-1") -> Complaint:
    found = Complaint(code="LPR-7KQ3-MN", description="jalan bolong", channel="console", sender=sender,
                      created_at=AT, category=category, privacy=privacy,
                      place=Place(latitude=-7.331234, longitude=112.710567),
                      complainant=Complainant("Bambang Hartono", "+6281234567890", "bambang@contoh.id"))
    if note:
        found.status = Status.DIPROSES
        found.audit.append(AuditEntry(AT, "petugas-1", Role.OFFICER, AuditKind.STATUS, Status.DIDISPOSISIKAN,
                                      Status.DIPROSES, note))
    return found


def test_the_public_places_are_the_streets_and_the_neighbourhood_not_a_persons_own_affairs():
    assert {Category.JALAN, Category.DRAINASE, Category.PENERANGAN, Category.LALU_LINTAS, Category.SAMPAH,
            Category.LINGKUNGAN, Category.KETERTIBAN} == PUBLIC_PLACES
    assert not {Category.ADMINDUK, Category.SOSIAL, Category.KESEHATAN, Category.PERUMAHAN} & PUBLIC_PLACES


@pytest.mark.parametrize("category", list(Category), ids=str)
@pytest.mark.parametrize("privacy", list(PrivacyMode), ids=str)
def test_the_public_reads_a_rounded_point_only_of_a_biasa_complaint_about_a_public_place(category, privacy):
    case = complaint(category, privacy)
    public = POLICY.view(PUBLIC, case)
    expected = (-7.331, 112.711) if privacy is PrivacyMode.BIASA and category in PUBLIC_PLACES else None
    assert public.point == expected and public.located
    assert POLICY.view(ADMIN, case).point == (-7.331234, 112.710567)
    assert POLICY.view(Actor(case.owner, Role.COMPLAINANT), case).point == (-7.331234, 112.710567)
    # the integration that filed it (its chat) reads back its exact point, nothing else more
    filed = POLICY.view(PUBLIC, case, filer=case.owner)
    assert filed.point == (-7.331234, 112.710567) and filed.description == public.description
    assert POLICY.view(PUBLIC, case, filer="api:apikey-9").point == expected


def test_a_public_note_loses_the_known_identity_in_any_writing():
    note = ("Pak Bambang, petugas akan menelepon ke 812 3456 7890 (atau +62-812-3456-7890) dan menulis ke "
            "bambang [at] contoh [dot] id, bambang@contoh.id")
    public = POLICY.view(PUBLIC, complaint(note=note)).public_note
    assert public == ("Pak [nama pelapor], petugas akan menelepon ke [nomor HP] (atau [nomor HP]) dan menulis ke "
                      "[alamat email], [alamat email]")
    assert POLICY.view(PUBLIC, complaint(privacy=PrivacyMode.RAHASIA, note=note)).public_note is None


def test_a_whatsapp_chat_is_a_known_number():
    case = complaint(note="Kami hubungi nomor 0813 1111 2222 besok.", sender="6281311112222")
    case.complainant.phone = None
    assert POLICY.view(PUBLIC, case).public_note == "Kami hubungi nomor [nomor HP] besok."


@pytest.mark.parametrize("text", ["Rp 812.345.678", "tanggal 17/08/2025", "RT 05 RW 03", "kode LPR-7KQ3-MN"])
def test_ordinary_numbers_stay(text):
    assert redact(text, **KNOWN) == text
