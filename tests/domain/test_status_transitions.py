from datetime import UTC, datetime

import pytest

from complaints.errors import IllegalTransition, NotAuthorised
from complaints.model import Actor, Complaint
from complaints.taxonomy import Role, Status
from complaints.workflow import FINAL, TRANSITIONS

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ADMIN = Actor("admin-pusat", Role.ADMIN, "pusat")
OFFICER = Actor("petugas-dlh", Role.OFFICER, "dlh")


def complaint(status=Status.DITERIMA):
    return Complaint(code="LPR-AAAA-AA", description="sampah menumpuk", channel="console", sender="w1",
                     created_at=NOW, status=status)


def test_the_normal_path_is_allowed_and_every_step_is_audited():
    c = complaint()
    c.move_to(Status.DIVERIFIKASI, ADMIN, NOW)
    c.move_to(Status.DIDISPOSISIKAN, ADMIN, NOW)
    c.move_to(Status.DIPROSES, OFFICER, NOW, "tim dijadwalkan besok")
    c.move_to(Status.SELESAI, OFFICER, NOW, "sampah sudah diangkut")
    c.move_to(Status.DITUTUP, Actor.system(), NOW)
    assert [(e.from_status, e.to_status) for e in c.audit] == [
        (Status.DITERIMA, Status.DIVERIFIKASI),
        (Status.DIVERIFIKASI, Status.DIDISPOSISIKAN),
        (Status.DIDISPOSISIKAN, Status.DIPROSES),
        (Status.DIPROSES, Status.SELESAI),
        (Status.SELESAI, Status.DITUTUP),
    ]
    assert c.audit[2].actor == "petugas-dlh" and c.audit[2].note == "tim dijadwalkan besok"
    assert c.public_note == "sampah sudah diangkut"


@pytest.mark.parametrize("current", list(Status))
def test_every_disallowed_transition_is_refused_with_a_reason(current):
    for target in Status:
        if target in TRANSITIONS[current]:
            continue
        c = complaint(current)
        with pytest.raises(IllegalTransition) as refused:
            c.move_to(target, ADMIN, NOW, "catatan")
        assert refused.value.params == {"current": current, "target": target}
        assert c.status is current and c.audit == []


def test_final_statuses_have_no_way_out():
    assert {Status.DITUTUP, Status.DISALURKAN, Status.DITOLAK} == FINAL


def test_rejection_forwarding_questions_and_answers_need_a_note():
    for target, start in [(Status.DITOLAK, Status.DITERIMA), (Status.DISALURKAN, Status.DITERIMA),
                          (Status.MENUNGGU_INFORMASI, Status.DIPROSES), (Status.SELESAI, Status.DIPROSES),
                          (Status.DIPROSES, Status.DIDISPOSISIKAN)]:
        c = complaint(start)
        with pytest.raises(IllegalTransition) as refused:
            c.move_to(target, ADMIN, NOW, "   ")
        assert refused.value.code == "note_required"


def test_roles_are_enforced():
    with pytest.raises(NotAuthorised):
        complaint().move_to(Status.DITOLAK, OFFICER, NOW, "bukan wewenang")
    with pytest.raises(NotAuthorised):
        complaint(Status.SELESAI).move_to(Status.DIBUKA_KEMBALI, OFFICER, NOW)
    citizen = Actor("console:w1", Role.COMPLAINANT)
    c = complaint(Status.SELESAI)
    c.move_to(Status.DIBUKA_KEMBALI, citizen, NOW, "belum diperbaiki")
    assert c.status is Status.DIBUKA_KEMBALI
