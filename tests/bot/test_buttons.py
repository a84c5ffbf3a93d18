"""The button codec (bot/buttons.py): every id the bot has ever sent decodes to its typed
value, every value encodes within Telegram's 64 bytes and back, and junk is refused."""

import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import buttons, texts
from bot.buttons import (
    MAX_BYTES,
    CardPhone,
    CaseAction,
    Confirm,
    ConfirmChoice,
    ContactByChat,
    DateUnknown,
    Edit,
    EditField,
    Menu,
    MenuItem,
    Offer,
    OfferChoice,
    OfficerAction,
    Privacy,
    Rate,
    Refusal,
    Refused,
    Resume,
    ResumeChoice,
    Service,
    Skm,
    SupportCase,
    decode,
)
from bot.conversation import EMERGENCY_BUTTONS, QUESTION_BUTTONS, YES_NO
from bot.engine import MENU
from bot.notices import IndonesianNotices
from bot.officers import STATUS_OF
from bot.questions import (
    CANCEL_BUTTONS,
    CONFIRM_BUTTONS,
    CONTACT_BUTTONS,
    DATE_BUTTONS,
    EDIT_BUTTONS,
    NAME_BUTTONS,
    OUTSIDE_BUTTONS,
    PRIVACY_BUTTONS,
    SENSITIVE_BUTTONS,
    SPLIT_BUTTONS,
)
from bot.render.citizen import rating_buttons, skm_buttons
from bot.resume import RESUME_BUTTONS
from complaints import tracking
from complaints.taxonomy import Category, PrivacyMode, Status
from tests.chat_harness import Citizen, Clock

CODE = "LPR-7KQ3-MN"
ROOT = Path(__file__).resolve().parents[2]

# Every id format the bot sent before the codec, as it sent it, and what it means now.
SENT_BEFORE = [
    ("menu:new", Menu(MenuItem.NEW)),
    ("menu:check", Menu(MenuItem.CHECK)),
    ("menu:mine", Menu(MenuItem.MINE)),
    ("menu:help", Menu(MenuItem.HELP)),
    ("resume:continue", Resume(ResumeChoice.CONTINUE)),
    ("resume:restart", Resume(ResumeChoice.RESTART)),
    ("confirm:send", Confirm(ConfirmChoice.SEND)),
    ("confirm:edit", Confirm(ConfirmChoice.EDIT)),
    ("confirm:cancel", Confirm(ConfirmChoice.CANCEL)),
    ("edit:description", Edit(EditField.DESCRIPTION)),
    ("edit:place", Edit(EditField.PLACE)),
    ("edit:date", Edit(EditField.DATE)),
    ("edit:service", Edit(EditField.SERVICE)),
    ("edit:identity", Edit(EditField.IDENTITY)),
    ("date:unknown", DateUnknown()),
    ("contact:chat", ContactByChat()),
    ("privacy:biasa", Privacy(PrivacyMode.BIASA)),
    ("privacy:rahasia", Privacy(PrivacyMode.RAHASIA)),
    ("privacy:anonim", Privacy(PrivacyMode.ANONIM)),
    ("service:jalan", Service(Category.JALAN)),
    ("service:lainnya", Service(Category.LAINNYA)),
    ("service:pelayanan_aparatur", Service(Category.PELAYANAN_APARATUR)),
    (f"rate:{CODE}:puas", Rate(CODE, True)),
    (f"rate:{CODE}:tidak", Rate(CODE, False)),
    *[(f"skm:{CODE}:{n}", Skm(CODE, n)) for n in (1, 2, 3, 4)],
    *[(f"off:{action}:{CODE}", CaseAction(OfficerAction(action), CODE))
      for action in ("verify", "dispose", "progress", "ask", "resolve", "forward", "reject", "take", "show")],
]


@pytest.mark.parametrize(("data", "expected"), SENT_BEFORE, ids=[data for data, _ in SENT_BEFORE])
def test_every_id_sent_before_decodes_to_its_typed_value_and_encodes_the_same(data, expected):
    assert decode(data) == expected
    assert expected.encode() == data


def every_value():
    other = tracking.generate(random.Random(13))  # every code has the same length
    yield from (Menu(item) for item in MenuItem)
    yield from (Resume(choice) for choice in ResumeChoice)
    yield from (Confirm(choice) for choice in ConfirmChoice)
    yield from (Edit(part) for part in EditField)
    yield from (Service(category) for category in Category)
    yield from (Privacy(mode) for mode in PrivacyMode)
    yield from (Offer(choice) for choice in OfferChoice)
    yield DateUnknown()
    yield ContactByChat()
    yield CardPhone("+6281234567890")
    yield CardPhone(None)
    for code in (CODE, other):
        yield Rate(code, True)
        yield Rate(code, False)
        yield from (Skm(code, score) for score in buttons.SKM_SCORES)
        yield from (CaseAction(action, code) for action in OfficerAction)
        yield SupportCase(code)


def test_every_value_fits_telegram_and_comes_back():
    values = list(every_value())
    assert {type(v) for v in values} == set(buttons.KINDS)  # every kind is covered
    for value in values:
        data = value.encode()
        assert len(data.encode("utf-8")) <= MAX_BYTES, data
        assert decode(data) == value


def test_the_buttons_the_bot_sends_are_all_decodable():
    sent = [*MENU, *RESUME_BUTTONS, *CONFIRM_BUTTONS, *CONTACT_BUTTONS, *DATE_BUTTONS, *EDIT_BUTTONS, *PRIVACY_BUTTONS,
            *SENSITIVE_BUTTONS, *NAME_BUTTONS, *CANCEL_BUTTONS, *SPLIT_BUTTONS, *OUTSIDE_BUTTONS, *YES_NO,
            *EMERGENCY_BUTTONS, *QUESTION_BUTTONS, *rating_buttons(CODE), *skm_buttons(CODE),
            *IndonesianNotices().case_buttons(CODE, "verify"), *IndonesianNotices().case_buttons(CODE, "unit")]
    assert all(not isinstance(decode(b.id), Refused) for b in sent)
    assert [b.id for b in rating_buttons(CODE)] == [f"rate:{CODE}:puas", f"rate:{CODE}:tidak"]
    assert [b.label for b in PRIVACY_BUTTONS] == ["Biasa", "Rahasia", "Anonim"]
    assert [b.label for b in CONFIRM_BUTTONS] == ["Kirim", "Kirim rahasia", "Kirim anonim", "Ubah", "Batal"]
    assert [b.id for b in SENSITIVE_BUTTONS][0] == "privacy:rahasia"


def test_officer_actions_are_one_enum_and_their_statuses_one_table():
    # TAKE assigns, SHOW reads, MERGE rejects as a duplicate through its own use case (merging)
    assert set(STATUS_OF) | {OfficerAction.TAKE, OfficerAction.SHOW, OfficerAction.MERGE} == set(OfficerAction)
    assert STATUS_OF[OfficerAction.RESOLVE] is Status.SELESAI
    assert set(texts.OFFICER_ASK_NOTE) <= set(OfficerAction)


@pytest.mark.parametrize(("data", "reason"), [
    ("", Refusal.UNKNOWN),
    ("x" * 500, Refusal.TOO_LONG),
    ("launch:rockets", Refusal.UNKNOWN),
    ("menu", Refusal.MALFORMED),  # truncated
    ("menu:", Refusal.MALFORMED),
    ("menu:new:extra", Refusal.MALFORMED),
    ("menu:NEW", Refusal.MALFORMED),
    ("privacy:bogus", Refusal.MALFORMED),
    ("service:pizza", Refusal.MALFORMED),
    ("date:known", Refusal.MALFORMED),
    ("card:6281234567890", Refusal.MALFORMED),  # a contact card's number without its +
    ("card:+62812", Refusal.MALFORMED),
    ("card:yes", Refusal.MALFORMED),
    ("offer:maybe", Refusal.MALFORMED),
    ("rate:LPR-7KQ3-M", Refusal.MALFORMED),  # cut off
    ("rate:LPR-7KQ3-MN:mungkin", Refusal.MALFORMED),
    ("rate:LPR-7KQ3-MA:puas", Refusal.MALFORMED),  # the check symbol does not match: forged
    ("rate:lpr-7kq3-mn:puas", Refusal.MALFORMED),  # not as the bot writes it
    ("rate::puas", Refusal.MALFORMED),
    ("skm:LPR-7KQ3-MN:5", Refusal.MALFORMED),
    ("skm:LPR-7KQ3-MN:0", Refusal.MALFORMED),
    ("skm:LPR-7KQ3-MN:04", Refusal.MALFORMED),
    ("skm:LPR-7KQ3-MN:⁴", Refusal.MALFORMED),
    ("skm::²", Refusal.MALFORMED),
    ("off:take", Refusal.MALFORMED),
    ("off:fly:LPR-7KQ3-MN", Refusal.MALFORMED),
    ("off:take:LPR-0000-00", Refusal.MALFORMED),
    ("off:take:LPR-7KQ3-MN:x", Refusal.MALFORMED),
    ("confirm:send\x00", Refusal.MALFORMED),
    ("\ud800", Refusal.MALFORMED),
])
def test_junk_is_refused_with_a_reason(data, reason):
    refused = decode(data)
    assert isinstance(refused, Refused) and refused.reason is reason
    assert len(refused.data) <= MAX_BYTES


@given(st.text(max_size=100) | st.from_regex(r"(menu|rate|skm|off|edit|service|privacy|offer):[A-Za-z0-9:\-]{0,30}"))
def test_decode_never_raises_and_what_it_accepts_is_canonical(data):
    value = decode(data)
    if not isinstance(value, Refused):
        assert value.encode() == data


def test_an_id_that_cannot_be_sent_is_a_programming_error():
    with pytest.raises(ValueError):
        Rate("LPR:7KQ3", True).encode()
    with pytest.raises(ValueError):
        CaseAction(OfficerAction.SHOW, "L" * 70).encode()


def test_no_other_module_builds_or_splits_button_ids():
    prefixes = "|".join(kind.prefix for kind in buttons.KINDS)
    building = re.compile(rf"""f?["']({prefixes}):""")
    splitting = re.compile(r"""partition\(["']:["']\)|split\(["']:["']\)""")
    offenders = []
    for folder in ("bot", "aduan", "complaints"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "bot" / "buttons.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                # the domain splits other ids ("console:warga-1"); the chat and the API split none
                if building.search(line) or (folder != "complaints" and splitting.search(line)):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


# --- through the engine: a refused button is answered the same way everywhere -------------------

@pytest.fixture
def clock():
    return Clock()


@pytest.mark.parametrize("data", ["rate:LPR-7KQ3-MA:puas", "skm:LPR-7KQ3-MN:9", "off:take:LPR-7KQ3-MN", "menu:fly",
                                  "x" * 200, "confirm:send"])
async def test_a_refused_or_stale_button_gets_the_same_reply_and_changes_nothing(app, clock, data):
    citizen = Citizen(app, clock)
    assert await citizen.presses(data) == texts.STALE_BUTTON  # idle: the reply, with the menu
    assert citizen.buttons == [b.id for b in MENU] and await citizen.state() == {}
    await citizen.says("sampah numpuk di depan pasar wonokromo")  # no date: the date is asked
    before = await citizen.state()
    assert before["step"] == "date"
    reply = await citizen.presses(data)  # mid-intake: the reply, then the question again
    assert reply.startswith(texts.STALE_BUTTON) and texts.ASK_DATE in reply
    assert await citizen.state() == before


async def test_an_officer_pressing_junk_is_refused_and_nothing_changes(app, clock):
    officer = Citizen(app, clock, sender="admin-pusat")
    for data in ("off:take:LPR-0000-00", "off:fly:LPR-7KQ3-MN", "privacy:anonim", "rate:LPR-7KQ3-MN:puas"):
        assert await officer.presses(data) == texts.STALE_BUTTON
        assert await officer.state() == {}
