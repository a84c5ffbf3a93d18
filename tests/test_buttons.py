"""The button codec (bot/buttons.py): every id the bot has ever sent decodes to its typed
value, every value encodes within Telegram's 64 bytes and back, and junk is refused."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import buttons
from bot.buttons import (
    MAX_BYTES,
    CaseAction,
    Confirm,
    ConfirmChoice,
    ContactByChat,
    DateUnknown,
    Edit,
    EditField,
    Menu,
    MenuItem,
    OfficerAction,
    Privacy,
    Rate,
    Refusal,
    Refused,
    Resume,
    ResumeChoice,
    Service,
    Skm,
    decode,
)
from complaints import tracking
from complaints.taxonomy import Category, PrivacyMode

CODE = "LPR-7KQ3-MN"

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
    yield DateUnknown()
    yield ContactByChat()
    for code in (CODE, other):
        yield Rate(code, True)
        yield Rate(code, False)
        yield from (Skm(code, score) for score in buttons.SKM_SCORES)
        yield from (CaseAction(action, code) for action in OfficerAction)


def test_every_value_fits_telegram_and_comes_back():
    values = list(every_value())
    assert {type(v) for v in values} == set(buttons.KINDS)  # every kind is covered
    for value in values:
        data = value.encode()
        assert len(data.encode("utf-8")) <= MAX_BYTES, data
        assert decode(data) == value


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


@given(st.text(max_size=100) | st.from_regex(r"(menu|rate|skm|off|edit|service|privacy):[A-Za-z0-9:\-]{0,30}"))
def test_decode_never_raises_and_what_it_accepts_is_canonical(data):
    value = decode(data)
    if not isinstance(value, Refused):
        assert value.encode() == data


def test_an_id_that_cannot_be_sent_is_a_programming_error():
    with pytest.raises(ValueError):
        Rate("LPR:7KQ3", True).encode()
    with pytest.raises(ValueError):
        CaseAction(OfficerAction.SHOW, "L" * 70).encode()
