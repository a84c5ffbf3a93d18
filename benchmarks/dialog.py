"""Dialog benchmark (issue 14): how well the bot holds a citizen's conversation.

Scripted citizens (``benchmarks/dialog/conversations.yaml``, format in its header) talk to
the real engine (the demo organisation, SQLite in a temporary folder) through
``ConversationEngine.handle``, each with its own sender and a clock from Monday 23 November
2026, 09:00 WIB, 30 s a turn. After the scripted turns a cooperative finisher answers each
step asked (from ``cooperate``) until the expected complaints are filed or 12 turns a
complaint are used; the filed complaints are read back and checked against ``expect``.

    python benchmarks/dialog.py [--set holdout] [--only ID] [--verbose]
(--set: benchmarks/dialog/NAME.yaml; --only: one conversation; --verbose: transcripts on stderr)"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import json
import random
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aduan.bootstrap import App, bootstrap
from aduan.organisation import load_organisation
from aduan.settings import DEMO_ORGANISATION, Settings
from bot.messages import IncomingMessage, Media, OutgoingMessage, Profile
from complaints.taxonomy import Status
from complaints.usecases import casework

CONVERSATIONS = Path(__file__).resolve().parent / "dialog" / "conversations.yaml"
WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # Monday 23 November 2026, 09:00 WIB
TURN_STEP = timedelta(seconds=30)
TURNS_PER_COMPLAINT = 12
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
KINDS, CHANNELS = {"complaint", "emergency", "faq", "case_question", "smalltalk", "two_complaints", "outside"}, {
    "telegram", "whatsapp", "console"}
CHOICES = {"cancel_confirm", "split", "outside", "similar"}  # answered with the affirmative button unless told
STEPS = {"description", "place", "date", "service", "privacy", "name", "contact", "confirm", "edit", "resume", *CHOICES}
PRIVACY_BUTTON = {"biasa": "Kirim", "rahasia": "Kirim rahasia", "anonim": "Kirim anonim"}
DRAFT_STEPS = STEPS - {"resume"}
WANTS_REPORT = re.compile(r"ingin membuat laporan|mau membuat laporan|buat(kan)? laporan\s*\?|dilaporkan\s*\?", re.I)
AFFIRMATIVE = re.compile(r"^(ya|iya|buat laporan|laporkan|lanjutkan|benar|teruskan)\b", re.I)
EXPECT_KEYS = {"kind", "category", "region", "weight", "name", "phone", "privacy", "report_type", "event_date", "ongoing",
               "corrections", "faq", "complaints", "categories", "numbers", "mentions", "detail"}
FIELDS = ("category", "region", "weight", "name", "phone", "privacy", "report_type", "event_date", "ongoing", "detail")
TURN_KEYS = {"press", "location", "photo", "voice", "wait_days", "text", "caption"}


def load(path: Path = CONVERSATIONS) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def problems(conv: dict[str, Any]) -> list[str]:
    """What is wrong with one conversation's shape (empty: well-formed)."""
    expect = conv.get("expect") or {}
    out = ["no id"] * (not conv.get("id")) + [f"channel {conv.get('channel')!r}"] * (conv.get("channel") not in CHANNELS)
    out += [f"kind {expect.get('kind')!r}"] * (expect.get("kind") not in KINDS)
    out += [f"expect.{k}" for k in expect if k not in EXPECT_KEYS] + ["no turns"] * (not conv.get("turns"))
    out += [f"cooperate.{k}" for k in conv.get("cooperate") or {} if k not in STEPS | {"privacy"}]
    out += ["cooperate.privacy"] * ((conv.get("cooperate") or {}).get("privacy", "biasa") not in PRIVACY_BUTTON)
    for turn in conv.get("turns") or []:
        if not isinstance(turn, str) and not (isinstance(turn, dict) and turn and set(turn) <= TURN_KEYS):
            out.append(f"turn {turn!r}")
    return out


def expected_filings(expect: dict[str, Any]) -> int:
    default = {"complaint": 1, "two_complaints": 2}.get(expect["kind"], 0)
    return int(expect.get("complaints", default))


@dataclass
class Run:
    conv: dict[str, Any]
    turns: int = 0
    replies: list[list[OutgoingMessage]] = field(default_factory=list)  # per citizen turn
    steps: list[str | None] = field(default_factory=list)  # the step asked after each turn
    codes: list[str] = field(default_factory=list)
    complaints: list[Any] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    stuck: str = ""  # why the finisher gave up
    setup_code: str = ""

    first_text = property(lambda self: "\n".join(m.text for m in self.replies[0]) if self.replies else "")
    all_text = property(lambda self: "\n".join(m.text for turn in self.replies for m in turn))


class Driver:
    """One conversation against the engine: its sender, its clock, its files."""

    def __init__(self, app: App, run: Run, sender: str, folder: Path, now: datetime, tag: str = "") -> None:
        self.app, self.run, self.sender, self.folder, self.now = app, run, sender, folder, now
        self.tag, self.channel = tag, run.conv["channel"]  # tag: keeps the update ids of a setup apart
        self.profile = Profile(**run.conv["profile"]) if run.conv.get("profile") else None
        self.last: list[OutgoingMessage] = []
        self.n = 0  # messages sent

    async def step(self) -> str | None:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get(self.channel, self.sender)
        return record.state.get("step") if record and isinstance(record.state, dict) else None

    def button(self, label: str) -> str | None:
        buttons = [b for m in self.last for b in m.buttons]
        exact = next((b.id for b in buttons if b.label.lower() == label.lower()), None)
        return exact or next((b.id for b in buttons if b.label.lower().startswith(label.lower())), None)

    def media(self, kind: str, caption: str) -> Media:
        path = self.folder / f"{self.sender}-{self.n}.{'jpg' if kind == 'photo' else 'ogg'}"
        if kind == "photo":
            Image.new("RGB", (16, 16), (120, 90, 60)).save(path, "JPEG")
        else:
            path.write_bytes(b"OggS\x00\x02" + bytes(20) + b"\x01\x1eOpusHead\x01\x01" + bytes(16))
        return Media(kind=kind, ref=str(path), caption=caption)

    async def send(self, turn: str | dict[str, Any], *, counted: bool = True) -> bool:
        """One citizen turn; False when it could not be sent (a button not offered)."""
        kw: dict[str, Any] = {}
        if isinstance(turn, str):
            kw["text"], shown = turn, turn
        elif "wait_days" in turn:
            self.now += timedelta(days=turn["wait_days"])
            self.run.transcript.append(f"   (… {turn['wait_days']} days later)")
            return True
        elif "press" in turn:
            kw["button"] = self.button(turn["press"])
            shown = f"[{turn['press']}]"
            if kw["button"] is None:
                self.run.stuck = f"no button {turn['press']!r} offered"
                return False
        elif "location" in turn:
            kw["location"], shown = tuple(turn["location"]), f"(location {turn['location']})"
        else:
            kind = "photo" if turn.get("photo") else "voice"
            kw["media"], shown = self.media(kind, turn.get("caption", "")), f"({kind}) {turn.get('caption', '')}"
            if turn.get("text"):
                kw["text"] = turn["text"]
        kw["text"] = kw["text"].replace("{code}", self.run.setup_code) if kw.get("text") else kw.get("text")
        self.n += 1
        msg = IncomingMessage(self.channel, self.sender, profile=self.profile, update_id=f"{self.sender}-{self.tag}{self.n}", **kw)
        self.last = await self.app.conversation.handle(msg, self.now)
        self.now += TURN_STEP
        step = await self.step()
        if counted:
            self.run.turns += 1
            self.run.replies.append(self.last)
            self.run.steps.append(step)
            for code in CODE.findall("\n".join(m.text for m in self.last)):
                if code not in self.run.codes and code != self.run.setup_code:
                    self.run.codes.append(code)
        self.run.transcript.append(f"  > {shown}")
        for m in self.last:
            labels = " ".join(f"[{b.label}]" for b in m.buttons)
            self.run.transcript.append("  < " + m.text.replace("\n", "\n    ") + (f"  {labels}" if labels else ""))
        self.run.transcript.append(f"    (step: {step})")
        return True

    def answer(self, step: str | None, coop: dict[str, Any], first: str) -> str | dict[str, Any] | None:
        """What a cooperative citizen sends when asked ``step``; None: nothing sensible."""
        privacy = coop.get("privacy", "biasa")
        if step == "confirm":
            label = PRIVACY_BUTTON[privacy]  # typed when there is no such button
            return {"press": label} if self.button(label) else label.lower()
        if step == "privacy":
            return {"press": privacy.capitalize()} if self.button(privacy) else privacy
        if step in ("resume", "similar"):  # the draft goes on; another citizen's report of it: file one's own
            return {"press": "Lanjutkan" if step == "resume" else "Tetap buat laporan baru"}
        if step == "contact":
            value = coop.get("contact")
            if value and value != "chat":
                return str(value)
            chat = next((b.label for m in self.last for b in m.buttons if "chat" in b.label.lower()), None)
            return {"press": chat} if chat else "lewat chat ini saja"
        if step == "date" and "date" not in coop and self.button("Tidak ingat"):
            return {"press": "Tidak ingat"}
        expect = self.run.conv["expect"]  # unless told: the profile's name, the expected service's words
        service = (expect.get("categories") or [expect.get("category")] * 2)[min(len(self.run.codes), 1)]
        defaults = {"date": "kemarin", "description": first, "name": self.profile and self.profile.name or "Warga",
                    "service": service and service.replace("_", " ")}
        if step in DRAFT_STEPS - {"edit"} - CHOICES:
            value = coop.get(step, defaults.get(step))
            return str(value) if value else None
        if step and step in coop:  # a step added later, answered as the file says
            return str(coop[step])
        yes = next((b.label for m in self.last for b in m.buttons if AFFIRMATIVE.match(b.label)), None)
        return {"press": yes} if yes else None


async def drive(app: App, conv: dict[str, Any], index: int, folder: Path) -> Run:
    run, coop = Run(conv), conv.get("cooperate") or {}
    if conv.get("setup"):
        await setup(app, run, index, folder)
    driver = Driver(app, run, f"dialog-{index}", folder, START)
    first = next((t for t in conv["turns"] if isinstance(t, str)), "")
    for turn in conv["turns"]:
        if not await driver.send(turn):
            break
    await finish(driver, coop, first, expected_filings(conv["expect"]))
    async with app.uow() as uow:
        run.complaints = [c for c in [await uow.complaints.get(code) for code in run.codes] if c is not None]
    return run


async def finish(driver: Driver, coop: dict[str, Any], first: str, want: int) -> None:
    """The cooperative finisher: answers the step asked until ``want`` complaints are filed."""
    run, said = driver.run, []  # the finisher's answers: the same one to the same step again is a dead end
    while not run.stuck and len(run.codes) < want and run.turns < TURNS_PER_COMPLAINT * want:
        step = run.steps[-1] if run.steps else None
        reply = driver.answer(step, coop, first)
        if said[-1:] == [(step, reply, len(run.codes))]:  # a new code: a new report, a new summary
            reply = {"press": "Tidak ingat"} if step == "date" and driver.button("Tidak ingat") else None
        if reply is None:
            run.stuck = f"nothing (new) to answer at step {step!r}"
        else:
            said.append((step, reply, len(run.codes)))
            await driver.send(reply)


async def setup(app: App, run: Run, index: int, folder: Path) -> None:
    """A complaint filed earlier by the same citizen (two days before), then moved by the
    central admin as ``setup.moves`` say; its code replaces ``{code}`` in the turns."""
    spec = run.conv["setup"]
    scratch = Run({**run.conv, "expect": {"kind": "complaint"}})
    driver = Driver(app, scratch, f"dialog-{index}", folder, START - timedelta(days=2), "setup")
    await driver.send(spec["file"])
    await finish(driver, run.conv.get("cooperate") or {}, spec["file"], 1)
    if not scratch.codes:
        run.stuck = "setup: the complaint was not filed"
        return
    run.setup_code = scratch.codes[0]
    admin = app.org.officers["admin-pusat"].actor
    for n, move in enumerate(spec.get("moves") or []):
        async with app.uow() as uow:
            await casework.change_status(app.context(), uow, run.setup_code, Status(move["status"]), admin,
                                         START - timedelta(days=1) + timedelta(hours=n), move.get("note", ""))
            await uow.commit()
    run.transcript += [f"  (setup: {run.setup_code} filed, moves {spec.get('moves')})"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def value(complaint: Any, key: str) -> str:
    path = {"region": "place.region_name", "detail": "place.detail", "name": "complainant.name",
            "phone": "complainant.phone"}.get(key, key)
    got = functools.reduce(lambda obj, attr: getattr(obj, attr, None), path.split("."), complaint)
    return "" if got is None else str(getattr(got, "value", got))


def matches(key: str, want: Any, got: str) -> bool:
    if key in ("region", "name", "detail", "description", "phone"):
        return want is None and not got or want is not None and norm(str(want)) in norm(got)
    if key == "ongoing":
        return str(bool(want)) == got
    return (want.isoformat() if isinstance(want, date) else str(want)).lower() == got.lower()


def recognised(run: Run, faq: dict[str, str]) -> bool:
    kind, expect, first_step = run.conv["expect"]["kind"], run.conv["expect"], (run.steps or [None])[0]
    if kind == "emergency":
        return has_number(run)
    if kind == "faq":
        return answered(run.first_text, faq.get(expect.get("faq", ""), ""))
    if kind == "smalltalk":
        return first_step not in DRAFT_STEPS and not CODE.search(run.first_text)
    if kind == "outside":
        return all(mentioned(run, m, run.first_text) for m in expect.get("mentions", []))
    if kind == "case_question":
        return bool(run.setup_code) and all(mentioned(run, m, run.first_text) for m in expect.get("mentions", []))
    return first_step in DRAFT_STEPS or bool(CODE.search(run.first_text)) or bool(WANTS_REPORT.search(run.first_text))


def mentioned(run: Run, mention: str | list[str], text: str) -> bool:
    """A ``mentions`` item in the text: a string, or a list of alternatives ("{code}": the setup's)."""
    options = [mention] if isinstance(mention, str) else mention
    return any(norm(o.replace("{code}", run.setup_code)) in norm(text) for o in options)


def has_number(run: Run) -> bool:
    return any(n in run.first_text for n in run.conv["expect"].get("numbers", ["112"]))


def answered(text: str, answer: str) -> bool:
    return bool(answer) and norm(answer)[:60] in norm(text)


def judge(run: Run, faq: dict[str, str]) -> list[str]:
    """Why the run did not meet its expectations (empty: it did)."""
    expect, why = run.conv["expect"], []
    want, kind = expected_filings(expect), expect["kind"]
    if len(run.codes) != want:
        why.append(f"{len(run.codes)} filed, {want} expected" + (f" ({run.stuck})" if run.stuck else ""))
    if run.complaints and kind != "two_complaints":
        c = run.complaints[0]
        for key in [k for k in expect if k in FIELDS]:
            if not matches(key, expect[key], value(c, key)):
                why.append(f"{key} {value(c, key)!r}, expected {str(expect[key])!r}")
        for key, want_value in (expect.get("corrections") or {}).items():
            if not matches(key, want_value, value(c, key)):
                why.append(f"correction of {key} not applied ({value(c, key)!r})")
    if kind == "two_complaints" and expect.get("categories"):
        got = sorted(value(c, "category") for c in run.complaints)
        if got != sorted(expect["categories"]):
            why.append(f"categories {got}, expected {sorted(expect['categories'])}")
    why += ["no emergency number in the first reply"] * (kind == "emergency" and not has_number(run))
    if kind == "faq":
        if expect.get("faq") not in faq:
            why.append(f"faq entry {expect.get('faq')!r} not in the organisation")
        elif not answered(run.all_text, faq[expect["faq"]]):
            why.append(f"not answered with faq {expect['faq']!r}")
    if kind == "smalltalk" and any(s in DRAFT_STEPS for s in run.steps[:1]):
        why.append(f"a draft was started (step {run.steps[0]!r})")
    why += [run.stuck or "setup failed"] * (kind == "case_question" and not run.setup_code)
    for mention in expect.get("mentions") or []:
        if not mentioned(run, mention, run.all_text):
            why.append(f"no reply mentions {mention!r}")
    why += ["the engine failed"] * ("mengalami gangguan" in run.all_text)
    return why


def share(hits: int, total: int) -> dict[str, Any]:
    return {"ok": hits, "of": total, "share": round(hits / total, 3) if total else None}


def figures(runs: list[Run], faq: dict[str, str], name: str = "conversations") -> dict[str, Any]:
    by_kind = collections.Counter(r.conv["expect"]["kind"] for r in runs)
    judged = [(r, judge(r, faq)) for r in runs]
    filed = sorted(r.turns for r in runs if r.codes)
    complete = [r for r in runs if r.conv.get("complete") and expected_filings(r.conv["expect"]) >= 1]
    target = [r for r in complete if len(r.codes) >= 1 and r.turns <= (2 if r.conv.get("profile") else 3)]
    corrections = [(r, k) for r in runs for k in (r.conv["expect"].get("corrections") or {})]
    fixed = [(r, k) for r, k in corrections if r.complaints
             and matches(k, r.conv["expect"]["corrections"][k], value(r.complaints[0], k))]
    faqs, emergencies = ([r for r in runs if r.conv["expect"]["kind"] == k] for k in ("faq", "emergency"))
    return {
        "benchmark": "dialog", "set": name,
        "conversations": len(runs),
        "by_kind": dict(sorted(by_kind.items())),
        "turns_per_complaint": {"conversations": len(filed), "median": statistics.median(filed) if filed else None,
                                "p90": filed[round(0.9 * (len(filed) - 1))] if filed else None,
                                "max": filed[-1] if filed else None},
        "complaints_meeting_target": share(len(target), len(complete)),
        "first_message_recognition": share(sum(recognised(r, faq) for r in runs), len(runs)),
        "corrections_applied": share(len(fixed), len(corrections)),
        "questions_answered": share(sum(not why for r, why in judged if r in faqs), len(faqs)),
        "emergencies_first": share(sum(map(has_number, emergencies)), len(emergencies)),
        "outcome_ok": share(sum(not why for _, why in judged), len(runs)),
        "failures": [{"id": r.conv["id"], "reason": "; ".join(why)[:200]} for r, why in judged if why],
    }


async def run_all(convs: list[dict[str, Any]], verbose: bool = False, name: str = "conversations") -> dict[str, Any]:
    faq = {entry.id: entry.answer for entry in load_organisation(DEMO_ORGANISATION).faq}
    with tempfile.TemporaryDirectory(prefix="aduan-dialog-") as tmp:
        folder = Path(tmp)
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'aduan.db'}", data_dir=folder,
                            media_dir=folder / "media", organisation_file=DEMO_ORGANISATION, timezone="Asia/Jakarta")
        app = await bootstrap(settings, migrate=True, rng=random.Random(14))
        runs = []
        try:
            for index, conv in enumerate(convs):
                runs.append(run := await drive(app, conv, index, folder))
                why = "; ".join(judge(run, faq)) or "ok"
                print(f"{conv['id']}: {run.turns} turns, {why}", *run.transcript * verbose, sep="\n", file=sys.stderr)
        finally:
            await app.db.dispose()
    return figures(runs, faq, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only the conversation with this id (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print the transcripts on stderr")
    parser.add_argument("--set", default="conversations", help="the set: benchmarks/dialog/SET.yaml")
    args = parser.parse_args(argv)
    convs = load(CONVERSATIONS.with_name(f"{args.set}.yaml"))
    if bad := {c.get("id"): problems(c) for c in convs if problems(c)}:
        sys.exit(f"malformed conversations: {bad}")
    convs = [c for c in convs if not args.only or c["id"] in args.only]
    print(json.dumps(asyncio.run(run_all(convs, args.verbose, args.set)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
