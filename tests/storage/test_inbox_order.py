
"""Migration 0012: the running deadline the inbox is sorted by, filled in for the complaints
already there, kept by every save, and dropped again by the downgrade."""

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select

from complaints.model import Actor
from complaints.taxonomy import Role, Status
from storage import mapping
from storage.database import create_engine
from storage.migrate import alembic_config, upgrade
from storage.tables import complaints
from storage.uow import SqlUnitOfWork
from tests.storage.test_storage_contract import (
    T0,
    complaint_columns,
    make_complaint,
)

DUE = T0 + timedelta(days=3)


@pytest.mark.sql_only("the schema's migrations")
async def test_0012_fills_the_running_deadline_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0011")
        async with engine.begin() as conn:
            for code, status in (("LPR-7KQ3-MN", Status.DIPROSES), ("LPR-7KQ3-PQ", Status.SELESAI)):
                old = make_complaint(code)
                old.status, old.due_at = status, DUE
                values = {k: v for k, v in mapping.complaint_values(old).items()
                          if k not in ("running_due_at", "media_url", "address_id")}  # 0012, 0015
                await conn.execute(complaints.insert().values(**values))
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = dict((await conn.execute(select(complaints.c.code, complaints.c.running_due_at))).all())
        assert rows == {"LPR-7KQ3-MN": DUE, "LPR-7KQ3-PQ": None}  # a deadline runs only while the case is open

        async with SqlUnitOfWork(engine) as uow:  # a save keeps it: waiting for the complainant stops the clock
            found = await uow.complaints.get("LPR-7KQ3-MN")
            found.move_to(Status.MENUNGGU_INFORMASI, Actor("petugas-1", Role.OFFICER, "dsdabm"), T0, "foto?")
            await uow.complaints.save(found)
            await uow.commit()
        async with engine.connect() as conn:
            stored = (await conn.execute(select(complaints.c.running_due_at)
                                         .where(complaints.c.code == "LPR-7KQ3-MN"))).scalar_one()
        assert stored is None

        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0011"))
        assert "running_due_at" not in await complaint_columns(engine)
    finally:
        await engine.dispose()
