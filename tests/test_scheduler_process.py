"""The scheduler process: APScheduler wiring, and one scheduler per SQLite database."""

import os
import subprocess
import sys
from pathlib import Path

from scheduler.jobs import Jobs, build_scheduler
from scheduler.lock import AlreadyRunning, SingleInstance
from tests.chat_harness import WIB, Clock, make_app

ADUAN = str(Path(sys.executable).parent / "aduan")


async def test_the_scheduler_runs_sweep_relay_and_digest_jobs(engine):
    app = await make_app(engine)
    calls = []

    class Counting(Jobs):
        async def sweep(self):
            calls.append("sweep")

    jobs = Counting(app.sweeper, app.relay({}), Clock())
    scheduler = build_scheduler(jobs, WIB, sweep_seconds=60, relay_seconds=2)
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(by_id) == {"sweep", "relay", "digest"}
    assert "interval[0:01:00]" in str(by_id["sweep"].trigger)
    assert "day_of_week='mon-fri'" in str(by_id["digest"].trigger) and "hour='7'" in str(by_id["digest"].trigger)
    assert all(job.max_instances == 1 and job.coalesce for job in by_id.values())
    await by_id["sweep"].func()
    assert calls == ["sweep"]


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
