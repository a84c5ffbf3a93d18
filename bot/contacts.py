"""A contact card the citizen sends.

At the contact question (Step.CONTACT) the card's number may become the reporter's phone,
once the citizen confirms it: "Gunakan nomor +62 812-3456-7890 …?" with "Ya, gunakan" and
"Tidak" (``CardPhone`` buttons; the number travels in the "Ya" button only, nothing is
stored until it is pressed, and it is read as a typed number would be). Anywhere else, or
a card without a usable number: said plainly (the card is not taken, nothing of it is
kept) and the question that waits is asked again.
"""

from __future__ import annotations

from . import texts
from .buttons import CardPhone
from .draft import Step
from .intake import Intake
from .resume import repeat
from .state import Asking
from .turn import Turn


def readable(phone: str) -> str:
    """An E.164 number as people write it: "+62 812-3456-7890" (others as they are)."""
    if not phone.startswith("+62") or len(phone) < 11:
        return phone
    national = phone[3:]
    return f"+62 {national[:3]}-{national[3:7]}-{national[7:]}"


def card(turn: Turn, intake: Intake) -> None:
    """``turn.msg.contact_phone``: the card's number (E.164), if it has one."""
    asking = turn.state if isinstance(turn.state, Asking) else None
    raw = turn.msg.contact_phone
    phone = intake.nlu.parse_phone(raw) if raw else None
    if asking is None or asking.step is not Step.CONTACT or phone is None:
        turn.say(texts.CONTACT_CARD_REFUSED)
        repeat(turn, intake)
        return
    turn.say(texts.ASK_CARD_PHONE.format(phone=readable(phone)), (
        CardPhone(phone).button(texts.BTN_CARD_PHONE_YES), CardPhone(None).button(texts.BTN_CARD_PHONE_NO)))
