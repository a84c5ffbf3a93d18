"""The Rasa action server, end to end over HTTP, on SQLite and PostgreSQL.

The server is rasa-sdk's own Sanic app (``/webhook``, ``/health``, ``/actions``) with our
actions. Rasa itself cannot be installed here, so ``Rasa`` below plays its part for one
sender: it keeps the tracker, fills the asked slot with the text (the ``from_text``
mappings of nlu/data/rasa/domain.yml), and posts the payloads Rasa 3 posts: for
``validate_complaint_form`` the temporary tracker of rasa/core/actions/forms.py (the
events so far, ``requested_slot``, the form's ``action`` event, then the slot candidates),
and for the other actions the tracker itself. Its asserts are on what the server returns.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

pytest.importorskip("rasa_sdk")

import rasa_sdk

from aduan.commands.rasa import action_services
from bot import texts
from bot.channels.rasa import ActionServer
from bot.render import citizen as citizen_render
from bot.render.labels import status_label
from complaints import tracking
from complaints.model import Actor, Complaint
from complaints.taxonomy import PrivacyMode, Role, Status
from tests.chat_harness import START, Clock

RASA_DIR = Path(__file__).resolve().parents[2] / "nlu" / "data" / "rasa"
DOMAIN = yaml.safe_load((RASA_DIR / "domain.yml").read_text(encoding="utf-8"))
FORM = "complaint_form"
FORM_SLOTS = DOMAIN["forms"][FORM]["required_slots"]
IGNORED_INTENTS = set(DOMAIN["forms"][FORM]["ignored_intents"])
RASA_VERSION = ".".join(rasa_sdk.__version__.split(".")[:2]) + ".0"  # a Rasa this SDK serves
ADUAN = str(Path(sys.executable).parent / "aduan")
UNISSUED = tracking.generate(random.Random(2026))  # a valid code no test files under
RICH = "pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": time.time(), "name": name, "value": value}


def action_event(name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": time.time(), "name": name, "policy": "RulePolicy", "confidence": 1.0}


def from_text(slot: str) -> bool:
    return any(mapping["type"] == "from_text" for mapping in DOMAIN["slots"][slot]["mappings"])


@dataclass
class Reply:
    """One answer of the action server."""

    events: list[dict[str, Any]]
    responses: list[dict[str, Any]]

    @property
    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e["event"] == "slot"}

    @property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.responses if r.get("text")]


@dataclass
class Rasa:
    """Rasa's side of one conversation (see the module docstring)."""

    http: httpx.AsyncClient
    sender: str = field(default_factory=lambda: f"rasa-user-{uuid.uuid4().hex[:8]}")
    slots: dict[str, Any] = field(default_factory=lambda: {name: None for name in DOMAIN["slots"]} | {"requested_slot": None})
    events: list[dict[str, Any]] = field(default_factory=list)
    active_loop: str | None = None
    latest_message: dict[str, Any] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)  # what the bot said since the citizen's last message
    buttons: list[dict[str, str]] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)  # the server's answers since then
    posted: list[dict[str, Any]] = field(default_factory=list)  # and the payloads they answered

    # --- the payloads -------------------------------------------------------------------

    def payload(self, action: str, extra: list[dict[str, Any]] = ()) -> dict[str, Any]:
        events = self.events + list(extra)
        slots = dict(self.slots)
        for event in extra:
            if event["event"] == "slot":
                slots[event["name"]] = event["value"]
        latest_action = next((e["name"] for e in reversed(events) if e["event"] == "action"), None)
        return {
            "next_action": action,
            "sender_id": self.sender,
            "tracker": {
                "sender_id": self.sender,
                "slots": slots,
                "latest_message": self.latest_message,
                "latest_event_time": time.time(),
                "followup_action": None,
                "paused": False,
                "events": events,
                "latest_input_channel": "rest",
                "active_loop": {"name": self.active_loop, "validate": True, "rejected": False} if self.active_loop else {},
                "latest_action": {"action_name": latest_action},
                "latest_action_name": latest_action,
            },
            "domain": DOMAIN,
            "version": RASA_VERSION,
        }

    async def post(self, payload: dict[str, Any]) -> Reply:
        self.posted.append(payload)
        response = await self.http.post("/webhook", json=payload)
        assert response.status_code == 200, response.text
        body = response.json()
        reply = Reply(body["events"], body["responses"])
        self.replies.append(reply)
        return reply

    def apply(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.events.append(event)
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
            elif event["event"] == "active_loop":
                self.active_loop = event["name"]
            elif event["event"] == "bot":
                self.said.append(event["text"])

    def utter(self, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        self.apply([{"event": "bot", "timestamp": time.time(), "text": text, "data": {"buttons": buttons}}])
        self.buttons = list(buttons or [])

    async def run(self, action: str) -> Reply:
        """A custom action predicted by a rule, on the tracker as it is."""
        reply = await self.post(self.payload(action))
        self.apply([action_event(action)])
        for response in reply.responses:
            self.utter(response["text"], response.get("buttons"))
        self.apply(reply.events)
        return reply

    # --- a message from the citizen ---------------------------------------------------------

    async def says(self, text: str, intent: str = "chitchat", entities: list[dict[str, Any]] = ()) -> list[str]:
        self.said, self.buttons, self.replies, self.posted = [], [], [], []
        message_id = uuid.uuid4().hex
        self.latest_message = {
            "intent": {"name": intent, "confidence": 0.91},
            "entities": list(entities),
            "text": text,
            "message_id": message_id,
            "metadata": {},
            "intent_ranking": [{"name": intent, "confidence": 0.91}],
        }
        self.apply([{"event": "user", "timestamp": time.time(), "text": text, "parse_data": self.latest_message,
                     "input_channel": "rest", "message_id": message_id, "metadata": {}}])
        # action_extract_slots: the asked slot takes the text; global entity mappings fill theirs
        extracted = []
        requested = self.slots["requested_slot"]
        if self.active_loop and requested and intent not in IGNORED_INTENTS and from_text(requested):
            extracted.append(slot_event(requested, text))
        extracted += [slot_event("tracking_code", e["value"]) for e in entities if e["entity"] == "tracking_code"]
        self.apply([action_event("action_extract_slots"), *extracted])
        if self.active_loop and await self._form(candidates=[e for e in extracted if e["name"] in FORM_SLOTS]):
            return self.said
        await self._rules(intent)
        return self.said

    async def _rules(self, intent: str) -> None:
        """rules.yml, for the intents these tests use."""
        in_form = self.active_loop == FORM
        if intent == "new_complaint" and not in_form:
            self.apply([action_event("utter_start_report")])
            self.utter(DOMAIN["responses"]["utter_start_report"][0]["text"])
            await self._form(candidates=[], activating=True)
        elif intent == "cancel":
            if in_form:
                await self.run("action_cancel_complaint")
            else:
                self.utter(DOMAIN["responses"]["utter_nothing_to_cancel"][0]["text"])
        elif intent in ("check_status", "my_complaints"):
            await self.run(f"action_{intent}")
            if in_form:  # back to the question
                await self._form(candidates=[], validating=False)
        else:
            self.utter(DOMAIN["responses"]["utter_default"][0]["text"])

    async def _form(self, candidates: list[dict[str, Any]], *, activating: bool = False, validating: bool = True) -> bool:
        """Rasa's FormAction: validate, then ask for the next slot or end the form. False
        when the form rejects the message (nothing for the asked slot)."""
        requested = None if activating else self.slots["requested_slot"]
        extra = [slot_event("requested_slot", requested), action_event(FORM), *candidates]
        reply = await self.post(self.payload(f"validate_{FORM}", extra))  # at activation: no active loop yet
        validated = {e["name"] for e in reply.events if e["event"] == "slot"}
        form_events = reply.events + [c for c in candidates if c["name"] not in validated]
        if validating and requested and not validated - {"requested_slot"} and not candidates:
            return False
        self.apply([action_event(FORM)] + ([{"event": "active_loop", "timestamp": time.time(), "name": FORM}] if activating else []))
        for response in reply.responses:
            self.utter(response["text"], response.get("buttons"))
        self.apply(form_events)
        asked = [e["value"] for e in form_events if e["event"] == "slot" and e["name"] == "requested_slot"]
        done = bool(asked) and asked[-1] is None
        next_slot = None if done else (asked[0] if asked and asked[0] else next((s for s in FORM_SLOTS if self.slots[s] is None), None))
        if next_slot is None:
            self.apply([{"event": "active_loop", "timestamp": time.time(), "name": None}, slot_event("requested_slot", None)])
            await self.run("action_submit_complaint")
            return True
        self.apply([slot_event("requested_slot", next_slot)])
        if f"action_ask_{next_slot}" in DOMAIN["actions"]:
            await self.run(f"action_ask_{next_slot}")
        else:
            response = DOMAIN["responses"][f"utter_ask_{next_slot}"][0]
            self.utter(response["text"], response.get("buttons"))
        return True

    @property
    def last(self) -> str:
        return "\n".join(self.said)

    @property
    def asking(self) -> str | None:
        return self.slots["requested_slot"] if self.active_loop else None


def owner_of(complaint: Complaint) -> Actor:
    """The complainant, as the domain sees them reading their own complaint."""
    return Actor(complaint.owner, Role.COMPLAINANT)


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture
async def action_server(app):
    """The action server in this event loop, on a fixed clock: Monday 23 November 2026, 09:00 WIB."""
    server = ActionServer(action_services(app, Clock(START)))
    host, port = await server.start("127.0.0.1", free_port())
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=30) as http:
        yield http
    await server.stop()


@pytest.fixture
def rasa(action_server) -> Rasa:
    return Rasa(action_server)


async def all_complaints(app) -> list:
    async with app.uow() as uow:
        return await uow.complaints.find(limit=100)


# --- the form --------------------------------------------------------------------------------

async def test_one_rich_message_fills_description_place_date_and_category(rasa: Rasa) -> None:
    await rasa.says(RICH, intent="new_complaint")
    [validation] = [r for r in rasa.replies if "description" in r.slots]
    slots = validation.slots
    assert slots["description"] == RICH
    assert slots["place"]["region_code"] == "35.78.01.1002" and slots["place"]["detail"] == "depan SDN 3 Kebraon"
    assert "Kebraon" in slots["place"]["region_name"]
    assert slots["event_date"] == "2026-11-09"  # "2 minggu" before Monday 23 November
    assert slots["category"] == "jalan"
    assert validation.responses == []  # nothing was refused
    # so the next question is how to report, not what, where or when
    assert rasa.asking == "privacy"
    assert rasa.said == [texts.START_INTAKE, texts.ASK_PRIVACY]
    assert [b["payload"] for b in rasa.buttons] == ["biasa", "rahasia", "anonim"]


async def test_a_vague_opening_asks_what_happened_then_reads_the_answer_whole(rasa: Rasa) -> None:
    await rasa.says("mau lapor min", intent="new_complaint")
    assert rasa.asking == "description" and rasa.said[-1] == texts.ASK_DESCRIPTION
    await rasa.says("??")
    assert rasa.replies[0].slots == {"description": None}
    assert rasa.said == [texts.ASK_DESCRIPTION_AGAIN, texts.ASK_DESCRIPTION]
    await rasa.says("sampah numpuk di depan pasar wonokromo udah 3 hari, hubungi 0812 3456 7890")
    assert rasa.slots["category"] == "sampah" and rasa.slots["event_date"] == "2026-11-20"
    assert rasa.slots["place"]["region_name"].startswith("Wonokromo")
    assert rasa.slots["contact"] == "+6281234567890"
    assert rasa.asking == "privacy"


async def test_bad_answers_are_refused_with_the_reason_and_asked_again(rasa: Rasa) -> None:
    await rasa.says("lampu jalan mati", intent="new_complaint")
    assert rasa.asking == "place"

    await rasa.says("planet mars")
    refused = rasa.replies[0]
    assert refused.slots == {"place": None, "place_tries": 1}
    assert refused.texts == [texts.PLACE_UNKNOWN.format(text="planet mars", scope=" di Kota Surabaya")]
    assert rasa.asking == "place" and rasa.said[-1] == texts.ASK_PLACE
    await rasa.says("gang buntu belakang rumah")  # a second unknown place is taken as written
    assert rasa.slots["place"] == {"detail": "gang buntu belakang rumah", "accepted": True}
    assert rasa.said[0] == texts.PLACE_ACCEPTED_UNRESOLVED

    assert rasa.asking == "event_date"
    await rasa.says("besok")
    assert rasa.replies[0].slots == {"event_date": None}
    assert rasa.replies[0].texts == [texts.DATE_FUTURE]
    assert rasa.replies[0].responses[0]["buttons"] == [{"title": "Tidak ingat", "payload": "tidak ingat"}]
    await rasa.says("qwerty zxcv")
    assert rasa.replies[0].texts == [texts.DATE_UNPARSED] and rasa.asking == "event_date"
    await rasa.says("kemarin malam")
    assert rasa.slots["event_date"] == "2026-11-22"

    assert rasa.asking == "privacy"  # the category came from the first message
    await rasa.says("terserah")
    assert rasa.replies[0].slots == {"privacy": None}
    assert rasa.said == [texts.RASA_PRIVACY_UNCLEAR, texts.ASK_PRIVACY]
    await rasa.says("rahasia")

    await rasa.says("R2D2")
    assert rasa.replies[0].slots == {"name": None} and rasa.said == [texts.NAME_INVALID, texts.ASK_NAME]
    await rasa.says("  Siti   Aminah ")
    assert rasa.slots["name"] == "Siti Aminah"

    await rasa.says("nomor saya rahasia")
    assert rasa.replies[0].slots == {"contact": None}
    assert rasa.said == [texts.CONTACT_INVALID, texts.ASK_CONTACT]
    await rasa.says("x" * 5000)
    assert rasa.replies[0].slots == {"contact": None}
    assert rasa.replies[0].texts == [texts.TOO_LONG.format(limit="4.096")]
    await rasa.says("cukup lewat chat ini")  # the button's payload
    assert rasa.slots["contact"] == "chat"
    assert rasa.asking == "confirm"


async def test_the_domain_buttons_are_answers_the_form_accepts(rasa: Rasa) -> None:
    await rasa.says("jalan rusak parah di kebraon", intent="new_complaint")
    assert rasa.asking == "event_date"
    [unknown] = rasa.buttons
    await rasa.says(unknown["payload"])
    assert rasa.slots["event_date"] == "unknown"
    privacy = {b["title"]: b["payload"] for b in rasa.buttons}
    await rasa.says(privacy["Biasa"])
    assert rasa.slots["privacy"] == PrivacyMode.BIASA
    await rasa.says("Budi")
    await rasa.says(rasa.buttons[0]["payload"])
    assert rasa.slots["contact"] == "chat"
    assert rasa.asking == "confirm"


async def test_the_summary_can_be_changed_before_sending(rasa: Rasa, app) -> None:
    await rasa.says(RICH, intent="new_complaint")
    await rasa.says("anonim")
    summary = rasa.last
    assert summary.startswith(texts.SUMMARY_HEADER) and "Kebraon" in summary and "Anonim" in summary
    assert [b["payload"] for b in rasa.buttons] == ["/affirm", "/edit", "/cancel"]

    await rasa.says("/edit", intent="edit")
    assert rasa.said == [texts.ASK_EDIT_FIELD] and rasa.asking == "confirm"
    assert [b["title"] for b in rasa.buttons] == list(texts.EDIT_FIELD_LABELS.values())
    await rasa.says("place")  # the payload of "Lokasi"
    assert rasa.slots["place"] is None and rasa.asking == "place"
    await rasa.says("kel. wonokromo")
    assert rasa.slots["place"]["region_name"].startswith("Wonokromo")
    assert rasa.asking == "confirm" and "Wonokromo" in rasa.last

    await rasa.says("hmm gimana ya")
    assert rasa.replies[0].texts == [texts.RASA_CONFIRM_UNCLEAR] and rasa.asking == "confirm"
    await rasa.says("tidak", intent="deny")  # not sent after all
    assert rasa.said == [texts.CANCELLED]
    assert all(rasa.slots[name] is None for name in FORM_SLOTS)
    assert await all_complaints(app) == []


# --- filing --------------------------------------------------------------------------------

async def test_an_anonymous_report_skips_name_and_contact_and_is_filed_once(rasa: Rasa, app) -> None:
    await rasa.says("sampah numpuk di depan pasar wonokromo udah 3 hari, hubungi 0812 3456 7890", intent="new_complaint")
    await rasa.says("anonim")
    validation = rasa.replies[0]
    assert validation.slots["privacy"] == "anonim"
    assert validation.slots["contact"] is None and validation.slots["name"] is None  # the number is dropped
    assert validation.slots["requested_slot"] == "confirm"  # dynamic required slots: no name, no contact
    assert "• Nama" not in rasa.last and "• Kontak" not in rasa.last

    await rasa.says("/affirm", intent="affirm")
    [complaint] = await all_complaints(app)
    submit = rasa.replies[-1]
    [receipt] = submit.texts
    unit = app.org.units[complaint.unit_id]
    assert receipt == citizen_render.receipt(app.context().view(owner_of(complaint), complaint), unit, app.org.policy)
    assert complaint.code in receipt and unit.name in receipt and "Batas waktu verifikasi" in receipt
    assert all(submit.slots[name] is None for name in FORM_SLOTS)  # the next report starts afresh
    assert (complaint.channel, complaint.sender) == ("rasa", rasa.sender)
    assert complaint.privacy is PrivacyMode.ANONIM
    assert complaint.complainant.name is None and complaint.complainant.phone is None
    assert complaint.category.value == "sampah" and complaint.status is Status.DITERIMA
    assert complaint.place.region_code == "35.78.04.1001" and complaint.event_date.isoformat() == "2026-11-20"
    assert complaint.created_at == START

    # Rasa posts the same call again (a retry): nothing new is filed, the same receipt comes back
    assert rasa.posted[-1]["next_action"] == "action_submit_complaint"
    again = await rasa.post(rasa.posted[-1])
    assert again.texts == [receipt]
    assert len(await all_complaints(app)) == 1


async def test_a_named_report_keeps_the_contact_and_its_status_is_private(rasa: Rasa, app) -> None:
    await rasa.says(RICH, intent="new_complaint")
    await rasa.says("biasa")
    await rasa.says("Siti Aminah")
    assert rasa.asking == "contact"
    await rasa.says("0812-3456-7890")
    assert rasa.slots["contact"] == "+6281234567890"
    assert "Siti Aminah" in rasa.last and "+6281234567890" in rasa.last
    await rasa.says("kirim")
    [complaint] = await all_complaints(app)
    assert complaint.complainant.name == "Siti Aminah" and complaint.complainant.phone == "+6281234567890"
    assert complaint.weight.value == "berat"  # someone fell: read from the description

    code = complaint.code
    await rasa.says(f"cek {code}", intent="check_status", entities=[{"entity": "tracking_code", "value": code}])
    mine = rasa.last
    assert mine == citizen_render.status_view(app.context().view(owner_of(complaint), complaint), app.org.units[complaint.unit_id])
    assert "Isi: pak jalan" in mine and rasa.slots["tracking_code"] is None

    stranger = Rasa(rasa.http)
    await stranger.says(f"laporan {code.lower()} sudah sampai mana ya", intent="check_status")
    theirs = stranger.last
    assert code in theirs and status_label(Status.DITERIMA) in theirs
    for private in ("Siti", "Aminah", "0812", "6281234567890", "jalan depan", "Isi:"):
        assert private not in theirs


async def test_status_checks_tell_a_typo_from_an_unknown_code(rasa: Rasa) -> None:
    typo = UNISSUED[:-1] + ("A" if UNISSUED[-1] != "A" else "B")  # the check symbol mistyped
    await rasa.says(f"cek {typo}", intent="check_status")
    assert rasa.said == [texts.CODE_PROBLEMS[tracking.CodeProblem.CHECKSUM].format(typed=typo)]
    await rasa.says("status LPR-0KQ3-M9", intent="check_status")
    assert rasa.said == [texts.CODE_PROBLEMS[tracking.CodeProblem.CHARACTER].format(typed="LPR-0KQ3-M9")]
    await rasa.says(f"cek {UNISSUED}", intent="check_status")  # well formed, never issued
    assert rasa.said == [texts.CODE_NOT_FOUND.format(code=UNISSUED)]
    await rasa.says("mau cek laporan", intent="check_status")
    assert rasa.said == [texts.ASK_CODE]
    # a code only Rasa's entity extractor saw, in the text as "yang kemarin itu"
    spoken = UNISSUED.lower().replace("-", " ")
    await rasa.says("yang kemarin itu", intent="check_status", entities=[{"entity": "tracking_code", "value": spoken}])
    assert rasa.said == [texts.CODE_NOT_FOUND.format(code=UNISSUED)]


async def test_a_status_check_in_the_middle_of_a_report_then_the_question_again(rasa: Rasa) -> None:
    await rasa.says(RICH, intent="new_complaint")
    assert rasa.asking == "privacy"
    await rasa.says(f"cek {UNISSUED}", intent="check_status")  # an ignored intent: not an answer
    assert rasa.said == [texts.CODE_NOT_FOUND.format(code=UNISSUED), texts.ASK_PRIVACY]
    assert rasa.slots["privacy"] is None and rasa.asking == "privacy"


async def test_cancel_forgets_the_report(rasa: Rasa, app) -> None:
    await rasa.says("batal", intent="cancel")
    assert rasa.said == [texts.NOTHING_TO_CANCEL]
    await rasa.says(RICH, intent="new_complaint")
    await rasa.says("batal", intent="cancel")  # the form rejects it (an ignored intent), the rule cancels
    rejected, reply = rasa.replies
    assert rejected.slots == {} and rejected.responses == []
    assert reply.texts == [texts.CANCELLED]
    assert {"event": "active_loop", "name": None} in [{k: e[k] for k in ("event", "name")} for e in reply.events]
    assert rasa.active_loop is None and all(rasa.slots[name] is None for name in FORM_SLOTS)
    assert await all_complaints(app) == []


async def test_my_complaints_lists_only_this_senders_reports(rasa: Rasa, app) -> None:
    await rasa.says("laporan saya", intent="my_complaints")
    assert rasa.said == [texts.NO_COMPLAINTS]
    await rasa.says(RICH, intent="new_complaint")
    await rasa.says("anonim")
    await rasa.says("ya")
    [complaint] = await all_complaints(app)
    await rasa.says("laporan saya", intent="my_complaints")
    assert rasa.said == [citizen_render.my_complaints([app.context().view(owner_of(complaint), complaint)], app.tz)]
    other = Rasa(rasa.http)
    await other.says("laporan saya", intent="my_complaints")
    assert other.said == [texts.NO_COMPLAINTS]


async def test_rasa_sdk_answers_for_what_it_cannot_run(action_server: httpx.AsyncClient) -> None:
    assert (await action_server.get("/health")).json() == {"status": "ok"}
    names = {a["name"] for a in (await action_server.get("/actions")).json()}
    assert names == set(DOMAIN["actions"])
    unknown = await action_server.post("/webhook", json=Rasa(action_server).payload("action_launch_rocket"))
    assert unknown.status_code == 404 and unknown.json()["action_name"] == "action_launch_rocket"
    no_domain = Rasa(action_server).payload("action_check_status")
    del no_domain["domain"]
    assert (await action_server.post("/webhook", json=no_domain)).status_code == 449  # Rasa resends with the domain


# --- the command line ------------------------------------------------------------------------

async def test_the_aduan_rasa_actions_command_serves_a_whole_report(database_url, engine, app, tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}
    server = await asyncio.create_subprocess_exec(ADUAN, "rasa-actions", "--port", str(port), env=env, cwd=tmp_path,
                                                  stderr=asyncio.subprocess.PIPE)
    try:
        started = (await asyncio.wait_for(server.stderr.readline(), timeout=60)).decode()
        assert f"http://127.0.0.1:{port}" in started, started
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            assert (await http.get("/health")).json() == {"status": "ok"}
            rasa = Rasa(http)
            await rasa.says(RICH, intent="new_complaint")
            await rasa.says("anonim")
            await rasa.says("/affirm", intent="affirm")
        [complaint] = await all_complaints(app)
        assert complaint.sender == rasa.sender and complaint.code in rasa.last
    finally:
        server.send_signal(signal.SIGINT)
        errors = (await asyncio.wait_for(server.stderr.read(), timeout=30)).decode()
        await asyncio.wait_for(server.wait(), timeout=30)
    assert server.returncode == 0, errors
