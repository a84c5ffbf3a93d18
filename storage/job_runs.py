"""The last run of each scheduler job (when it started, how long it took, how many runs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from .database import dialect_insert
from .tables import job_runs


@dataclass(frozen=True)
class JobRun:
    job: str
    last_started_at: datetime
    last_duration_seconds: float
    runs: int


async def record_job_run(conn: AsyncConnection, job: str, started_at: datetime, duration_seconds: float) -> None:
    stmt = dialect_insert(conn, job_runs).values(job=job, last_started_at=started_at, last_duration_seconds=duration_seconds, runs=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[job_runs.c.job],
        set_={
            "last_started_at": stmt.excluded.last_started_at,
            "last_duration_seconds": stmt.excluded.last_duration_seconds,
            "runs": job_runs.c.runs + 1,
        },
    )
    await conn.execute(stmt)


async def job_runs_by_name(conn: AsyncConnection) -> dict[str, JobRun]:
    rows = (await conn.execute(select(job_runs))).all()
    return {row.job: JobRun(row.job, row.last_started_at, row.last_duration_seconds, row.runs) for row in rows}
