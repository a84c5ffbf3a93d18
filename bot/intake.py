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
        if len(text) < 3 or not any(ch.isalpha() for ch in text):
            turn.say(texts.ASK_DESCRIPTION_AGAIN)
            return
        turn.draft.pop("description", None)
        absorb(turn.draft, parse, self.config, describe=True)
        ask_next(turn, self.config)

    def _answer_place(self, turn: Turn, text: str, parse: Any) -> None:
        place = turn.draft.setdefault("place", {})
        match = self.nlu.resolve_place(text)
        detail = parse.entity("place_detail")
        if match is not None:
            place.update(region_code=match.code, region_name=match.path or match.name)
            if not place.get("detail"):
                place["detail"] = str(detail.value) if detail is not None else ""
            ask_next(turn, self.config)
            return
        if detail is not None and not place.get("detail"):
            place["detail"] = str(detail.value)
            ask_next(turn, self.config)
            return
        tries = turn.draft.get("place_tries", 0) + 1
        turn.draft["place_tries"] = tries
        if tries >= MAX_PLACE_TRIES:
            place["detail"] = ", ".join(p for p in (place.get("detail"), text) if p)
            place["accepted"] = True
            turn.say(texts.PLACE_ACCEPTED_UNRESOLVED)
            ask_next(turn, self.config)
            return
        area = texts.PLACE_SCOPE.format(area=self.config.area_name) if self.config.area_name else ""
        turn.say(texts.PLACE_UNKNOWN.format(text=texts.shorten(text, 40), scope=area))

    def _answer_date(self, turn: Turn, text: str, parse: Any) -> None:
        if DONT_REMEMBER.search(text.lower()):
            turn.draft["event_date"] = "unknown"
            ask_next(turn, self.config)
            return
        result = self.nlu.parse_date(text, turn.now, self.config.tz)
        if result.problem == "future":
            turn.say(texts.DATE_FUTURE, DATE_BUTTONS)
        elif result.value is None:
            turn.say(texts.DATE_UNPARSED, DATE_BUTTONS)
        else:
            turn.draft["event_date"] = result.value.isoformat()
            ask_next(turn, self.config)

    def _answer_service(self, turn: Turn, text: str, parse: Any) -> None:
        draft = turn.draft
        agency = parse.entity("agency")
        if agency is not None:
            draft["agency"] = str(agency.value)
        if parse.category is not None and parse.category_confidence >= self.config.category_threshold:
            draft["category"] = parse.category.value
        if not draft.get("category") and not draft.get("agency"):
            draft["agency"] = texts.shorten(text, 100)
        ask_next(turn, self.config)

    def _answer_privacy(self, turn: Turn, text: str, parse: Any) -> None:
        words = set(text.lower().split())
        chosen = [mode for word, mode in PRIVACY_WORDS.items() if word in words]
        if len(chosen) != 1:
            reprompt(turn, self.config)
            return
        self._set_privacy(turn, chosen[0])

    def _set_privacy(self, turn: Turn, mode: PrivacyMode) -> None:
        turn.draft["privacy"] = mode.value
        if mode is PrivacyMode.ANONIM:
            turn.draft.pop("name", None)
            turn.draft.pop("phone", None)
        ask_next(turn, self.config)

    def _answer_name(self, turn: Turn, text: str, parse: Any) -> None:
        name = " ".join(text.split())
        if not (2 <= len(name) <= 100) or not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
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
        lowered = text.lower()
        for key, label in texts.EDIT_FIELD_LABELS.items():
            if label.lower() in lowered or key in lowered:
                clear_field(turn.draft, key)
                ask_next(turn, self.config)
                return
        reprompt(turn, self.config)

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
