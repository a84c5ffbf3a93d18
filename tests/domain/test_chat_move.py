"""A chat that moved (complaints/usecases/identity.py) on the in-memory unit of work: the
merge rules when the new chat is already in use."""

from __future__ import annotations

from datetime import UTC, datetime

from complaints.model import AuditKind, Complainant, Complaint, Supporter
from complaints.taxonomy import PrivacyMode, Role
from complaints.usecases.identity import ChatMove, Moved, Notes, move_chat
from tests.fakes.uow import MemoryStore

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
MOVE = ChatMove("whatsapp", "6281100000001", "6282200000002", "+6281100000001", "+6282200000002")
NOTES = Notes("pelapor pindah", "pendukung pindah")


def supporter(sender: str, phone: str | None = None) -> Supporter:
    return Supporter("whatsapp", sender, PrivacyMode.BIASA, NOW, name="Sri", phone=phone)


def case(code: str, sender: str, *supporters: Supporter, phone: str | None = None) -> Complaint:
    return Complaint(code=code, description="lampu mati", channel="whatsapp", sender=sender, created_at=NOW,
                     complainant=Complainant("Budi", phone), supporters=list(supporters))


async def test_the_merge_rules(store: MemoryStore):
    async with store.uow() as uow:
        await uow.complaints.add(case("LPR-AAAA-AA", MOVE.old, supporter(MOVE.new), phone="+6281100000001"))
        await uow.complaints.add(case("LPR-BBBB-BB", "6283300000003", supporter(MOVE.old), supporter(MOVE.new)))
        await uow.complaints.add(case("LPR-CCCC-CC", "6283300000003", supporter(MOVE.old, "+6281100000001")))
        await uow.complaints.add(case("LPR-DDDD-DD", MOVE.new, supporter(MOVE.old)))
        await uow.complaints.add(case("LPR-EEEE-EE", "6283300000003", phone="+6281100000001"))
        moved = await move_chat(uow, MOVE, NOTES, NOW)
        await uow.commit()
    assert moved == Moved(("LPR-AAAA-AA",), ("LPR-BBBB-BB", "LPR-CCCC-CC", "LPR-DDDD-DD"))
    async with store.uow() as uow:
        own = await uow.complaints.get("LPR-AAAA-AA")
        assert own is not None and own.owner == MOVE.new_id and own.complainant.phone == "+6282200000002"
        assert own.supporters == []  # the new chat's support of what is now its own case
        both = await uow.complaints.get("LPR-BBBB-BB")
        assert both is not None and [s.id for s in both.supporters] == [MOVE.new_id]
        renamed = await uow.complaints.get("LPR-CCCC-CC")
        assert renamed is not None and [(s.id, s.phone) for s in renamed.supporters] == [(MOVE.new_id, "+6282200000002")]
        theirs = await uow.complaints.get("LPR-DDDD-DD")
        assert theirs is not None and theirs.supporters == []
        untouched = await uow.complaints.get("LPR-EEEE-EE")  # someone else's case naming the old number
        assert untouched is not None and untouched.complainant.phone == "+6281100000001" and untouched.audit == []
        for code, note in (("LPR-AAAA-AA", "pelapor pindah"), ("LPR-BBBB-BB", "pendukung pindah")):
            entry = (await uow.complaints.get(code)).audit[-1]  # type: ignore[union-attr]
            assert (entry.action, entry.role, entry.note) == (AuditKind.NOTE, Role.SYSTEM, note)
        assert await uow.complaints.list_by_sender("whatsapp", MOVE.old) == []
        assert await uow.complaints.list_supported("whatsapp", MOVE.old) == []


async def test_a_move_to_the_same_chat_changes_nothing(store: MemoryStore):
    async with store.uow() as uow:
        await uow.complaints.add(case("LPR-AAAA-AA", MOVE.old))
        same = ChatMove("whatsapp", MOVE.old, MOVE.old)
        assert await move_chat(uow, same, NOTES, NOW) == Moved((), ())
        assert (await uow.complaints.get("LPR-AAAA-AA")).audit == []  # type: ignore[union-attr]
