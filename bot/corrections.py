"""Corrections typed in free text at any step of the intake: "lokasinya salah, yang benar di
Jl. Ahmad Yani", "bukan, maksud saya lampu bangjo", "tanggalnya tanggal 3". The NLU says
which part and the corrected words (the ``correction`` entity); the part is read again with
the same functions as a first answer, and a changed description is classified afresh."""

from __future__ import annotations

import re

from nlu import Parse, Understanding
from nlu.entities.person import PersonName

from . import texts
from .answers import read_date, read_person_name, read_place, read_service
from .draft import Contributed, Draft, IntakeConfig, PlaceDraft, Step, absorb, remember
from .questions import DATE_BUTTONS, ask, ask_next
from .state import Asking
from .turn import Turn

FIELDS = frozenset({"place", "date", "category", "description"})
NEGATION = re.compile(r"\b(bukan|dudu|salah|keliru|ralat|sepurane|maaf|eh|harusnya|seharusnya)\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(bukan|dudu|salah|keliru)\W*$", re.IGNORECASE)  # just before a value it denies
CUES = {
    "date": re.compile(r"\b(tanggal\w*|tgl|kapan|kejadian\w*|kedadeane|hari\w*|waktu\w*|dino)\b", re.IGNORECASE),
    "place": re.compile(r"\b(lokasi\w*|tempat\w*|alamat\w*|posisi\w*|nggon\w*|panggon\w*)\b", re.IGNORECASE),
}
NAME_CUE = re.compile(r"\bnama\b", re.IGNORECASE)
# what comes before the right name in "nama saya bukan X, tulis saja Y" / "namanya yang benar Y"
NAME_LEAD = re.compile(
    r"^(?:(?:tolong\s+)?(?:tulis(?:kan)?|ganti|ubah|diganti|diubah)(?:\s+(?:saja|aja|jadi|menjadi))*|yang\s+benar|"
    r"harusnya|seharusnya|mestinya|pakai|pake|jadi|menjadi)\s+",
    re.IGNORECASE,
)


def correction_of(parse: Parse) -> tuple[str, str] | None:
    """(part, corrected words) of a correction: as the NLU found it, or read from a date or
    place said together with "bukan", "salah", "dudu", ... ("tanggalnya tanggal 3, bukan
    kemarin", "sepurane, dudu wingi, kedadeane Sabtu"); None if it is none."""
    found = parse.entity("correction")
    value = found.value if found is not None else None
    if isinstance(value, dict):
        part, words = value.get("field"), value.get("text")
        if part in FIELDS and isinstance(words, str) and words.strip():
            return str(part), words.strip()
    text = parse.text
    if NEGATION.search(text) is None:
        return None
    for part, kinds in (("date", ("date",)), ("place", ("place", "place_detail", "place_outside"))):
        said = [e for kind in kinds for e in parse.entities_of(kind)]
        meant = [e for e in said if NEGATED.search(text[max(0, e.start - 12):e.start]) is None]
        if meant and (CUES[part].search(text) is not None or len(said) > 1):
            return part, meant[-1].text
    return None


def apply_correction(nlu: Understanding, config: IntakeConfig, turn: Turn, asking: Asking, parse: Parse) -> None:
    """Change the part the citizen corrected, say so, and go on: the next question still
    open, or the summary again."""
    found = correction_of(parse)
    draft = asking.draft
    if found is None:  # "salah" without saying what: let them choose
        ask(turn, draft, Step.EDIT, config)
        return
    part, words = found
    if part == "place":
        draft.place, draft.place_tries = PlaceDraft(), 0
        done, reply = read_place(nlu, config, draft, words, nlu.parse(words, turn.now))
        if not done:
            turn.say(reply or texts.ASK_PLACE)
            ask(turn, draft, Step.PLACE, config)
            return
    elif part == "date":
        when, problem = read_date(nlu, config, words, turn.now)
        if when is None:
            turn.say(problem or texts.DATE_UNPARSED, DATE_BUTTONS)
            ask(turn, draft, Step.DATE, config)
            return
        draft.event_date = when
    elif part == "category":
        draft.category, draft.agency = None, None
        read_service(draft, words, nlu.parse(words, turn.now))
    else:
        redescribe(nlu, config, turn, draft, words)
    if part in ("place", "date"):  # the message that corrected it is now where the part came from
        remember(draft, turn.msg, Contributed(part), words)
    turn.say(texts.CORRECTED[part])
    ask_next(turn, draft, config)  # what is still missing, or the summary again


def redescribe(nlu: Understanding, config: IntakeConfig, turn: Turn, draft: Draft, words: str) -> None:
    """"Maksud saya lampu bangjo": the correction joins the description, and the category
    is taken from the corrected words when they say enough, else from the whole."""
    note = texts.CORRECTION_NOTE.format(text=words)
    draft.description = " ".join(p for p in (draft.description, note) if p)
    remember(draft, turn.msg, Contributed.DESCRIPTION, note)
    meant = re.split(r",?\s*\b(?:bukan|dudu|salah)\b", words, maxsplit=1, flags=re.IGNORECASE)[0] or words
    corrected = nlu.parse(meant, turn.now)  # "lampu bangjo, bukan lampu jalan": what is meant, not what is not
    whole = nlu.parse(draft.description, turn.now)
    parse = corrected if corrected.category is not None and corrected.category_certain else whole
    draft.category, draft.ranking, draft.agency = None, [], None
    draft.maladministration = None
    absorb(draft, parse, config, describe=False)


def corrected_name(text: str) -> PersonName | None:
    """"nama saya bukan Kucing Oren, tulis saja Maya Anggraeni" at the summary: the name
    after the correction's lead words, or None when the message is not about the name."""
    if NAME_CUE.search(" ".join(text.split()[:3])) is None:
        return None
    for segment in reversed(re.split(r"[,;.]|\btapi\b", text)):
        words = NAME_LEAD.sub("", segment.strip())
        person = read_person_name(words) if words and not re.search(r"\bbukan\b", words, re.IGNORECASE) else None
        if person is not None:
            return person
    return None


# what a message at the summary may say that is not more of the report
NOT_MORE = frozenset({"greeting", "thanks", "goodbye", "deny", "cancel", "help", "check_status", "my_complaints",
                      "question", "emergency"})
MIN_MORE_WORDS = 3  # "oh iya, dekat tiang listrik nomor 12"; "hmm", "terus?" are not


def more_at_summary(turn: Turn, draft: Draft, text: str, parse: Parse) -> bool:
    """Words typed at the summary that are neither send, change nor a correction ("oh iya,
    lubangnya dekat tiang listrik nomor 12"): more of the report, added to its description,
    so nothing the citizen said is lost. The caller shows the summary again."""
    if len(text.split()) < MIN_MORE_WORDS or parse.intent in NOT_MORE:
        return False
    before = (draft.description or "").rstrip()
    draft.description = f"{before}{'' if not before or before[-1] in '.!?' else '.'} {text}".strip()
    remember(draft, turn.msg, Contributed.DESCRIPTION, text)
    turn.say(texts.ADDED_AT_SUMMARY)
    return True
