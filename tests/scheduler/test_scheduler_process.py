"""The scheduler process: APScheduler wiring, and one scheduler per SQLite database."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from complaints.errors import StorageUnavailable
from complaints.notifications import Notification
from complaints.sweep import SweepReport
from scheduler.jobs import Jobs, SchedulerProcess, build_scheduler
from scheduler.lock import AlreadyRunning, SingleInstance
from tests.chat_harness import START, WIB, Clock, make_app

ADUAN = str(Path(sys.executable).parent / "aduan")


async def test_the_scheduler_runs_sweep_and_digest_jobs(engine):
    app = await make_app(engine)
    calls = []

    class Counting(Jobs):
        async def sweep(self):
            calls.append("sweep")

    jobs = Counting(app.sweeper, app.relay({}), Clock())
    scheduler = build_scheduler(jobs, WIB, sweep_seconds=60)
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(by_id) == {"sweep", "digest"}  # the relay runs in a loop of its own
    assert "interval[0:01:00]" in str(by_id["sweep"].trigger)
    assert "day_of_week='mon-fri'" in str(by_id["digest"].trigger) and "hour='7'" in str(by_id["digest"].trigger)
    assert all(job.max_instances == 1 and job.coalesce for job in by_id.values())
    await by_id["sweep"].func()
    assert calls == ["sweep"]


async def test_stopping_lets_the_send_under_way_finish_and_takes_nothing_more(engine):
    """Ctrl+C while the relay is sending: the message in flight is delivered and recorded,
    the rest stay queued for the next start."""
    app = await make_app(engine)
    async with app.uow() as uow:
        for n in range(5):
            await uow.outbox.add(Notification(f"k{n}", "telegram", "1001", f"pesan {n}"), START)
        await uow.commit()
    sending, release = asyncio.Event(), asyncio.Event()

    class SlowChannel:
        sent: list[str] = []

        async def send(self, notification):
            sending.set()
            await release.wait()
            self.sent.append(notification.key)

    channel = SlowChannel()
    jobs = Jobs(app.sweeper, app.relay({"telegram": channel}), Clock())
    process = SchedulerProcess(jobs, build_scheduler(jobs, WIB), relay_seconds=3600)
    process.start()
    await sending.wait()
    stopping = asyncio.create_task(process.stop(timeout=10))
    await asyncio.sleep(0)  # let stop() ask the relay to take nothing more
    release.set()
    await stopping
    assert channel.sent == ["k0"]
    async with app.uow() as uow:
        assert await uow.outbox.pending_count() == 4  # k0 recorded as sent, the rest still queued


async def test_stopping_lets_a_sweep_under_way_finish(engine):
    """The first sweep runs at start; stopping while it runs waits for it, so no job is left
    holding a transaction when the process exits."""
    app = await make_app(engine)
    sweeping, release, finished = asyncio.Event(), asyncio.Event(), []

    class SlowSweeper:
        async def sweep(self, now):
            sweeping.set()
            await release.wait()
            finished.append(now)
            return SweepReport()

    jobs = Jobs(SlowSweeper(), app.relay({}), Clock())
    process = SchedulerProcess(jobs, build_scheduler(jobs, WIB), relay_seconds=3600)
    process.start()
    await sweeping.wait()
    stopping = asyncio.create_task(process.stop(timeout=10))
    await asyncio.sleep(0)
    assert not stopping.done() and jobs.running  # the sweep is under way: stop() waits
    release.set()
    await stopping
    assert len(finished) == 1 and not jobs.running


def test_a_second_lock_on_the_same_file_is_refused(tmp_path):
    path = tmp_path / "aduan.db.scheduler.lock"
    with SingleInstance(path):
        try:
            SingleInstance(path).acquire()
        except AlreadyRunning:
            pass
        else:
            raise AssertionError("the second lock was granted")
    with SingleInstance(path):  # released on exit: a restart is not blocked
        pass


def test_a_second_scheduler_on_sqlite_refuses_to_start(tmp_path):
    env = {**os.environ, "ADUAN_DATA_DIR": str(tmp_path)}
    env.pop("ADUAN_DATABASE_URL", None)
    first = subprocess.Popen([ADUAN, "scheduler"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        assert "Scheduler berjalan" in first.stderr.readline()  # waits until it holds the lock
        second = subprocess.run([ADUAN, "scheduler"], env=env, cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode != 0
        assert "Scheduler lain sudah berjalan" in second.stderr and "PostgreSQL" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)


async def test_a_digest_missed_while_the_database_was_down_is_queued_by_the_next_sweep(engine):
    """07:00 with the database down: the supervisors still get today's digest, once, as
    soon as a sweep reaches the database again; not a day late."""

    class Sweeper:
        down = True
        digests: list = []

        async def sweep(self, now):
            if self.down:
                raise StorageUnavailable("ConnectionRefusedError: [Errno 111]")
            return SweepReport()

        async def digest(self, now):
            if self.down:
                raise StorageUnavailable("ConnectionRefusedError: [Errno 111]")
            self.digests.append(now)
            return []

    sweeper, clock = Sweeper(), Clock(START.replace(hour=7))
    app = await make_app(engine)
    jobs = Jobs(sweeper, app.relay({}), clock)
    await jobs.digest()
    await jobs.sweep()  # still down
    assert sweeper.digests == []
    sweeper.down = False
    clock.advance(minutes=3)
    await jobs.sweep()
    await jobs.sweep()
    assert sweeper.digests == [START.replace(hour=7, minute=3)]  # once
    sweeper.down = True
    clock.advance(days=1)  # tomorrow at 07:03 the database is down again...
    await jobs.digest()
    sweeper.down = False
    clock.advance(days=1)  # ...and comes back only the day after
    await jobs.sweep()
    assert len(sweeper.digests) == 1  # a summary of the day before is not sent a day late
