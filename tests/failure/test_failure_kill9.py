"""``kill -9`` of the bot in the middle of 100 conversations: the conversations resume
where they were in a new process, and every one of them ends with exactly one complaint.

The bot is the real ``aduan chat --jsonl`` process (JSON lines in and out), on a SQLite
file and on a PostgreSQL schema. It is the simplest real process that holds
conversations, and the engine under it is the one every channel uses; what a webhook
adds (update ids, deduplication) is covered by the duplicate-delivery tests. Nothing
sleeps: after each round of messages the test sends a line the bot cannot read and
waits for its error line, which the bot writes only after it has answered (and stored)
everything before it. Then SIGKILL, no goodbye.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select

from storage.tables import complaints as complaints_table

ADUAN = str(Path(sys.executable).parent / "aduan")
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
CONVERSATIONS = 100

FIRST_MESSAGES = (  # what and where, not when: the date is asked; a gang of its own each (else the
    # similar open case another conversation filed is offered before the summary)
    "pak jalan di gang {n} Kebraon bolong gede, ada yg jatuh motor",
    "sampah numpuk di gang {n} dekat pasar wonokromo",
)
GIVEN = ("Budi", "Siti", "Agus", "Dewi", "Rahmat", "Nur", "Joko", "Fitri", "Hendra", "Lina")
FAMILY = ("Santoso", "Aminah", "Setiawan", "Lestari", "Hidayat", "Wahyuni", "Susanto", "Handayani", "Saputra",
          "Marlina")


def steps(n: int) -> list[tuple[dict[str, str], str]]:
    """Conversation ``n``: each message and what the bot's last reply to it must contain
    (the last one: the citizen's list of complaints, checked against the receipt)."""
    return [
        ({"text": FIRST_MESSAGES[n % 2].format(n=n + 1)}, "Kapan kejadiannya"),
        ({"text": f"{2 + n % 5} hari lalu"}, "ringkasan laporan"),
        ({"button": "confirm:send"}, "Boleh kami tahu nama Anda"),  # "Kirim": the name, then it is filed
        ({"text": f"{GIVEN[n % 10]} {FAMILY[n // 10]}"}, "Kode laporan: LPR-"),
        ({"text": "laporan saya"}, "Laporan Anda"),
    ]


STEPS = 5
RECEIPT, LISTING = 3, 4  # the steps that answer with the receipt, and with the citizen's list


class Bot:
    """One ``aduan chat --jsonl`` process."""

    def __init__(self, env: dict[str, str], cwd: Path, stderr: IO[str]) -> None:
        self.process = subprocess.Popen(
            [ADUAN, "chat", "--jsonl", "--poll", "0"], env=env, cwd=cwd, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=1,
        )
        self.markers = 0

    def round(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send the messages and a line the bot refuses; return every line it wrote before
        refusing that one, i.e. once everything sent has been handled."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.markers += 1
        lines = [json.dumps(m, ensure_ascii=False) for m in messages] + [json.dumps({"marker": self.markers})]
        self.process.stdin.write("\n".join(lines) + "\n")
        self.process.stdin.flush()
        out = []
        while True:
            line = self.process.stdout.readline()
            assert line, f"the bot stopped (exit {self.process.poll()})"
            data = json.loads(line)
            if "error" in data:
                assert "from" in data["error"], data  # the marker, not one of our messages
                return out
            out.append(data)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)


def last_reply_to(out: list[dict[str, Any]]) -> dict[str, str]:
    replies: dict[str, list[str]] = defaultdict(list)
    for line in out:
        replies[line["to"]].append(line["text"])
    return {who: "\n".join(texts) for who, texts in replies.items()}


async def test_kill_9_in_the_middle_of_100_conversations_resumes_each_and_loses_or_doubles_nothing(
    database_url: str, engine, tmp_path: Path,
) -> None:
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path),
           "ADUAN_LOG_LEVEL": "WARNING"}
    senders = [f"warga-{n:03d}" for n in range(CONVERSATIONS)]
    scripts = {sender: steps(n) for n, sender in enumerate(senders)}
    # each conversation is cut after 1 to 4 of its 5 steps: every step is resumed from somewhere,
    # and a quarter of the complaints were filed before the kill
    cut_after = {sender: 1 + n % (STEPS - 1) for n, sender in enumerate(senders)}
    done = dict.fromkeys(senders, 0)
    shuffle = random.Random(9)
    receipts: dict[str, list[str]] = defaultdict(list)

    def next_round(limit: dict[str, int]) -> tuple[list[str], list[dict[str, Any]]]:
        talking = [s for s in senders if done[s] < limit[s]]
        shuffle.shuffle(talking)  # interleaved, in a different order every round
        return talking, [{"from": s, **scripts[s][done[s]][0]} for s in talking]

    def check(talking: list[str], out: list[dict[str, Any]], *, resumed: set[str] = frozenset()) -> None:
        last = last_reply_to(out)
        for sender in talking:
            expected = scripts[sender][done[sender]][1]
            assert expected in last.get(sender, ""), (
                f"{sender} step {done[sender] + 1}{' (first after the restart)' if sender in resumed else ''}: "
                f"expected {expected!r}, got {last.get(sender)!r}")
            if done[sender] == RECEIPT:
                receipts[sender].append(CODE.search(last[sender]).group(0))
            if done[sender] == LISTING:  # "laporan saya": the one complaint of this conversation, no other
                assert set(CODE.findall(last[sender])) == set(receipts[sender]), last[sender]
            done[sender] += 1

    with (tmp_path / "bot.log").open("w", encoding="utf-8") as log:
        first = Bot(env, tmp_path, log)
        try:
            while True:
                talking, messages = next_round(cut_after)
                if not talking:
                    break
                check(talking, first.round(messages))
        finally:
            first.kill()  # every message sent so far was answered: the state is all in the database
        assert sorted(done.values()) == sorted(cut_after.values())

        second = Bot(env, tmp_path, log)
        try:
            resumed = set(senders)
            while True:
                talking, messages = next_round(dict.fromkeys(senders, STEPS))
                if not talking:
                    break
                check(talking, second.round(messages), resumed=resumed)
                resumed = set()
        finally:
            second.close()
        assert second.process.returncode == 0

    assert all(len(codes) == 1 for codes in receipts.values()) and len(receipts) == CONVERSATIONS
    codes = [c for found in receipts.values() for c in found]
    assert len(set(codes)) == CONVERSATIONS
    async with engine.connect() as conn:
        rows = (await conn.execute(select(complaints_table.c.code, complaints_table.c.sender))).all()
        assert (await conn.execute(select(func.count()).select_from(complaints_table))).scalar_one() == CONVERSATIONS
    assert sorted((code, sender) for code, sender in rows) == sorted(
        (found[0], sender) for sender, found in receipts.items())
