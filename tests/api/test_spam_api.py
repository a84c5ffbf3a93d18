"""The REST API: the admin rejects a case as spam (``spam: true`` with ``ditolak``); a portal
filing through one key is not held to a chat's daily limit (the key's rate limit applies)."""

from complaints.model import Rejection, RejectionReason
from tests.api_harness import api_for


async def test_the_admin_rejects_as_spam_and_spam_needs_ditolak(engine):
    async with api_for(engine) as api:
        code = await api.file()
        wrong = await api.set_status(code, "diverifikasi", spam=True)
        assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "rejection_needs_ditolak"
        assert "ditolak" in wrong.json()["error"]["message"]
        done = await api.set_status(code, "ditolak", note="Laporan iseng, bukan keluhan nyata.", spam=True)
        assert done.status_code == 200, done.text
        async with api.app.uow() as uow:
            rejected = await uow.complaints.get(code)
        assert rejected is not None and rejected.rejection == Rejection(RejectionReason.SPAM)


async def test_a_portal_key_files_more_than_a_chats_daily_limit(engine):
    async with api_for(engine) as api:
        codes = [await api.file(description=f"jalan depan gang {i} berlubang besar") for i in range(7)]
        assert len(set(codes)) == 7
