"""A message the citizen edited or deleted after sending it (issue 18).

Every message that fills a part of a draft is noted in it with the channel's id of that
message (``Draft.sources``, :func:`bot.draft.remember`): the words it added to the
description (and the place and date understood from them), the answer to "where?" or
"when?", the name, the phone, a file. Channels without message ids (the console) note
nothing. When the draft is filed, the ids of its messages are kept with the tracking code
(:func:`filed`, ``uow.filed_messages``: a row per message, so whichever worker takes the
edit finds it) for ``KEEP_FOR``, after which the sweep forgets them; a number change moves
them to the new chat (complaints.usecases.identity).

An edit (``Kind.EDIT``, ``text`` the new wording of the message ``ref``):

- of a message of the draft under way (a question waits, or the offer to resume it): its
  part is replaced and understood again as the intake would understand it (the description's
  words replaced and classified afresh, unless the citizen chose the service; a place or
  date read again as an answer, or as a correction when worded as one); the citizen is told,
  then the question that waits is asked again: what is now missing, or the updated summary;
- of a message of a report already filed and still open: added to the case as the
  complainant's correction ("Koreksi dari pelapor: …", ``supplement.add``: the visibility
  policy applies and the unit is told); the citizen is told;
- anything else (a message the bot answered long ago, a greeting, a closed report, a channel
  without ids): nothing changes; the citizen is told once that only new messages are read,
  and the pending question is asked again;
- without any text (a live location moving, a caption removed): nothing, and no reply.

A deletion (``Kind.DELETE``):

- of a message of the draft: what it gave is taken out (its words from the description,
  the place, the date, the name, the phone, the file); the citizen is told, and what is now
  missing is asked (the description again when none is left), or the updated summary;
- of a message of a filed, open report: a note on the case that the complainant deleted one
  of their messages (what it said is not repeated); the report itself stays as filed, and
  the citizen is told so;
- anything else: silence.
"""

from __future__ import annotations

import re
from datetime import datetime

from complaints.model import Complaint
from complaints.sweep import FILED_MESSAGES_KEPT_FOR
from complaints.taxonomy import CategoryOrigin
from complaints.usecases import supplement
from complaints.workflow import OPEN

from . import texts
from .answers import read_date, read_person_name, read_place
from .corrections import correction_of
from .draft import Contact, Contributed, Draft, PlaceDraft, Source, Step, absorb, next_missing
from .intake import Intake
from .questions import ask_next
from .resume import repeat, say_offer
from .state import Asking, ResumeOffered
from .turn import Turn

KEEP_FOR = FILED_MESSAGES_KEPT_FOR  # an edit of a message filed longer ago is not taken
# questions whose answer depends on the whole draft: after a change, what is missing, or the summary
FOLLOWS_DRAFT = frozenset({Step.DESCRIPTION, Step.PLACE, Step.DATE, Step.SERVICE, Step.OUTSIDE, Step.CONFIRM,
                           Step.SIMILAR})


# --- the draft under way ---------------------------------------------------------------------

def _draft(turn: Turn) -> Draft | None:
    state = turn.state
    return state.draft if isinstance(state, Asking | ResumeOffered) else None


async def edited(turn: Turn, intake: Intake) -> None:
    """``turn.text`` is the new wording of the message ``turn.msg.ref``."""
    ref, text = turn.msg.ref, turn.text.strip()
    if not text:
        return
    draft = _draft(turn)
    sources = [s for s in draft.sources if s.ref == ref] if draft is not None and ref is not None else []
    if draft is not None and sources:
        turn.say(texts.EDIT_APPLIED)
        for source in sources:
            _replace(turn, intake, draft, source, text)
        _go_on(turn, intake, draft)
        return
    case = await _filed_case(turn, ref)
    if case is not None:
        note = texts.CORRECTION_FROM_COMPLAINANT.format(text=text)
        await supplement.add(turn.ctx, turn.uow, case, note, [], turn.now)
        turn.say(texts.EDIT_ADDED_TO_CASE.format(code=case.code))
    else:
        turn.say(texts.EDIT_NOT_TAKEN)
    repeat(turn, intake)


async def deleted(turn: Turn, intake: Intake) -> None:
    """The message ``turn.msg.ref`` was deleted by the citizen."""
    ref = turn.msg.ref
    draft = _draft(turn)
    sources = [s for s in draft.sources if s.ref == ref] if draft is not None and ref is not None else []
    if draft is not None and sources:
        for source in sources:
            _remove(intake, turn.now, draft, source)
        draft.sources = [s for s in draft.sources if s.ref != ref]
        turn.say(texts.DELETE_APPLIED)
        _go_on(turn, intake, draft)
        return
    case = await _filed_case(turn, ref)
    if case is None:
        return  # a message that gave nothing to a report: nothing to say
    await supplement.add(turn.ctx, turn.uow, case, texts.DELETION_NOTE, [], turn.now)
    turn.say(texts.DELETE_NOTED_ON_CASE.format(code=case.code))
    repeat(turn, intake)


def _replace(turn: Turn, intake: Intake, draft: Draft, source: Source, text: str) -> None:
    """The new wording of one message, in the part it filled, understood again."""
    nlu, config = intake.nlu, intake.config
    parse = nlu.parse(text, turn.now)
    match source.part:
        case Contributed.DESCRIPTION:
            _set_words(draft, source, text)
            _understand(intake, turn.now, draft, source.ref)
        case Contributed.PLACE if source.text:  # an answer to "where?" (or a correction of it)
            found = correction_of(parse)
            words = found[1] if found is not None and found[0] == "place" else text
            draft.place, draft.place_tries = PlaceDraft(), 0
            done, reply = read_place(nlu, config, draft, words, nlu.parse(words, turn.now))
            source.text = words
            if reply is not None:
                turn.say(reply)
            if not done:
                draft.sources.remove(source)
        case Contributed.DATE if source.text:
            found = correction_of(parse)
            words = found[1] if found is not None and found[0] == "date" else text
            when, problem = read_date(nlu, config, words, turn.now)
            draft.event_date, source.text = when, words
            if when is None:
                turn.say(problem or texts.DATE_UNPARSED)
                draft.sources.remove(source)
        case Contributed.NAME:
            person = read_person_name(text)
            draft.name, draft.title, draft.name_from_profile = (person.name, person.title, False) if person else (
                None, None, False)
            source.text = text
        case Contributed.CONTACT:
            phone = nlu.parse_phone(text)
            draft.contact, source.text = (Contact(phone=phone) if phone else None), text
        case Contributed.EVIDENCE:  # a file's caption
            for evidence in draft.evidence:
                if evidence.ref == source.text:
                    evidence.caption = text
        case _:  # a place or date understood from the description: read again with it (above)
            pass


def _remove(intake: Intake, now: datetime, draft: Draft, source: Source) -> None:
    """What one deleted message gave the draft, taken out."""
    match source.part:
        case Contributed.DESCRIPTION:
            _set_words(draft, source, "")
            _understand(intake, now, draft, None)
        case Contributed.PLACE:
            draft.place, draft.place_tries = PlaceDraft(), 0
            draft.similar_checked, draft.similar, draft.supporting = False, [], None
        case Contributed.DATE:
            draft.event_date, draft.ongoing = None, False
        case Contributed.NAME:
            draft.name, draft.title, draft.name_from_profile = None, None, False
        case Contributed.CONTACT:
            draft.contact = None
        case Contributed.EVIDENCE:
            draft.evidence = [e for e in draft.evidence if e.ref != source.text]


def _set_words(draft: Draft, source: Source, new: str) -> None:
    """The message's words in the description replaced by ``new`` ("": taken out)."""
    description, old = draft.description or "", source.text
    if old and old in description:
        description = description.replace(old, new, 1)
    else:  # not found as it was given (changed since): the new words are added
        description = " ".join(p for p in (description, new) if p)
    description = re.sub(r"[ \t]{2,}", " ", description).strip()
    draft.description, source.text = description or None, new


def _understand(intake: Intake, now: datetime, draft: Draft, ref: str | None) -> None:
    """The changed description classified afresh (the service the citizen chose is kept);
    the place and date the edited message ``ref`` itself said, read again from it."""
    if draft.category_origin is CategoryOrigin.AUTOMATIC:
        draft.category, draft.category_origin = None, None
    draft.ranking, draft.category_confidence, draft.maladministration = [], None, None
    draft.similar_checked, draft.similar, draft.supporting = False, [], None
    said = {s.part for s in draft.sources if s.ref == ref and not s.text and s.part is not Contributed.DESCRIPTION}
    if Contributed.PLACE in said:
        draft.place, draft.place_tries = PlaceDraft(), 0
    if Contributed.DATE in said:
        draft.event_date, draft.ongoing = None, False
    if not draft.description:
        return
    parse = intake.nlu.parse(draft.description, now)
    absorb(draft, parse, intake.config, describe=False)
    draft.category_confidence = parse.category_ranking[0][1] if parse.category_ranking else None


def _go_on(turn: Turn, intake: Intake, draft: Draft) -> None:
    """After a change: what is now missing, or the summary again; another question that
    waits (the name, "really cancel?") is asked again when nothing is missing."""
    state, missing = turn.state, next_missing(draft)
    if isinstance(state, ResumeOffered):
        if missing is not None or state.paused in FOLLOWS_DRAFT:
            state.paused = missing or Step.CONFIRM
        say_offer(turn, state)
    elif isinstance(state, Asking) and (missing is not None or state.step in FOLLOWS_DRAFT):
        ask_next(turn, draft, intake.config)
    else:
        intake.reprompt(turn)


# --- filed reports -----------------------------------------------------------------------------

async def filed(turn: Turn, draft: Draft, code: str) -> None:
    """The draft was filed as ``code``: the ids of its messages are kept with the code, so
    that a later edit or deletion of one reaches the case."""
    refs = sorted({source.ref for source in draft.sources})
    if refs:
        await turn.uow.filed_messages.add(turn.msg.channel, turn.msg.sender, refs, code, turn.now)


async def _filed_case(turn: Turn, ref: str | None) -> Complaint | None:
    """The sender's open case filed from the message ``ref``, if it is one."""
    if ref is None:
        return None
    code = await turn.uow.filed_messages.code_of(turn.msg.channel, turn.msg.sender, ref, turn.now - KEEP_FOR)
    case = await turn.uow.complaints.get(code) if code is not None else None
    if case is None or case.owner != turn.owner_id or case.status not in OPEN:
        return None
    return case
