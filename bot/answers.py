"""Reading one answer of the intake: what the citizen typed to "what?", "where?", "when?",
"which service?", "your name?", into the draft. The chat (``bot/intake.py``), the free-text
corrections (``bot/corrections.py``) and the Rasa form (``bot/channels/rasa/``) use them."""

from __future__ import annotations

from datetime import date, datetime

from complaints.taxonomy import CategoryOrigin, PrivacyMode
from nlu import Parse, Understanding
from nlu.entities.person import PersonName, read_person

from . import texts
from .buttons import EditField
from .draft import (
    DONT_REMEMBER,
    MAX_PLACE_TRIES,
    PRECISE_LEVELS,
    Draft,
    IntakeConfig,
    NotRemembered,
    OutsidePlace,
    choose_category,
)
from .render.labels import shorten

PRIVACY_WORDS = {"biasa": PrivacyMode.BIASA, "rahasia": PrivacyMode.RAHASIA, "anonim": PrivacyMode.ANONIM}


def valid_description(text: str) -> bool:
    return len(text) >= 3 and any(ch.isalpha() for ch in text)


def read_place(nlu: Understanding, config: IntakeConfig, draft: Draft, text: str, parse: Parse) -> tuple[bool, str | None]:
    """An answer to "where?" into ``draft.place``, counting unknown places in
    ``draft.place_tries``: whether the place is settled now, and what to tell the citizen."""
    place = draft.place
    match = nlu.resolve_place(text)
    if match is None and "," in text:  # "Jl. Gading gang 2, Gading": the kelurahan after the street
        match = next(filter(None, (nlu.resolve_place(part) for part in reversed(text.split(",")[1:]) if part.strip())), None)
    if match is not None and match.level not in PRECISE_LEVELS:  # "Surabaya": the whole city says nothing
        match = None
    detail = parse.entity("place_detail")
    if match is None and not place.done:
        outside = nlu.resolve_outside(text)
        if outside is not None:  # named, but not ours: the citizen decides (Step.OUTSIDE)
            place.outside = OutsidePlace(code=outside.code, name=outside.name, path=outside.path,
                                         regency=outside.regency or outside.name)
            return True, None
    if match is not None:
        place.region_code, place.region_name = match.code, match.path or match.name
        if not place.detail:
            place.detail = str(detail.value) if detail is not None else ""
        return True, None
    if detail is not None and not place.detail:
        place.detail = str(detail.value)
        return True, None
    draft.place_tries += 1
    if draft.place_tries >= MAX_PLACE_TRIES:
        place.detail = ", ".join(p for p in (place.detail, text) if p)
        place.accepted = True
        return True, texts.PLACE_ACCEPTED_UNRESOLVED
    area = texts.PLACE_SCOPE.format(area=config.area_name) if config.area_name else ""
    return False, texts.PLACE_UNKNOWN.format(text=shorten(text, 40), scope=area)


def read_date(
    nlu: Understanding, config: IntakeConfig, text: str, now: datetime
) -> tuple[date | NotRemembered | None, str | None]:
    """An answer to "when?": (a date or NotRemembered, None), or (None, the reply saying why not)."""
    if DONT_REMEMBER.search(text.lower()):
        return NotRemembered.DATE, None
    result = nlu.parse_date(text, now, config.tz)
    if result.problem == "future":
        return None, texts.DATE_FUTURE
    if result.value is None:
        return None, texts.DATE_UNPARSED
    return result.value, None


def read_service(draft: Draft, text: str, parse: Parse) -> None:
    """An answer to "which service?": the agency named, a confident category, or else the
    words themselves as the agency."""
    agency = parse.entity("agency")
    if agency is not None:
        draft.agency = str(agency.value)
    if parse.category is not None and parse.category_certain:
        choose_category(draft, parse.category, CategoryOrigin.CITIZEN)
    if not draft.category and not draft.agency:
        draft.agency = shorten(text, 100)


def read_privacy(text: str) -> PrivacyMode | None:
    words = set(text.lower().split())
    chosen = [mode for word, mode in PRIVACY_WORDS.items() if word in words]
    return chosen[0] if len(chosen) == 1 else None


def read_edit_field(text: str) -> EditField | None:
    """Which part of the draft the citizen wants to change, by its label or its name."""
    lowered = text.lower()
    for part, label in texts.EDIT_FIELD_LABELS.items():
        if label.lower() in lowered or part.value in lowered:
            return part
    return None


def read_person_name(text: str) -> PersonName | None:
    """An answer to "your name?": the name without "nama saya", the title apart."""
    person = read_person(text)
    if person is None or not (2 <= len(person.name) <= 100):
        return None
    return person


def read_name(text: str) -> str | None:
    person = read_person_name(text)
    return person.name if person is not None else None
