"""The sweep forgets which chat messages a report was made of once they were filed longer
ago than ``FILED_MESSAGES_KEPT_FOR`` (complaints.sweep), on the in-memory unit of work."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.sweep import FILED_MESSAGES_KEPT_FOR, Sweeper
from complaints.usecases.context import CaseContext, FixedContext
from tests.fakes.uow import MemoryStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


async def test_the_sweep_forgets_messages_filed_longer_ago_than_kept(ctx: CaseContext, store: MemoryStore) -> None:
    async with store.uow() as uow:
        await uow.filed_messages.add("whatsapp", "6281100000001", ["wamid.1", "wamid.2"], "LPR-AAAA-AA",
                                     NOW - FILED_MESSAGES_KEPT_FOR - timedelta(seconds=1))
        await uow.filed_messages.add("whatsapp", "6281100000001", ["wamid.3"], "LPR-BBBB-BB",
                                     NOW - FILED_MESSAGES_KEPT_FOR)
        await uow.commit()
    report = await Sweeper(FixedContext(ctx), store.uow).sweep(NOW)
    assert report.forgotten == 2
    async with store.uow() as uow:
        ever = NOW - timedelta(days=365)
        assert await uow.filed_messages.code_of("whatsapp", "6281100000001", "wamid.1", ever) is None
        assert await uow.filed_messages.code_of("whatsapp", "6281100000001", "wamid.3", ever) == "LPR-BBBB-BB"
    assert (await Sweeper(FixedContext(ctx), store.uow).sweep(NOW)).forgotten == 0
