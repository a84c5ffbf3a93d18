"""The intake dialog: ask for what is missing, take each answer, validate it, move on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from complaints.notifications import Button
from complaints.taxonomy import Category, PrivacyMode
from nlu import Parse, Understanding

from . import texts
from .buttons import (
    ButtonData,
    Confirm,
    ConfirmChoice,
    ContactByChat,
    DateUnknown,
    Edit,
    EditField,
    Privacy,
    Service,
)
from .draft import (
    DONT_REMEMBER,
    MAX_PLACE_TRIES,
    Contact,
    Draft,
    EvidenceDraft,
    IntakeConfig,
    NotRemembered,
    Step,
    absorb,
    choose_privacy,
    clear_field,
    is_substantive,
    next_missing,
)
from .render.citizen import summary
from .render.labels import category_label, shorten
from .state import Asking
from .turn import Turn

DATE_BUTTONS = (DateUnknown().button(texts.BTN_DATE_UNKNOWN),)
CONFIRM_BUTTONS = (
    Confirm(ConfirmChoice.SEND).button(texts.BTN_SEND),
    Confirm(ConfirmChoice.EDIT).button(texts.BTN_EDIT),
    Confirm(ConfirmChoice.CANCEL).button(texts.BTN_CANCEL),
)
CONTACT_BUTTONS = (ContactByChat().button(texts.BTN_CHAT_CONTACT),)
PRIVACY_BUTTONS = tuple(Privacy(mode).button(label) for mode, label in texts.PRIVACY_BUTTONS.items())
EDIT_BUTTONS = tuple(Edit(part).button(label) for part, label in texts.EDIT_FIELD_LABELS.items())
SERVICE_CHOICES = 3  # the likeliest categories offered as buttons, besides "Lainnya"
PRIVACY_WORDS = {"biasa": PrivacyMode.BIASA, "rahasia": PrivacyMode.RAHASIA, "anonim": PrivacyMode.ANONIM}
SEND_WORDS = {"kirim", "ya", "iya", "ok", "oke", "benar", "betul", "sudah benar", "sudah"}
EDIT_WORDS = {"ubah", "edit", "ganti", "perbaiki", "koreksi"}


class Outcome(Enum):
    """What an answer asks the engine to do beyond the next question."""

    SUBMIT = "submit"
    CANCEL = "cancel"
    STALE = "stale"  # a button that does not answer the question asked


# --- reading one answer (also used by the Rasa form validation, bot/channels/rasa/) ------

def valid_description(text: str) -> bool:
    return len(text) >= 3 and any(ch.isalpha() for ch in text)


def read_place(nlu: Understanding, config: IntakeConfig, draft: Draft, text: str, parse: Parse) -> tuple[bool, str | None]:
    """An answer to "where?" into ``draft.place``, counting unknown places in
    ``draft.place_tries``: whether the place is settled now, and what to tell the citizen."""
    place = draft.place
    match = nlu.resolve_place(text)
    detail = parse.entity("place_detail")
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


def read_service(draft: Draft, text: str, parse: Parse, config: IntakeConfig) -> None:
    """An answer to "which service?": the agency named, a confident category, or else the
    words themselves as the agency."""
    agency = parse.entity("agency")
    if agency is not None:
        draft.agency = str(agency.value)
    if parse.category is not None and parse.category_confidence >= config.category_threshold:
        draft.category = parse.category
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


def read_name(text: str) -> str | None:
    name = " ".join(text.split())
    if not (2 <= len(name) <= 100) or not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
        return None
    return name


# --- asking ------------------------------------------------------------------------------

def service_buttons(draft: Draft) -> list[Button]:
    """The likeliest categories the NLU found, and "Lainnya"; none when it found none."""
    ranking = [c for c in draft.ranking if c is not Category.LAINNYA][:SERVICE_CHOICES]
    if not ranking:
        return []
    return [*(Service(c).button(category_label(c)) for c in ranking),
            Service(Category.LAINNYA).button(texts.BTN_OTHER_CATEGORY)]


def ask(turn: Turn, draft: Draft, step: Step, config: IntakeConfig) -> None:
    """Ask for ``step`` (the summary for CONFIRM) and wait for its answer."""
    if isinstance(turn.state, Asking) and turn.state.draft is draft:
        turn.state.step = step
    else:
        turn.state = Asking(step=step, draft=draft)
    match step:
        case Step.CONFIRM:
            turn.say(summary(draft), CONFIRM_BUTTONS)
        case Step.DESCRIPTION:
            turn.say(texts.ASK_DESCRIPTION)
        case Step.PLACE:
            detail = draft.place.detail
            turn.say(texts.ASK_PLACE_REGION.format(detail=detail) if detail else texts.ASK_PLACE)
        case Step.DATE:
            turn.say(texts.ASK_DATE, DATE_BUTTONS)
        case Step.SERVICE:
            choices = service_buttons(draft)
            turn.say(texts.ASK_SERVICE_CHOICES if choices else texts.ASK_SERVICE, choices)
        case Step.PRIVACY:
            turn.say(texts.ASK_PRIVACY, PRIVACY_BUTTONS)
        case Step.NAME:
            turn.say(texts.ASK_NAME)
        case Step.CONTACT:
            turn.say(texts.ASK_CONTACT, CONTACT_BUTTONS)
        case Step.EDIT:
            turn.say(texts.ASK_EDIT_FIELD, EDIT_BUTTONS)


def ask_next(turn: Turn, draft: Draft, config: IntakeConfig) -> None:
    ask(turn, draft, next_missing(draft) or Step.CONFIRM, config)


@dataclass
class Intake:
    nlu: Understanding
    config: IntakeConfig

    # --- starting ---------------------------------------------------------------------

    def start(self, turn: Turn, parse: Parse | None, draft: Draft | None = None) -> None:
        """Open a draft, filling it from the first message when that describes a problem
        (``draft``: one holding a photo or a shared location that came first)."""
        draft = draft or Draft()
        turn.say(texts.START_INTAKE)
        if parse is not None:
            absorb(draft, parse, self.config, describe=is_substantive(parse))
        ask_next(turn, draft, self.config)

    def reprompt(self, turn: Turn) -> None:
        """The question again, when one waits."""
        if isinstance(turn.state, Asking):
            ask(turn, turn.state.draft, turn.state.step, self.config)

    # --- answers ----------------------------------------------------------------------

    def answer_button(self, turn: Turn, asking: Asking, button: ButtonData) -> Outcome | None:
        """A pressed button: an answer to the question asked, or STALE."""
        draft = asking.draft
        match asking.step, button:
            case Step.CONFIRM, Confirm(ConfirmChoice.SEND):
                return Outcome.SUBMIT
            case Step.CONFIRM, Confirm(ConfirmChoice.CANCEL):
                return Outcome.CANCEL
            case Step.CONFIRM, Confirm(ConfirmChoice.EDIT):
                ask(turn, draft, Step.EDIT, self.config)
            case Step.EDIT, Edit(part):
                clear_field(draft, part)
                ask_next(turn, draft, self.config)
            case Step.DATE, DateUnknown():
                draft.event_date = NotRemembered.DATE
                ask_next(turn, draft, self.config)
            case Step.SERVICE, Service(category):
                draft.category = category
                ask_next(turn, draft, self.config)
            case Step.PRIVACY, Privacy(mode):
                choose_privacy(draft, mode)
                ask_next(turn, draft, self.config)
            case Step.CONTACT, ContactByChat():
                draft.contact = Contact(phone=None)
                ask_next(turn, draft, self.config)
            case _:
                return Outcome.STALE
        return None

    def answer_text(self, turn: Turn, asking: Asking, parse: Parse) -> Outcome | None:
        text = turn.text.strip()
        if not text:
            turn.say(texts.EMPTY_MESSAGE)
            self.reprompt(turn)
            return None
        draft = asking.draft
        match asking.step:
            case Step.DESCRIPTION:
                self._description(turn, draft, text, parse)
            case Step.PLACE:
                done, reply = read_place(self.nlu, self.config, draft, text, parse)
                if reply is not None:
                    turn.say(reply)
                if done:
                    ask_next(turn, draft, self.config)
            case Step.DATE:
                when, problem = read_date(self.nlu, self.config, text, turn.now)
                if when is None:
                    turn.say(problem or texts.DATE_UNPARSED, DATE_BUTTONS)
                    return None
                draft.event_date = when
                ask_next(turn, draft, self.config)
            case Step.SERVICE:
                read_service(draft, text, parse, self.config)
                ask_next(turn, draft, self.config)
            case Step.PRIVACY:
                mode = read_privacy(text)
                if mode is None:
                    self.reprompt(turn)
                    return None
                choose_privacy(draft, mode)
                ask_next(turn, draft, self.config)
            case Step.NAME:
                name = read_name(text)
                if name is None:
                    turn.say(texts.NAME_INVALID)
                    return None
                draft.name = name
                ask_next(turn, draft, self.config)
            case Step.CONTACT:
                phone = self.nlu.parse_phone(text)
                if phone is None:
                    turn.say(texts.CONTACT_INVALID)
                    ask(turn, draft, Step.CONTACT, self.config)
                    return None
                draft.contact = Contact(phone=phone)
                ask_next(turn, draft, self.config)
            case Step.CONFIRM:
                return self._confirm(turn, draft, text, parse)
            case Step.EDIT:
                part = read_edit_field(text)
                if part is None:
                    self.reprompt(turn)
                    return None
                clear_field(draft, part)
                ask_next(turn, draft, self.config)
        return None

    def _description(self, turn: Turn, draft: Draft, text: str, parse: Parse) -> None:
        if not valid_description(text):
            turn.say(texts.ASK_DESCRIPTION_AGAIN)
            return
        draft.description = None
        absorb(draft, parse, self.config, describe=True)
        ask_next(turn, draft, self.config)

    def _confirm(self, turn: Turn, draft: Draft, text: str, parse: Parse) -> Outcome | None:
        word = " ".join(text.lower().split())
        if word in SEND_WORDS or parse.intent == "affirm":
            return Outcome.SUBMIT
        if word in EDIT_WORDS or parse.intent == "edit":
            ask(turn, draft, Step.EDIT, self.config)
            return None
        self.reprompt(turn)
        return None

    # --- other kinds of input ----------------------------------------------------------

    def add_location(self, turn: Turn, asking: Asking, latitude: float, longitude: float) -> None:
        asking.draft.place.latitude, asking.draft.place.longitude = latitude, longitude
        if asking.step is Step.PLACE:
            ask_next(turn, asking.draft, self.config)
        else:
            self.reprompt(turn)

    def add_media(self, turn: Turn, asking: Asking, evidence: EvidenceDraft) -> None:
        asking.draft.evidence.append(evidence)
        turn.say(texts.MEDIA_SAVED.format(kind=texts.MEDIA_KIND.get(evidence.kind, "berkas")))
        self.reprompt(turn)
