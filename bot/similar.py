"""Before the summary: the same problem may already be reported. The open cases that are
(complaints.similarity, scored by nlu.similarity) are offered, each with "Dukung laporan
ini", beside "Tetap buat laporan baru"; supporting one asks how the supporter's identity
is kept, then adds them to the case with what they wrote and sent (nothing is lost)."""

from __future__ import annotations

from functools import lru_cache

from complaints.model import Evidence, Supporter
from complaints.similarity import Probe
from complaints.taxonomy import Category, PrivacyMode
from complaints.usecases import supporting
from complaints.visibility import PUBLIC
from nlu.similarity import ComplaintSimilarity

from . import texts
from .answers import read_privacy
from .buttons import ButtonData, Offer, OfferChoice, Privacy, SupportCase
from .draft import Draft, IntakeConfig, Step, choose_privacy
from .questions import ask
from .render.dates import format_day
from .render.labels import category_label, shorten, status_label
from .state import Asking
from .turn import Turn


@lru_cache(maxsize=1)
def scorer() -> ComplaintSimilarity:
    """Built at the first lookup, not when the engine is imported (every command imports it)."""
    return ComplaintSimilarity()


SUPPORT_WORDS = frozenset({"dukung", "mendukung", "dukung laporan ini", "dukung saja", "ikut", "sama", "itu"})
NEW_WORDS = frozenset({"baru", "buat baru", "laporan baru", "tetap buat laporan baru", "tetap baru", "beda",
                       "lain", "bukan", "tidak", "bukan itu", "tetap lapor", "lapor baru"})


def probe_of(turn: Turn, draft: Draft, category: Category) -> Probe:
    place = draft.place
    text = "\n".join(part for part in (draft.description, place.detail) if part)
    return Probe(category, text, turn.owner_id, place.region_code, place.latitude, place.longitude)


async def settle(turn: Turn, config: IntakeConfig) -> None:
    """A draft that reached the summary is first compared with the open cases: when some
    are the same problem, they are offered; otherwise the summary is shown."""
    state = turn.state
    if not isinstance(state, Asking) or state.step is not Step.SIMILAR or state.draft.similar_checked:
        return
    draft = state.draft
    draft.similar_checked = True
    found = []
    if draft.category is not None:
        found = await supporting.similar(turn.uow, probe_of(turn, draft, draft.category), turn.now, scorer())
    if not found:
        ask(turn, draft, Step.CONFIRM, config)
        return
    tz = config.tz
    items = []
    for number, complaint in enumerate(found, 1):
        view = turn.ctx.view(PUBLIC, complaint)  # a stranger's case: what the public may read
        since = format_day(view.created_at, tz)
        if view.description:
            items.append(texts.SIMILAR_ITEM.format(number=number, code=view.code, summary=shorten(view.description, 70),
                                                   status=status_label(view.status), since=since))
        else:
            area = texts.SIMILAR_AREA.format(area=view.region_name.split(",")[0]) if view.region_name else ""
            items.append(texts.SIMILAR_ITEM_NO_TEXT.format(number=number, code=view.code, area=area,
                                                           category=category_label(view.category),
                                                           status=status_label(view.status), since=since))
    draft.similar = [complaint.code for complaint in found]
    draft.similar_offer = texts.SIMILAR_FOUND.format(items="\n".join(items))
    ask(turn, draft, Step.SIMILAR, config)


def answer_button(turn: Turn, asking: Asking, button: ButtonData, config: IntakeConfig) -> bool | None:
    """A button at the offer: True to support now; False when it was answered otherwise;
    None when the button does not answer it (stale)."""
    draft = asking.draft
    match asking.step, button:
        case Step.SIMILAR, SupportCase(code) if code in draft.similar:
            draft.supporting = code
            ask(turn, draft, Step.SUPPORT_PRIVACY, config)
        case Step.SIMILAR, Offer(OfferChoice.NEW):
            ask(turn, draft, Step.CONFIRM, config)
        case Step.SUPPORT_PRIVACY, Privacy(mode):
            choose_privacy(draft, mode)
            return True
        case _:
            return None
    return False


def answer_text(turn: Turn, asking: Asking, text: str, config: IntakeConfig) -> bool:
    """A typed answer to the offer ("dukung", "1", "buat baru") or to the privacy question."""
    draft, word = asking.draft, " ".join(text.lower().split()).strip(".!")
    if asking.step is Step.SUPPORT_PRIVACY:
        mode = read_privacy(text)
        if mode is None:
            ask(turn, draft, Step.SUPPORT_PRIVACY, config)
            return False
        choose_privacy(draft, mode)
        return True
    chosen = None
    if word.isdigit() and 1 <= int(word) <= len(draft.similar):
        chosen = draft.similar[int(word) - 1]
    elif word.upper() in draft.similar:
        chosen = word.upper()
    elif word in SUPPORT_WORDS and len(draft.similar) == 1:
        chosen = draft.similar[0]
    if chosen is not None:
        draft.supporting = chosen
        ask(turn, draft, Step.SUPPORT_PRIVACY, config)
    elif word in NEW_WORDS:
        ask(turn, draft, Step.CONFIRM, config)
    else:
        turn.say(texts.SIMILAR_CHOICE_AGAIN)
        ask(turn, draft, Step.SIMILAR, config)
    return False


async def support(turn: Turn, asking: Asking, config: IntakeConfig) -> bool:
    """Add the citizen to the chosen case; False (and the summary of their own report) when
    it can no longer be supported."""
    draft, code = asking.draft, asking.draft.supporting or ""
    privacy = draft.privacy or PrivacyMode.BIASA
    phone = draft.contact.phone if draft.contact is not None else None
    supporter = Supporter(turn.msg.channel, turn.msg.sender, privacy, turn.now,
                          name=draft.name if privacy is PrivacyMode.BIASA else None, phone=phone)
    words = "\n".join(part for part in (draft.description, draft.place.detail) if part)
    evidence = [Evidence(e.kind, e.ref, e.caption, e.source) for e in draft.evidence]
    try:
        complaint = await supporting.support(turn.ctx, turn.uow, code, supporter, words, evidence, turn.now)
    except supporting.NotOpen:
        turn.say(texts.SUPPORT_NOT_OPEN.format(code=code))
        draft.supporting, draft.similar = None, []
        ask(turn, draft, Step.CONFIRM, config)
        return False
    except supporting.AlreadySupported:
        turn.reset()
        turn.say(texts.SUPPORT_ALREADY.format(code=code))
        return True
    turn.reset()
    turn.say(texts.SUPPORTED.format(code=code, count=len(complaint.supporters) + 1))
    if evidence:
        turn.say(texts.SUPPORTED_WITH_FILES)
    elif words:
        turn.say(texts.SUPPORTED_WITH_WORDS)
    return True
