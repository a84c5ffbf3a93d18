"""Fuzzing with bad input (issue 7, "Security and bad input"): the engine, the JSON-lines
console and the two webhooks never crash, never answer 500, and write nothing for what
they refuse.

- The engine: more than 10,000 generated messages on SQLite (random unicode, zero-width
  and bidi marks inside words, 4,096/4,097/100 KB messages, SQL and HTML fragments, emoji,
  decoded binary, lone surrogates, random button ids, extreme coordinates, media with junk
  references), alone and in the middle of a real intake that must still complete; a
  smaller run on PostgreSQL.
- ``aduan chat --jsonl``: random lines and JSON values through ``parse_line`` and
  ``ConsoleChat.run``.
- The Telegram and WhatsApp webhooks (right secret / valid signature) with malformed bodies.

Hypothesis is derandomized (the same examples on every run) and keeps no example database.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.routing import Route

from aduan.bootstrap import App
from bot import texts
from bot.buttons import OfferChoice
from bot.channels.console import BadLine, ConsoleChat, parse_line
from bot.channels.telegram import MAX_WEBHOOK_BYTES, SECRET_HEADER, TelegramChannel
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp import InMemoryContactWindow, WhatsAppChannel, WhatsAppClient
from bot.channels.whatsapp.common import MAX_WEBHOOK_BODY
from bot.messages import IncomingMessage, Kind, Media, OutgoingMessage
from complaints.taxonomy import Category
from storage.database import create_engine
from storage.migrate import upgrade
from storage.tables import complaints, dialog_states, inbound_updates
from tests.chat_harness import Clock, make_app
from tests.conftest import fresh_database
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, envelope, signed
from tests.fakes.telegram_api import FakeTelegramApi

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one app per test, shared by its examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
# Every reply is Indonesian: it has at least one of these everyday words
INDONESIAN = re.compile(
    r"\b(Anda|anda|kami|saya|yang|dan|atau|tidak|belum|sudah|Maaf|Terima|laporan|Laporan|Silakan|Mohon|"
    r"Baik|Halo|Bagaimana|Di mana|Kapan|Pesan|pesan|tombol|Ketik|ketik|lokasi|kode|Kode)\b"
)

# --- what junk looks like ------------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f"
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = ZERO_WIDTH + BIDI
# Words from real complaints, without the words that answer an intake question
# (biasa/rahasia/anonim, kirim/ya/ok, batal, puas...): junk alone must not file anything.
WORDS = [
    "pak", "bu", "lampu", "jalan", "mati", "sampah", "numpuk", "di", "depan", "pasar", "wonokromo",
    "udh", "seminggu", "tolong", "lapor", "bolong", "air", "PDAM", "kelurahan", "ktp", "pungli",
    "Surabaya", "gg", "5", "rt", "03", "kebraon", "got", "mampet", "banjir", "cek", "LPR-", "halo",
]
SQL = [
    "'; DROP TABLE complaints;--", "1 OR 1=1", "' OR '1'='1", "\" OR \"\"=\"", "1; DELETE FROM dialog_states",
    "UNION SELECT * FROM outbox --", "admin'--", "'); TRUNCATE inbound_updates; --", "%' AND 1=0 UNION SELECT",
    "\\'; SELECT pg_sleep(10); --", "LPR-2345-67' OR 1=1 --", "/**/OR/**/1=1", "${jndi:ldap://x/a}",
]
HTML = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>tebal</b>", "</textarea><svg/onload=1>",
    "&lt;&amp;&#x27;", "javascript:alert(1)", "<a href=\"tg://x\">klik</a>", "*tebal* _miring_ `kode`",
    "<!--", "]]>", "{{7*7}}", "{0}{1}{text}", "%s%s%n", "\\u0000", "[1] [2] [3]",
]
EMOJI = [
    "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇮🇩", "👍🏽", "1️⃣", "🤦🏼‍♂️", "❤️‍🔥", "🧑🏿‍🦯", "🙏", "😡😡😡", "🚧", "💡", "🗑️",
    "\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # tag sequence
]
# Button ids that move an intake forward (or cancel it): junk never presses these ("offer:…":
# cancel or keep a draft, one or two reports, a place outside the area, yes or no to an offer)
PROGRESS_BUTTONS = {
    "date:unknown", "privacy:biasa", "privacy:rahasia", "privacy:anonim", "confirm:send", "confirm:edit",
    "confirm:cancel", "contact:chat", *(f"edit:{key}" for key in texts.EDIT_FIELD_LABELS),
    *(f"service:{c.value}" for c in Category), *(f"offer:{choice.value}" for choice in OfferChoice),
}
BUTTON_PREFIXES = ["rate", "skm", "confirm", "privacy", "edit", "date", "service", "contact", "menu", "resume",
                   "offer", ""]
JUNK_BUTTONS = [
    "rate:LPR-2345-67:puas", "rate::puas", "rate:x:tidak", "rate:LPR-2345-67", "skm:LPR-2222-22:9", "skm::²",
    "skm:LPR-2345-67:٣", "skm:x:99999999999999999999999999", "skm:a:b:c", "skm:LPR-2345-67:-1", "confirm:",
    "confirm:send ", "privacy:ANONIM", "edit:nope", "date:known", "service:nonexistent", "menu:", "menu:new:x",
    "menu:check", "menu:help", "menu:mine", "resume:", "resume:continue", ":", "", " ", "\x00", "a" * 200,
    "rate:\x00:puas", "skm:\ud800:1", "\u202emenu:new", "menu:new\u200b",
]
FLOATS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 90.0000001, -90.5, 180.5, -7.29, 112.71]
JUNK_REFS = [
    "../../../../etc/passwd", "/etc/shadow", "C:\\Windows\\system32\\cmd.exe", "", " ", "\x00", "a\x00b.jpg",
    "/dev/zero", "http://evil.example/x.jpg", "file:///etc/shadow", "x" * 5000, "AgACAgIAAxk" * 30,
    "media/../../secret.pdf", "\u202egpj.exe",
]

utf8_text = st.text(st.characters(codec="utf-8"), max_size=300)  # any category, no surrogates


@st.composite
def invisible_in_words(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    out = []
    for word in words:
        at = draw(st.integers(0, len(word)))
        out.append(word[:at] + draw(st.text(st.sampled_from(INVISIBLE), min_size=1, max_size=3)) + word[at:])
    return draw(st.sampled_from([" ", "\u00a0", "\u3000", "\t", "\n", ""])).join(out)


def _no_surrogates(text: str) -> str:
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


decoded_binary = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),  # C0/C1 controls
    st.binary(max_size=300).map(lambda b: b.decode("cp1252", "replace")),
    # what surrogateescape makes of bad bytes, lone surrogates stripped as a channel would
    st.binary(max_size=300).map(lambda b: _no_surrogates(b.decode("utf-8", "surrogateescape"))),
)
fragments = st.lists(st.sampled_from(SQL + HTML + EMOJI + WORDS), min_size=1, max_size=10).map(" ".join)
emoji_text = st.one_of(
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=30).map("".join),
    st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=50),
)
over_the_limit = st.tuples(st.sampled_from([4097, 5000, 100 * 1024]), st.sampled_from(["a", "lampu mati ", "🙂", "\u200b", "' OR 1=1 "])).map(
    lambda sized: (sized[1] * (sized[0] // len(sized[1]) + 1))[: sized[0]]
)
junk_text = st.one_of(utf8_text, invisible_in_words(), decoded_binary, fragments, emoji_text,
                      st.text(st.sampled_from(INVISIBLE + " \n\t"), max_size=20), over_the_limit)


junk_button = st.one_of(
    st.sampled_from(JUNK_BUTTONS),
    st.text(max_size=140),
    st.tuples(st.sampled_from(BUTTON_PREFIXES), st.text(max_size=40)).map(":".join),
).filter(lambda b: b not in PROGRESS_BUTTONS)
coordinate = st.one_of(st.sampled_from(FLOATS), st.floats())
junk_media = st.builds(
    Media,
    kind=st.one_of(st.sampled_from(["photo", "document", "video", "sticker", ""]), st.text(max_size=10)),
    ref=st.one_of(st.sampled_from(JUNK_REFS), utf8_text),
    caption=st.one_of(st.just(""), junk_text),
    source=st.one_of(st.just(""), st.text(max_size=50)),
)


def junk_message(coordinates: st.SearchStrategy[float] = coordinate) -> st.SearchStrategy[dict[str, Any]]:
    """The fields of one IncomingMessage (all but channel and sender)."""
    return st.one_of(
        junk_text.map(lambda text: {"text": text}),
        junk_button.map(lambda button: {"button": button}),
        st.tuples(coordinates, coordinates).map(lambda loc: {"location": loc}),
        junk_media.map(lambda media: {"media": media}),
    )


lone_surrogates = st.lists(st.one_of(st.characters(categories=["Cs"]), st.sampled_from(WORDS)), min_size=1, max_size=30).map("".join)
surrogate_message = st.one_of(
    lone_surrogates.map(lambda text: {"text": text}),
    lone_surrogates.map(lambda button: {"button": button}),
    st.tuples(lone_surrogates, lone_surrogates).map(lambda rc: {"media": Media("photo", rc[0], rc[1], rc[0])}),
)


# --- the engine, as a citizen drives it ----------------------------------------------------


def check_replies(msg: IncomingMessage, replies: Any) -> None:
    shown = repr(msg)[:300]
    assert isinstance(replies, list) and replies, f"no reply to {shown}"
    for reply in replies:
        assert isinstance(reply, OutgoingMessage), shown
        assert reply.channel == msg.channel and reply.recipient == msg.sender, shown
        assert isinstance(reply.text, str) and reply.text.strip(), shown
        assert reply.text != texts.TRY_AGAIN_LATER, f"an internal error was swallowed for {shown}"
        assert INDONESIAN.search(reply.text), f"not Indonesian: {reply.text[:200]!r} for {shown}"


def strict_json(value: Any) -> str:
    """JSON as PostgreSQL's JSONB takes it: no NaN or Infinity."""
    return json.dumps(value, allow_nan=False)


ENGINE_MESSAGES: dict[str, int] = {}  # test name -> messages the engine handled


class Fuzz:
    """The engine of one app, driven as citizens would; a plain class so that hypothesis
    prints it short in a failing example."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.clock = Clock()
        self.messages = 0
        self.slowest = 0.0
        self.busy = 0.0  # seconds spent in the engine
        self.nonfinite_stored = 0  # dialog states holding a NaN/infinite coordinate (see report)
        self.junk_senders: set[str] = set()
        self._ids = itertools.count()

    def __repr__(self) -> str:  # hypothesis prints the fixtures of a failing example
        return f"Fuzz(messages={self.messages}, busy={self.busy:.1f}s, slowest={self.slowest:.3f}s)"

    def sender(self, kind: str) -> str:
        return f"fuzz-{kind}-{next(self._ids)}"

    async def send(self, sender: str, **fields: Any) -> list[OutgoingMessage]:
        msg = IncomingMessage("console", sender, **fields)
        started = time.perf_counter()
        replies = await self.app.conversation.handle(msg, self.clock())
        self.slowest = max(self.slowest, time.perf_counter() - started)
        self.busy += time.perf_counter() - started
        self.messages += 1
        self.clock.advance(seconds=20)
        check_replies(msg, replies)
        return replies

    async def state(self, sender: str) -> dict[str, Any]:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get("console", sender)
        state = record.state if record else {}
        json.dumps(state)  # what SQLite stores
        place = state.get("draft", {}).get("place", {})
        coords = [place.get("latitude"), place.get("longitude")]
        if any(isinstance(c, float) and not math.isfinite(c) for c in coords):
            self.nonfinite_stored += 1
            place = {k: v for k, v in place.items() if k not in ("latitude", "longitude")}
            state = {**state, "draft": {**state["draft"], "place": place}}
        strict_json(state)
        return state

    async def complaints_by(self, senders: set[str]) -> int:
        async with self.app.uow() as uow:
            conn = uow._conn  # counting rows needs the connection
            stmt = select(func.count()).select_from(complaints).where(complaints.c.sender.in_(senders))
            return (await conn.execute(stmt)).scalar_one()

    async def file_after(self, sender: str, replies: list[OutgoingMessage]) -> str:
        """Answer whatever the intake asks until it files; the tracking code."""
        answers = {
            "description": {"text": "lampu jalan mati di depan rumah sudah seminggu"},
            "place": {"text": "Wonokromo"},
            "date": {"button": "date:unknown"},
            "service": {"button": f"service:{Category.PENERANGAN.value}"},
            "privacy": {"button": "privacy:anonim"},
            "confirm": {"button": "confirm:send"},  # "Kirim": filed, or the name is asked
            "name": {"text": "Budi Santoso"},
            "contact": {"button": "contact:chat"},
            "resume": {"button": "resume:continue"},
            "edit": {"button": "edit:place"},
            "cancel_confirm": {"button": "offer:keep"},
            "split": {"button": "offer:one"},
            "outside": {"button": "offer:place"},
            "similar": {"button": "offer:new"},  # the same lamp reported by another citizen: a report of one's own
            "support_privacy": {"button": "privacy:anonim"},
        }
        receipt = re.compile(re.escape(texts.RECEIPT_CODE.format(code="")) + f"({CODE.pattern})")
        for _ in range(10):  # the receipt's code: a summary may quote one the junk typed into the draft
            found = receipt.search("\n".join(r.text for r in replies))
            if found:
                return found.group(1)
            state = await self.state(sender)
            assert state.get("mode") == "intake", f"the intake was lost: {state}"
            step = state.get("step")
            assert step in answers, f"unexpected step {step!r}"
            replies = await self.send(sender, **answers[step])
        raise AssertionError(f"the intake did not complete: {await self.state(sender)}")


async def migrated_app(backend: str, tmp_path: Path) -> AsyncIterator[App]:
    async with fresh_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            yield await make_app(engine)
        finally:
            await engine.dispose()


@pytest.fixture
async def fuzz(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Fuzz]:
    """The app on SQLite, built once for all the examples of a test."""
    async for app in migrated_app("sqlite", tmp_path):
        harness = Fuzz(app)
        yield harness
        ENGINE_MESSAGES[request.node.name] = harness.messages
        print(f"\n{request.node.name}: {harness!r}, {harness.nonfinite_stored} states stored NaN/Infinity")
        assert await harness.complaints_by(harness.junk_senders) == 0, "junk alone filed a complaint"


@pytest.fixture
async def pg_fuzz(tmp_path: Path) -> AsyncIterator[Fuzz]:
    async for app in migrated_app("postgresql", tmp_path):
        harness = Fuzz(app)
        yield harness
        assert await harness.complaints_by(harness.junk_senders) == 0, "junk alone filed a complaint"


JUNK_BATCH = 14
JUNK_EXAMPLES = 520  # 7,280 messages
MIDWAY_BATCH = 8
MIDWAY_EXAMPLES = 150  # 150 intakes: 1,200 junk messages and about 600 real ones
SURROGATE_EXAMPLES = 100  # 1,000 messages
ENGINE_MINIMUM = 10_000


@settings(FUZZ, max_examples=JUNK_EXAMPLES)
@given(batch=st.lists(junk_message(), min_size=JUNK_BATCH, max_size=JUNK_BATCH))
async def test_junk_never_breaks_the_engine(fuzz: Fuzz, batch: list[dict[str, Any]]) -> None:
    sender = fuzz.sender("junk")
    fuzz.junk_senders.add(sender)
    for fields in batch:
        await fuzz.send(sender, **fields)
    await fuzz.state(sender)


@settings(FUZZ, max_examples=MIDWAY_EXAMPLES)
@given(batch=st.lists(junk_message(), min_size=MIDWAY_BATCH, max_size=MIDWAY_BATCH),
       opening=st.sampled_from([
           "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor",
           "sampah numpuk di depan pasar wonokromo udah 3 hari",
           "mau lapor",
       ]))
async def test_a_citizen_mid_intake_survives_junk_and_still_files(fuzz: Fuzz, batch: list[dict[str, Any]],
                                                                  opening: str) -> None:
    sender = fuzz.sender("intake")
    await fuzz.send(sender, text=opening)
    before = await fuzz.state(sender)
    assert before.get("mode") == "intake"
    for fields in batch:
        await fuzz.send(sender, **fields)
    await fuzz.state(sender)
    replies = await fuzz.send(sender, text="tolong diproses ya pak")  # a real message after the junk
    code = await fuzz.file_after(sender, replies)
    async with fuzz.app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint is not None and complaint.sender == sender
    assert not {"mode", "draft", "step"} & set(await fuzz.state(sender)), "the intake is over"
    assert await fuzz.complaints_by({sender}) == 1


@settings(FUZZ, max_examples=SURROGATE_EXAMPLES)
@given(batch=st.lists(surrogate_message, min_size=10, max_size=10))
async def test_lone_surrogates_given_straight_to_the_engine_do_not_break_it(fuzz: Fuzz,
                                                                            batch: list[dict[str, Any]]) -> None:
    sender = fuzz.sender("surrogate")
    fuzz.junk_senders.add(sender)
    for fields in batch:
        await fuzz.send(sender, **fields)
    await fuzz.state(sender)


LONG_UNITS = ["a", "lampu jalan mati ", "1", "LPR-", "🙂", "👨‍👩‍👧‍👦", "\u200b", " ", "'; DROP TABLE complaints;-- ",
              "<script>x</script>", "\ud800"]


async def test_long_messages_are_answered_quickly(fuzz: Fuzz) -> None:
    too_long = texts.TOO_LONG.format(limit="4.096")
    for size in (4096, 4097, 100 * 1024):
        for unit in LONG_UNITS:
            text = (unit * (size // len(unit) + 1))[:size]
            assert len(text) == size
            sender = fuzz.sender("long")
            fuzz.junk_senders.add(sender)
            for fields in ({"text": text}, {"media": Media("photo", "foto.jpg", text)}):
                started = time.perf_counter()
                replies = await fuzz.send(sender, **fields)
                assert time.perf_counter() - started < 2.0, f"a long message must not stall the bot ({unit!r})"
                assert (replies[0].text == too_long) == (size > 4096), (size, unit)
            await fuzz.state(sender)


@pytest.mark.parametrize("button", ["skm::²", "skm:LPR-2345-67:²", "skm:x:①", "skm:LPR-2345-67:⁴"])
async def test_rating_buttons_with_unicode_digits_are_stale(fuzz: Fuzz, button: str) -> None:
    sender = fuzz.sender("known")
    fuzz.junk_senders.add(sender)
    replies = await fuzz.send(sender, button=button)
    assert replies[0].text == texts.STALE_BUTTON


ENGINE_TESTS = ("test_junk_never_breaks_the_engine", "test_a_citizen_mid_intake_survives_junk_and_still_files",
                "test_lone_surrogates_given_straight_to_the_engine_do_not_break_it",
                "test_long_messages_are_answered_quickly")


def test_the_engine_fuzz_reached_ten_thousand_messages() -> None:
    """Runs after the tests above (file order): counts what the engine really handled."""
    if not all(name in ENGINE_MESSAGES for name in ENGINE_TESTS):
        pytest.skip("only meaningful when the whole file runs")
    assert sum(ENGINE_MESSAGES[name] for name in ENGINE_TESTS) >= ENGINE_MINIMUM, ENGINE_MESSAGES


# --- the same on PostgreSQL (smaller) --------------------------------------------------------


pg_junk = junk_message(coordinate)


@pytest.mark.parametrize("fields", [
    {"location": (math.nan, 112.7)}, {"location": (-7.3, math.inf)},
    {"media": Media("photo", "a\x00.jpg")}, {"media": Media("photo", "\ud800")},
    {"media": Media("photo", "foto.jpg", "", "telegram:\x00")},
    {"button": "rate:\x00:puas"}, {"button": "skm:\ud800:1"},
], ids=["nan", "inf", "ref-nul", "ref-surrogate", "source-nul", "rate-nul", "skm-surrogate"])
async def test_unstorable_input_is_refused_not_crashed_on_postgresql(pg_fuzz: Fuzz, fields: dict[str, Any]) -> None:
    sender = pg_fuzz.sender("known")
    pg_fuzz.junk_senders.add(sender)
    await pg_fuzz.send(sender, **fields)


@settings(FUZZ, max_examples=60)
@given(batch=st.lists(pg_junk, min_size=12, max_size=12))
async def test_junk_never_breaks_the_engine_on_postgresql(pg_fuzz: Fuzz, batch: list[dict[str, Any]]) -> None:
    sender = pg_fuzz.sender("junk")
    pg_fuzz.junk_senders.add(sender)
    for fields in batch:
        await pg_fuzz.send(sender, **fields)
    await pg_fuzz.state(sender)


@settings(FUZZ, max_examples=20)
@given(batch=st.lists(pg_junk, min_size=6, max_size=6))
async def test_mid_intake_junk_on_postgresql(pg_fuzz: Fuzz, batch: list[dict[str, Any]]) -> None:
    sender = pg_fuzz.sender("intake")
    await pg_fuzz.send(sender, text="sampah numpuk di depan pasar wonokromo udah 3 hari")
    for fields in batch:
        await pg_fuzz.send(sender, **fields)
    code = await pg_fuzz.file_after(sender, await pg_fuzz.send(sender, text="tolong diproses"))
    assert await pg_fuzz.complaints_by({sender}) == 1 and CODE.fullmatch(code)


# --- the console's JSON lines ----------------------------------------------------------------

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**1000),
    st.floats(), st.text(max_size=40), st.sampled_from(["from", "text", "button", "location", "photo", "lat"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.sampled_from(["from", "text", "button", "location", "photo",
                                                             "document", "caption", "lat", "lon"]) | st.text(max_size=8),
                                            inner, max_size=6)),
    max_leaves=25,
)
# Objects close to valid lines, with wrong types and values
near_lines = st.fixed_dictionaries(
    {"from": st.one_of(st.text(max_size=80), json_scalars)},
    optional={"text": json_values, "button": json_values, "photo": json_values, "document": json_values,
              "caption": json_values,
              "location": st.one_of(json_values, st.fixed_dictionaries({"lat": json_scalars, "lon": json_scalars}))},
)


def _line(value: Any) -> str:
    return json.dumps(value)  # NaN/Infinity included: json.loads reads them back


raw_lines = st.one_of(
    st.text(max_size=200),
    json_values.map(_line),
    near_lines.map(_line),
    st.integers(1, 50_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 50_000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.integers(4000, 20_000).map(lambda digits: "9" * digits),
    st.integers(4000, 20_000).map(lambda digits: '{"from": "w", "location": {"lat": 1%s, "lon": 1}}' % ("0" * digits)),
    st.sampled_from(['{"from": "w", "location": {"lat": NaN, "lon": Infinity}}', '{"from": "w", "text": "\\ud800"}',
                     '{"from": "\\u0000", "text": "x"}', '{"from": "w", "text": "x", "text": 5}', "\ufeff{}",
                     '{"from": "w", "location": {"lat": 1e999, "lon": -1e999}}', '"\\udfff"']),
)


@settings(FUZZ, max_examples=1000)
@given(line=raw_lines)
def test_parse_line_takes_or_refuses_every_line(line: str) -> None:
    try:
        message = parse_line(line)
    except BadLine as bad:
        assert str(bad).strip()
        return
    assert isinstance(message, IncomingMessage) and message.channel == "console"
    assert message.sender and len(message.sender) <= 64
    assert sum(x is not None for x in (message.text, message.button, message.location, message.media)) == 1
    if message.location is not None:
        lat, lon = message.location
        assert math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


@settings(FUZZ, max_examples=150)
@given(lines=st.lists(raw_lines, min_size=1, max_size=20))
async def test_the_jsonl_loop_survives_every_line(lines: list[str]) -> None:
    out: list[dict[str, Any]] = []
    handled: list[IncomingMessage] = []

    async def handle(msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        handled.append(msg)
        return [OutgoingMessage(msg.channel, msg.sender, "ok")]

    async def relay(now: datetime) -> None:
        return None

    async def feed() -> AsyncIterator[str]:
        for line in lines:
            yield line.replace("\n", " ") + "\n"

    await ConsoleChat(handle, relay, Clock(), out.append).run(feed())
    errors = [line["error"] for line in out if "error" in line]
    number = re.compile(r"^Baris (\d+) diabaikan: \S")
    assert all(number.match(error) for error in errors), errors
    assert {int(number.match(e).group(1)) for e in errors} <= set(range(1, len(lines) + 1))
    assert len(errors) + len(handled) == sum(1 for line in lines if line.replace("\n", " ").strip())


async def test_the_jsonl_loop_with_the_engine_answers_or_explains_every_line(fuzz: Fuzz) -> None:
    lines = [
        '{"from": "warga-j", "text": "sampah numpuk di depan pasar wonokromo udah 3 hari"}', "9" * 5000,
        '{"from": "warga-j", "location": {"lat": 1%s, "lon": 1}}' % ("0" * 400), "[" * 100_000,
        '{"from": "warga-j", "location": {"lat": NaN, "lon": 0}}', '{"from": "warga-j", "text": "\\ud800\\u0000"}',
        '{"from": "warga-j", "photo": "../../etc/passwd", "caption": "<script>"}', "{}", "null", "\x00",
        '{"from": "warga-j", "button": "privacy:anonim"}', '{"from": "warga-j", "text": "laporan saya"}',
    ]
    out: list[dict[str, Any]] = []

    async def feed() -> AsyncIterator[str]:
        for line in lines:
            yield line + "\n"

    async def relay(now: datetime) -> None:
        return None

    await ConsoleChat(fuzz.app.conversation.handle, relay, fuzz.clock, out.append).run(feed())
    errors = [line["error"] for line in out if "error" in line]
    assert [e.split(":")[0] for e in errors] == [f"Baris {n} diabaikan" for n in (2, 3, 4, 5, 8, 9, 10)]
    assert all(texts.TRY_AGAIN_LATER not in line.get("text", "") for line in out)
    assert any(CODE.search(line.get("text", "")) for line in out)


# --- webhooks --------------------------------------------------------------------------------


async def row_counts(app: App) -> tuple[int, int]:
    async with app.uow() as uow:
        conn = uow._conn  # counting rows needs the connection
        dialogs = (await conn.execute(select(func.count()).select_from(dialog_states))).scalar_one()
        inbox = (await conn.execute(select(func.count()).select_from(inbound_updates))).scalar_one()
    return dialogs, inbox


class Hook:
    """A webhook endpoint in front of the engine, counting the messages that reach it."""

    def __init__(self, app: App, secret: str = "") -> None:
        self.app = app
        self.secret = secret
        self.http: httpx.AsyncClient | None = None
        self.reached: list[IncomingMessage] = []
        self.statuses: dict[int, int] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reached={len(self.reached)}, statuses={self.statuses})"

    async def handle(self, msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        self.reached.append(msg)
        replies = await self.app.conversation.handle(msg, now)
        assert all(r.text != texts.TRY_AGAIN_LATER for r in replies), f"internal error for {msg!r:.300}"
        return replies

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """Post; whatever is refused (or dropped before the engine) must write nothing."""
        before, reached = await row_counts(self.app), len(self.reached)
        assert self.http is not None
        response = await self.http.post(path, content=body, headers=headers)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400, 413), (response.status_code, body[:300])
        if response.status_code != 200 or len(self.reached) == reached:
            assert await row_counts(self.app) == before, f"a refused call wrote something: {body[:300]!r}"
        return response


def _client(routes: list[Route]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=Starlette(routes=routes)), base_url="http://aduan.test")


TG_SECRET = "rahasia-webhook-fuzz"
_tg_ids = itertools.count(10_000_000)


@pytest.fixture
async def tg_hook(telegram_api: FakeTelegramApi, tmp_path: Path) -> AsyncIterator[Hook]:
    async for app in migrated_app("sqlite", tmp_path):
        async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
            hook = Hook(app)
            channel = TelegramChannel(hook.handle, bot, tmp_path / "media", 50_000, Clock(), webhook_secret=TG_SECRET)
            async with _client([Route("/tg", channel.webhook, methods=["POST"])]) as http:
                hook.http = http
                yield hook


def tg_valid(kind: str, chat: int = 777) -> dict[str, Any]:
    message = {"message_id": 5, "date": 1795000000, "chat": {"id": chat, "type": "private"},
               "from": {"id": chat, "is_bot": False, "first_name": "W"}}
    if kind == "text":
        return {"update_id": next(_tg_ids), "message": {**message, "text": "halo"}}
    if kind == "location":
        return {"update_id": next(_tg_ids), "message": {**message, "location": {"latitude": -7.3, "longitude": 112.7}}}
    if kind == "photo":
        return {"update_id": next(_tg_ids), "message": {**message, "photo": [{"file_id": "F", "file_size": 10}]}}
    return {"update_id": next(_tg_ids), "callback_query": {"id": "cq", "from": {"id": chat}, "chat_instance": "c",
                                                           "message": {**message, "text": "x"}, "data": "menu:help"}}


TG_PATHS = [
    ("update_id",), ("message",), ("message", "chat"), ("message", "chat", "id"), ("message", "chat", "type"),
    ("message", "text"), ("message", "location"), ("message", "location", "latitude"), ("message", "photo"),
    ("callback_query",), ("callback_query", "data"), ("callback_query", "message"), ("callback_query", "id"),
    ("callback_query", "from"), ("callback_query", "message", "chat", "id"), ("callback_query", "message", "message_id"),
]
REMOVE = object()


def replaced(document: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of the document with the value at path replaced (or removed, or made up)."""
    if not path:
        return value
    if not isinstance(document, dict):
        document = {}
    copy = dict(document)
    inner = replaced(copy.get(path[0]), path[1:], value)
    if inner is REMOVE:
        copy.pop(path[0], None)
    else:
        copy[path[0]] = inner
    return copy


wrong_values = st.one_of(
    st.just(REMOVE), json_scalars, st.lists(json_scalars, max_size=3), st.dictionaries(st.text(max_size=5), json_scalars, max_size=3),
    st.sampled_from(["nan", "inf", "-1e400", "1e308", "", "\u0000", "12345678901234567890123", "private", "group"]),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 10**300, -(10**40), 2**63, True]),
)
tg_bodies = st.one_of(
    st.tuples(st.sampled_from(["text", "location", "photo", "callback"]), st.sampled_from(TG_PATHS), wrong_values)
    .map(lambda t: json.dumps(replaced(tg_valid(t[0]), t[1], t[2])).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["message", "callback_query", "edited_message", "poll"]), json_values, max_size=3)
    .map(lambda d: json.dumps({"update_id": next(_tg_ids), **d}).encode()),
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"\xff\xfe", b"[" * 100_000, b'{"update_id": 1' + b"0" * 5000 + b"}",
                     b'{"update_id": NaN}', b'{"update_id": 1.5}', b'{"update_id": "1"}',
                     b"x" * (MAX_WEBHOOK_BYTES + 1)]),
)


@settings(FUZZ, max_examples=300)
@given(body=tg_bodies)
async def test_the_telegram_webhook_never_fails_on_malformed_updates(tg_hook: Hook, body: bytes) -> None:
    await tg_hook.post("/tg", body, {SECRET_HEADER: TG_SECRET, "Content-Type": "application/json"})


async def test_the_telegram_webhook_with_huge_or_extreme_updates(tg_hook: Hook) -> None:
    headers = {SECRET_HEADER: TG_SECRET}
    huge = tg_valid("text", chat=901)
    huge["message"]["text"] = "lampu mati " * 80_000  # 880 KB: under the body limit, over the text limit
    response = await tg_hook.post("/tg", json.dumps(huge).encode(), headers)
    assert response.status_code == 200 and tg_hook.reached[-1].text.startswith("lampu")
    assert (await tg_hook.post("/tg", b" " * (MAX_WEBHOOK_BYTES + 1), headers)).status_code == 413
    for lat, lon in ((math.nan, 1.0), (math.inf, 1.0), (1e308, -1e308), (91.0, 0.0), (0.0, 180.5)):
        update = tg_valid("location", chat=902)
        update["message"]["location"] = {"latitude": lat, "longitude": lon}
        reached = len(tg_hook.reached)
        assert (await tg_hook.post("/tg", json.dumps(update).encode(), headers)).status_code == 200
        assert len(tg_hook.reached) == reached, f"a location ({lat}, {lon}) reached the engine"


async def test_a_replayed_telegram_update_is_handled_once(tg_hook: Hook, telegram_api: FakeTelegramApi) -> None:
    body = json.dumps(tg_valid("text", chat=903)).encode()
    headers = {SECRET_HEADER: TG_SECRET}
    assert (await tg_hook.post("/tg", body, headers)).status_code == 200
    sent = len(telegram_api.messages_to(903))
    assert sent >= 1
    assert (await tg_hook.post("/tg", body, headers)).status_code == 200
    assert len(telegram_api.messages_to(903)) == sent


WA_PATH = "/wa"


class WaHook(Hook):
    async def signed_post(self, payload: Any) -> httpx.Response:
        body, headers = signed(payload if isinstance(payload, bytes) else json.dumps(payload).encode(), self.secret)
        return await self.post(WA_PATH, body, headers)


@pytest.fixture
async def wa_hook(graph_api: FakeGraphApi, tmp_path: Path) -> AsyncIterator[WaHook]:
    async for app in migrated_app("sqlite", tmp_path):
        async with WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
            hook = WaHook(app, graph_api.app_secret)
            channel = WhatsAppChannel(hook.handle, client, graph_api.verify_token, graph_api.app_secret,
                                      media_dir=tmp_path / "media", max_media_bytes=64 * 1024, clock=Clock(),
                                      window=InMemoryContactWindow())
            async with _client(channel.routes(WA_PATH)) as http:
                hook.http = http
                yield hook


def wa_valid(kind: str) -> dict[str, Any]:
    user = WhatsAppUser("6281234500000")
    return {
        "text": lambda: user.text("halo"),
        "button": lambda: user.button("menu:help"),
        "location": lambda: user.location(-7.3, 112.7),
        "image": lambda: user.image("MEDIA-NONE"),
    }[kind]()


WA_PATHS = [
    ("object",), ("entry",), ("entry", 0), ("entry", 0, "changes"), ("entry", 0, "changes", 0),
    ("entry", 0, "changes", 0, "field"), ("entry", 0, "changes", 0, "value"),
    ("entry", 0, "changes", 0, "value", "metadata"), ("entry", 0, "changes", 0, "value", "contacts"),
    ("entry", 0, "changes", 0, "value", "messages"), ("entry", 0, "changes", 0, "value", "messages", 0),
    *(("entry", 0, "changes", 0, "value", "messages", 0, key)
      for key in ("id", "from", "type", "timestamp", "text", "interactive", "location", "image")),
]


def wa_replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        items = list(document) if isinstance(document, list) else [{}]
        inner = wa_replaced(items[0] if items else {}, rest, value)
        return [] if inner is REMOVE else [inner, *items[1:]]
    return replaced(document, (key,), wa_replaced((document or {}).get(key) if isinstance(document, dict) else {}, rest, value)) \
        if rest else replaced(document, (key,), value)


wa_payloads = st.one_of(
    st.tuples(st.sampled_from(["text", "button", "location", "image"]), st.sampled_from(WA_PATHS), wrong_values)
    .map(lambda t: wa_replaced(wa_valid(t[0]), t[1], t[2])),
    st.tuples(st.sampled_from(["text", "button", "location", "image"]),
              st.sampled_from(["sticker", "video", "audio", "contacts", "order", "reaction", "system", "xyz", "", "unknown"]))
    .map(lambda t: wa_replaced(wa_valid(t[0]), ("entry", 0, "changes", 0, "value", "messages", 0, "type"), t[1])),
    json_values,
    st.dictionaries(st.sampled_from(["object", "entry"]), json_values, max_size=2)
    .map(lambda d: {"object": "whatsapp_business_account", **d}),
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"[" * 100_000, b'{"object": "whatsapp_business_account", "entry": 1' + b"0" * 5000 + b"}"]),
)


@settings(FUZZ, max_examples=300)
@given(payload=wa_payloads)
async def test_the_whatsapp_webhook_never_fails_on_malformed_payloads(wa_hook: WaHook, payload: Any) -> None:
    await wa_hook.signed_post(payload)


async def test_the_whatsapp_webhook_with_huge_or_extreme_payloads(wa_hook: WaHook) -> None:
    user = WhatsAppUser("6281234500001")
    response = await wa_hook.signed_post(user.text("lampu mati " * 80_000))  # 880 KB
    assert response.status_code == 200 and len(wa_hook.reached) == 1
    response = await wa_hook.signed_post(user.text("x" * (MAX_WEBHOOK_BODY + 1)))
    assert response.status_code == 413
    for lat, lon in (("nan", 1.0), (91.0, 0.0), (1e308, 1.0), (0.0, -180.5)):
        await wa_hook.signed_post(user.location(lat, lon))  # type: ignore[arg-type]
    await wa_hook.signed_post(b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
                              b'"value": {"messages": [{"type": "location", "location": {"latitude": NaN, '
                              b'"longitude": Infinity}, "id": "wamid.X", "from": "6281234500001"}]}}]}]}')
    bad = wa_hook.reached[1:]  # each reaches the engine as something it cannot take, never as a place
    assert [(m.kind, m.location) for m in bad] == [(Kind.UNSUPPORTED, None)] * 5, "no bad location reaches the engine"
    payload = envelope({"messages": [{"id": f"wamid.M{i}", "from": "6281234500002", "type": "text",
                                      "text": {"body": f"pesan {i}"}} for i in range(50)]})
    assert (await wa_hook.signed_post(payload)).status_code == 200 and len(wa_hook.reached) == 56


async def test_a_replayed_whatsapp_body_is_handled_once(wa_hook: WaHook, graph_api: FakeGraphApi) -> None:
    payload = WhatsAppUser("6281234500003").text("mau lapor lampu jalan mati")
    assert (await wa_hook.signed_post(payload)).status_code == 200
    sent = len(graph_api.sent)
    assert sent >= 1
    rows = await row_counts(wa_hook.app)
    assert (await wa_hook.signed_post(payload)).status_code == 200
    assert len(graph_api.sent) == sent and await row_counts(wa_hook.app) == rows
