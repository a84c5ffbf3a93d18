"""The conversation around the intake: greetings returned in kind, goodbyes, emergencies
(the numbers first), questions answered from the organisation's FAQ, and the offers that
follow them ("Apakah Anda ingin membuat laporan?")."""

from __future__ import annotations

from collections.abc import Sequence

from complaints.notifications import Button
from complaints.org import EmergencyNumbers
from nlu import Parse, Understanding

from . import texts
from .buttons import Offer, OfferChoice
from .state import Offered, OfferKind
from .turn import Turn

YES_NO = (Offer(OfferChoice.YES).button(texts.BTN_YES_REPORT), Offer(OfferChoice.NO).button(texts.BTN_NO))
EMERGENCY_BUTTONS = (Offer(OfferChoice.YES).button(texts.BTN_EMERGENCY_REPORT), Offer(OfferChoice.NO).button(texts.BTN_NO))
QUESTION_BUTTONS = (Offer(OfferChoice.YES).button(texts.BTN_ASK_OFFICER), Offer(OfferChoice.NO).button(texts.BTN_NO))
# which national line fits which emergency, besides 112
EMERGENCY_LINES: dict[str, tuple[str, ...]] = {
    "fire": ("fire",),
    "flood_trapped": ("fire", "ambulance"),
    "drowning": ("fire", "ambulance"),
    "collapse": ("fire", "ambulance"),
    "live_cable": ("fire",),
    "accident_injured": ("ambulance", "police"),
    "unconscious": ("ambulance",),
    "violence": ("police", "ambulance"),
}


def salam(turn: Turn, parse: Parse) -> str:
    """The greeting returned in kind ("Waalaikumsalam…", "Mangga."), or "" for none."""
    found = parse.entity("salam")
    return texts.SALAM_REPLIES.get(str(found.value), "") if found is not None else ""


def return_salam(turn: Turn, parse: Parse) -> None:
    """A salam that opens a longer message, returned before the answer ("halo" needs none)."""
    found = parse.entity("salam")
    if found is not None and str(found.value) != "halo" and str(found.value) in texts.SALAM_REPLIES:
        turn.say(texts.SALAM_REPLIES[str(found.value)])


def greet(turn: Turn, parse: Parse, menu: Sequence[Button]) -> None:
    """A salam returned in kind, then what the bot can do ("halo", "P", an emoji: the
    welcome, which starts with a hello of its own)."""
    found = parse.entity("salam")
    kind = str(found.value) if found is not None else "halo"
    if kind == "halo" or kind not in texts.SALAM_REPLIES:
        turn.say(texts.GREETING, menu)
    else:
        turn.say("\n".join((texts.SALAM_REPLIES[kind], texts.GREETING_SHORT)), menu)


def emergency_numbers(numbers: EmergencyNumbers, kind: str | None) -> str:
    """The lines to call, the fitting ones first, then the city's own."""
    keys = [*EMERGENCY_LINES.get(kind or "", ()), "general"]
    for other in ("fire", "police", "ambulance"):
        if other not in keys:
            keys.append(other)
    lines = [texts.EMERGENCY_HEADER]
    lines += [texts.EMERGENCY_LINE.format(label=texts.EMERGENCY_LABELS[k], number=getattr(numbers, k)) for k in keys]
    lines += [texts.EMERGENCY_LINE.format(label=label, number=number) for label, number in numbers.local]
    return "\n".join(lines)


def emergency(turn: Turn, parse: Parse, *, offer: bool) -> None:
    """Lives at risk: the numbers at once; then (outside a draft) the offer to report it."""
    found = parse.entity("emergency")
    numbers = emergency_numbers(turn.ctx.org.emergency, str(found.value) if found is not None else None)
    if not offer:
        turn.say(numbers)
        return
    turn.state = Offered(kind=OfferKind.EMERGENCY, pending_text=turn.text)
    turn.say("\n".join((numbers, texts.EMERGENCY_FOOTER)), EMERGENCY_BUTTONS)


def answer_question(turn: Turn, nlu: Understanding, *, offer: bool, strict: bool = False) -> bool:
    """A question answered from the FAQ; otherwise (outside a draft) the offer to send it to
    an officer as a permintaan informasi. False when there was nothing to say. ``strict``:
    a message that may as well be a complaint is answered only on a clear match."""
    entry = nlu.match_faq(turn.text, turn.ctx.org.faq, strict=strict)
    if entry is not None:
        turn.say("\n\n".join((entry.answer, texts.FAQ_ANSWER_FOOTER)) if offer else entry.answer)
        return True
    if not offer:
        return False
    turn.state = Offered(kind=OfferKind.QUESTION, pending_text=turn.text)
    turn.say(texts.QUESTION_UNKNOWN, QUESTION_BUTTONS)
    return True


def offer_report(turn: Turn) -> None:
    """Unsure whether this is a complaint: ask rather than leave the citizen at a dead end."""
    turn.state = Offered(kind=OfferKind.REPORT, pending_text=turn.text)
    turn.say(texts.ASK_WANT_REPORT, YES_NO)
