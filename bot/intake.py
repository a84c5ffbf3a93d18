"""The intake dialog: take each answer, validate it, and move to what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from complaints.notifications import Button
from complaints.taxonomy import Category, PrivacyMode

from . import texts
from .draft import (
    DONT_REMEMBER,
    MAX_PLACE_TRIES,
    IntakeConfig,
    absorb,
    ask,
    ask_next,
    clear_field,
    is_substantive,
    reprompt,
)
from .turn import Turn

DATE_BUTTONS = (Button("date:unknown", texts.BTN_DATE_UNKNOWN),)
SUBMIT = "submit"
CANCEL = "cancel"
PRIVACY_WORDS = {"biasa": PrivacyMode.BIASA, "rahasia": PrivacyMode.RAHASIA, "anonim": PrivacyMode.ANONIM}
SEND_WORDS = {"kirim", "ya", "iya", "ok", "oke", "benar", "betul", "sudah benar", "sudah"}
EDIT_WORDS = {"ubah", "edit", "ganti", "perbaiki", "koreksi"}


# --- reading one answer (also used by the Rasa form validation, bot/channels/rasa/) ------

def valid_description(text: str) -> bool:
    return len(text) >= 3 and any(ch.isalpha() for ch in text)


def read_place(nlu: Any, config: IntakeConfig, draft: dict[str, Any], text: str, parse: Any) -> tuple[bool, str | None]:
    """An answer to "where?" into ``draft["place"]``, counting unknown places in
    ``draft["place_tries"]``: whether the place is settled now, and what to tell the citizen."""
    place = draft.setdefault("place", {})
    match = nlu.resolve_place(text)
    detail = parse.entity("place_detail")
    if match is not None:
        place.update(region_code=match.code, region_name=match.path or match.name)
        if not place.get("detail"):
            place["detail"] = str(detail.value) if detail is not None else ""
        return True, None
    if detail is not None and not place.get("detail"):
        place["detail"] = str(detail.value)
        return True, None
    tries = draft.get("place_tries", 0) + 1
    draft["place_tries"] = tries
    if tries >= MAX_PLACE_TRIES:
        place["detail"] = ", ".join(p for p in (place.get("detail"), text) if p)
        place["accepted"] = True
        return True, texts.PLACE_ACCEPTED_UNRESOLVED
    area = texts.PLACE_SCOPE.format(area=config.area_name) if config.area_name else ""
    return False, texts.PLACE_UNKNOWN.format(text=texts.shorten(text, 40), scope=area)


def read_date(nlu: Any, config: IntakeConfig, text: str, now: Any) -> tuple[str | None, str | None]:
    """An answer to "when?": (an ISO date or "unknown", None), or (None, the reply saying why not)."""
    if DONT_REMEMBER.search(text.lower()):
        return "unknown", None
    result = nlu.parse_date(text, now, config.tz)
    if result.problem == "future":
        return None, texts.DATE_FUTURE
    if result.value is None:
        return None, texts.DATE_UNPARSED
    return result.value.isoformat(), None


def read_service(draft: dict[str, Any], text: str, parse: Any, config: IntakeConfig) -> None:
    """An answer to "which service?": the agency named, a confident category, or else the
    words themselves as the agency."""
    agency = parse.entity("agency")
    if agency is not None:
        draft["agency"] = str(agency.value)
    if parse.category is not None and parse.category_confidence >= config.category_threshold:
        draft["category"] = parse.category.value
    if not draft.get("category") and not draft.get("agency"):
        draft["agency"] = texts.shorten(text, 100)


def read_privacy(text: str) -> PrivacyMode | None:
    words = set(text.lower().split())
    chosen = [mode for word, mode in PRIVACY_WORDS.items() if word in words]
    return chosen[0] if len(chosen) == 1 else None


def read_edit_field(text: str) -> str | None:
    """Which part of the draft (a key of texts.EDIT_FIELD_LABELS) the citizen wants to change."""
    lowered = text.lower()
    for key, label in texts.EDIT_FIELD_LABELS.items():
        if label.lower() in lowered or key in lowered:
            return key
    return None


def read_name(text: str) -> str | None:
    name = " ".join(text.split())
    if not (2 <= len(name) <= 100) or not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
        return None
    return name


@dataclass
class Intake:
    nlu: Any  # nlu.Understanding
    config: IntakeConfig

    # --- starting ---------------------------------------------------------------------

    def start(self, turn: Turn, parse: Any | None, seed: dict[str, Any] | None = None) -> None:
        """Open a draft, filling it from the first message when that describes a problem
        (and from ``seed``: a photo or a shared location that came first)."""
        turn.state.clear()
        turn.state["mode"] = "intake"
        turn.draft.update(seed or {})
        turn.say(texts.START_INTAKE)
        if parse is not None:
            absorb(turn.draft, parse, self.config, describe=is_substantive(parse))
        ask_next(turn, self.config)

    # --- answers ----------------------------------------------------------------------

    def answer_button(self, turn: Turn, button: str) -> str | None:
        """Handle a pressed button; returns SUBMIT/CANCEL when the engine must act, or
        raises LookupError for a button that does not belong to the current question."""
        step = turn.state.get("step")
        prefix, _, value = button.partition(":")
        draft = turn.draft
        if prefix != step:
            raise LookupError(button)
        if step == "confirm":
            if value == "send":
                return SUBMIT
            if value == "cancel":
                return CANCEL
            if value != "edit":
                raise LookupError(button)
            ask(turn, "edit", self.config)
        elif step == "edit":
            if value not in texts.EDIT_FIELD_LABELS:
                raise LookupError(button)
            clear_field(draft, value)
            ask_next(turn, self.config)
        elif step == "date" and value == "unknown":
            draft["event_date"] = "unknown"
            ask_next(turn, self.config)
        elif step == "service" and value in Category.__members__.values():
            draft["category"] = value
            ask_next(turn, self.config)
        elif step == "privacy" and value in PRIVACY_WORDS:
            self._set_privacy(turn, PRIVACY_WORDS[value])
        elif step == "contact" and value == "chat":
            draft["phone"] = None
            ask_next(turn, self.config)
        else:
            raise LookupError(button)
        return None

    def answer_text(self, turn: Turn, parse: Any) -> str | None:
        step = turn.state.get("step")
        text = turn.text.strip()
        if not text:
            turn.say(texts.EMPTY_MESSAGE)
            reprompt(turn, self.config)
            return None
        handler = getattr(self, f"_answer_{step}", None)
        if handler is None:  # a state from an older version: ask again from what is missing
            ask_next(turn, self.config)
            return None
        return handler(turn, text, parse)

    def _answer_description(self, turn: Turn, text: str, parse: Any) -> None:
        if not valid_description(text):
            turn.say(texts.ASK_DESCRIPTION_AGAIN)
            return
        turn.draft.pop("description", None)
        absorb(turn.draft, parse, self.config, describe=True)
        ask_next(turn, self.config)

    def _answer_place(self, turn: Turn, text: str, parse: Any) -> None:
        done, reply = read_place(self.nlu, self.config, turn.draft, text, parse)
        if reply is not None:
            turn.say(reply)
        if done:
            ask_next(turn, self.config)

    def _answer_date(self, turn: Turn, text: str, parse: Any) -> None:
        value, problem = read_date(self.nlu, self.config, text, turn.now)
        if value is None:
            turn.say(problem or texts.DATE_UNPARSED, DATE_BUTTONS)
            return
        turn.draft["event_date"] = value
        ask_next(turn, self.config)

    def _answer_service(self, turn: Turn, text: str, parse: Any) -> None:
        read_service(turn.draft, text, parse, self.config)
        ask_next(turn, self.config)

    def _answer_privacy(self, turn: Turn, text: str, parse: Any) -> None:
        mode = read_privacy(text)
        if mode is None:
            reprompt(turn, self.config)
            return
        self._set_privacy(turn, mode)

    def _set_privacy(self, turn: Turn, mode: PrivacyMode) -> None:
        turn.draft["privacy"] = mode.value
        if mode is PrivacyMode.ANONIM:
            turn.draft.pop("name", None)
            turn.draft.pop("phone", None)
        ask_next(turn, self.config)

    def _answer_name(self, turn: Turn, text: str, parse: Any) -> None:
        name = read_name(text)
        if name is None:
            turn.say(texts.NAME_INVALID)
            return
        turn.draft["name"] = name
        ask_next(turn, self.config)

    def _answer_contact(self, turn: Turn, text: str, parse: Any) -> None:
        phone = self.nlu.parse_phone(text)
        if phone is None:
            turn.say(texts.CONTACT_INVALID, ())
            ask(turn, "contact", self.config)
            return
        turn.draft["phone"] = phone
        ask_next(turn, self.config)

    def _answer_confirm(self, turn: Turn, text: str, parse: Any) -> str | None:
        word = " ".join(text.lower().split())
        if word in SEND_WORDS or parse.intent == "affirm":
            return SUBMIT
        if word in EDIT_WORDS or parse.intent == "edit":
            ask(turn, "edit", self.config)
            return None
        reprompt(turn, self.config)
        return None

    def _answer_edit(self, turn: Turn, text: str, parse: Any) -> None:
        field = read_edit_field(text)
        if field is None:
            reprompt(turn, self.config)
            return
        clear_field(turn.draft, field)
        ask_next(turn, self.config)

    # --- other kinds of input ----------------------------------------------------------

    def add_location(self, turn: Turn, latitude: float, longitude: float) -> None:
        place = turn.draft.setdefault("place", {})
        place.update(latitude=latitude, longitude=longitude)
        if turn.state.get("step") in (None, "place"):
            ask_next(turn, self.config)
        else:
            reprompt(turn, self.config)

    def add_media(self, turn: Turn, evidence: dict[str, str]) -> None:
        """``evidence``: kind, ref (a path in the media store), caption, source (file id)."""
        turn.draft.setdefault("evidence", []).append(evidence)
        turn.say(texts.MEDIA_SAVED.format(kind=texts.MEDIA_KIND.get(evidence["kind"], "berkas")))
        reprompt(turn, self.config)
