"""The complaint form: Rasa asks the questions, the chat's own rules read the answers.

``validate_complaint_form`` is called by Rasa's ``complaint_form`` after every message
while the form runs. Its ``extract_<slot>`` methods read the message that opens the report
(or answers "what happened?") with our NLU, as the chat does, so one rich message fills
the description, place, date, category and phone at once. Its ``validate_<slot>`` methods
read each answer with the chat's functions (``bot/intake.py``): a usable answer becomes
the normalised value, anything else ``None`` with the chat's Indonesian reply, and Rasa
asks again. ``required_slots`` leaves out name and contact in an anonymous report.
"""

from __future__ import annotations

from typing import Any

# rasa-sdk ships no type hints (no py.typed): what it gives is Any up to these modules
from rasa_sdk import Action, FormValidationAction, Tracker  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]
from rasa_sdk.types import DomainDict  # type: ignore[import-untyped]

from complaints.taxonomy import Category, PrivacyMode

from ... import texts
from ...answers import (
    read_date,
    read_edit_field,
    read_name,
    read_place,
    read_privacy,
    read_service,
    valid_description,
)
from ...draft import Draft, PlaceDraft, absorb, is_substantive
from ...intake import EDIT_WORDS, SEND_WORDS
from ...render import citizen as citizen_render
from ...render.labels import grouped
from ...sanitize import clean_text
from .services import (
    CONFIRMED,
    CONTACT_BY_CHAT,
    DECLINED,
    EDIT_SLOTS,
    FORM,
    IDENTITY_SLOTS,
    REQUESTED_SLOT,
    ActionServices,
    date_slot,
    draft_from_slots,
    place_from_slot,
    place_slot,
    slots_from_draft,
)

Slots = dict[str, Any]
DATE_BUTTONS = [{"title": texts.BTN_DATE_UNKNOWN, "payload": texts.BTN_DATE_UNKNOWN.lower()}]
CHAT_CONTACT_WORDS = ("chat", "lewat sini", "di sini")  # the button says "Cukup lewat chat ini"


def latest_text(tracker: Tracker) -> str:
    return clean_text(str((tracker.latest_message or {}).get("text") or ""))


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


class ValidateComplaintForm(FormValidationAction):  # type: ignore[misc]  # Any to mypy (no py.typed)
    def __init__(self, services: ActionServices) -> None:
        self.services = services

    def name(self) -> str:
        return f"validate_{FORM}"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("privacy") == PrivacyMode.ANONIM:
            return [slot for slot in domain_slots if slot not in IDENTITY_SLOTS]
        return domain_slots

    # --- the opening message ----------------------------------------------------------

    def _opening(self, tracker: Tracker) -> Slots:
        """The slots the chat's draft fills from a message that opens the report or answers
        "what happened?" (``bot/draft.py`` absorb); none for the answer to any other question."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = latest_text(tracker)
        if requested not in (None, "description") or not text or len(text) > self.services.max_chars:
            return {}
        parse = self.services.nlu.parse(text, self.services.clock())
        draft = Draft()
        absorb(draft, parse, self.services.intake, describe=requested == "description" or is_substantive(parse))
        return slots_from_draft(draft)

    def _extracted(self, tracker: Tracker, slot: str) -> Slots:
        if tracker.get_slot(slot) is not None:
            return {}
        value = self._opening(tracker).get(slot)
        return {slot: value} if value else {}

    async def extract_description(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Slots:
        if tracker.get_slot(REQUESTED_SLOT) is not None:  # an answer to "what happened?" fills it (from_text)
            return {}
        return self._extracted(tracker, "description")

    async def extract_place(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Slots:
        return self._extracted(tracker, "place")

    async def extract_event_date(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Slots:
        return self._extracted(tracker, "event_date")

    async def extract_category(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Slots:
        return self._extracted(tracker, "category")

    async def extract_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Slots:
        return self._extracted(tracker, "contact")

    # --- the answers --------------------------------------------------------------------

    @staticmethod
    def _answering(tracker: Tracker, slot: str) -> bool:
        """Was the value typed as the answer to the question about ``slot``? (Otherwise it
        was read from the opening message by the extract methods above.)"""
        return bool(tracker.get_slot(REQUESTED_SLOT) == slot)

    def _text(self, value: Any, dispatcher: CollectingDispatcher) -> str | None:
        """The answer as clean text, or None (and the reason said) when it cannot be used."""
        text = clean_text(str(value)) if value is not None else ""
        if not text:
            dispatcher.utter_message(text=texts.EMPTY_MESSAGE)
            return None
        if len(text) > self.services.max_chars:
            dispatcher.utter_message(text=texts.TOO_LONG.format(limit=grouped(self.services.max_chars)))
            return None
        return text

    def _parse(self, text: str) -> Any:
        return self.services.nlu.parse(text, self.services.clock())

    async def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not self._answering(tracker, "description"):
            return {"description": value if isinstance(value, str) and value else None}
        text = self._text(value, dispatcher)
        if text is not None and not valid_description(text):
            dispatcher.utter_message(text=texts.ASK_DESCRIPTION_AGAIN)
            text = None
        return {"description": text}

    async def validate_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not self._answering(tracker, "place"):
            place = place_from_slot(value)
            if place.done:
                return {"place": place_slot(place), "place_detail": None}
            # a street or landmark without its kelurahan: kept until the answer names it
            return {"place": None, "place_detail": place.detail or None}
        text = self._text(value, dispatcher)
        if text is None:
            return {"place": None}
        detail = tracker.get_slot("place_detail")
        tries = tracker.get_slot("place_tries")
        draft = Draft(place=PlaceDraft(detail=detail if isinstance(detail, str) else ""),
                      place_tries=tries if isinstance(tries, int) else 0)
        done, reply = read_place(self.services.nlu, self.services.intake, draft, text, self._parse(text))
        if reply is not None:
            dispatcher.utter_message(text=reply)
        if done:
            return {"place": place_slot(draft.place), "place_detail": None, "place_tries": None}
        return {"place": None, "place_tries": draft.place_tries}

    async def validate_event_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not self._answering(tracker, "event_date"):
            return {"event_date": value if isinstance(value, str) else None}
        text = self._text(value, dispatcher)
        if text is None:
            return {"event_date": None}
        when, problem = read_date(self.services.nlu, self.services.intake, text, self.services.clock())
        if when is None:
            dispatcher.utter_message(text=problem or texts.DATE_UNPARSED, buttons=DATE_BUTTONS)
        return {"event_date": date_slot(when)}

    async def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not self._answering(tracker, "category"):
            return {"category": value if value in Category.__members__.values() else None}
        text = self._text(value, dispatcher)
        if text is None:
            return {"category": None}
        if text.lower() in Category.__members__.values():  # a button with the category's code
            return {"category": text.lower()}
        draft = Draft()
        read_service(draft, text, self._parse(text))
        return {"category": (draft.category or Category.LAINNYA).value, "agency": draft.agency}

    async def validate_privacy(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text = self._text(value, dispatcher)
        mode = read_privacy(text) if text is not None else None
        if mode is None:
            if text is not None:
                dispatcher.utter_message(text=texts.RASA_PRIVACY_UNCLEAR)
            return {"privacy": None}
        if mode is PrivacyMode.ANONIM:  # no identity is kept, even one given before
            return {"privacy": mode.value, **{slot: None for slot in IDENTITY_SLOTS}}
        return {"privacy": mode.value}

    async def validate_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text = self._text(value, dispatcher)
        if text is not None and read_privacy(text) is PrivacyMode.ANONIM:  # "anonim saja", as the question offers
            return {"privacy": PrivacyMode.ANONIM.value, **{slot: None for slot in IDENTITY_SLOTS}}
        name = read_name(text) if text is not None else None
        if name is None and text is not None:
            dispatcher.utter_message(text=texts.NAME_INVALID)
        return {"name": name}

    async def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not self._answering(tracker, "contact"):
            return {"contact": value if isinstance(value, str) else None}
        text = self._text(value, dispatcher)
        if text is None:
            return {"contact": None}
        phone = self.services.nlu.parse_phone(text)
        if phone is not None:
            return {"contact": phone}
        if any(word in text.lower() for word in CHAT_CONTACT_WORDS):
            return {"contact": CONTACT_BY_CHAT}
        dispatcher.utter_message(text=texts.CONTACT_INVALID)
        return {"contact": None}

    async def validate_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """The answer to the summary: send, change a part (then which one), or not send."""
        text = self._text(value, dispatcher)
        if text is None:
            return {"confirm": None}
        if tracker.get_slot("editing"):
            part = read_edit_field(text)
            if part is None:  # asked again by action_ask_confirm
                return {"confirm": None}
            return {"confirm": None, "editing": None, **{slot: None for slot in EDIT_SLOTS[part]}}
        intents = {latest_intent(tracker), self._parse(text).intent}
        word = " ".join(text.lower().split())
        if "affirm" in intents or word in SEND_WORDS:
            return {"confirm": CONFIRMED}
        if intents & {"deny", "cancel"}:
            return {"confirm": DECLINED}
        if "edit" in intents or word in EDIT_WORDS:
            return {"confirm": None, "editing": True}
        dispatcher.utter_message(text=texts.RASA_CONFIRM_UNCLEAR)
        return {"confirm": None}


class AskConfirm(Action):  # type: ignore[misc]  # rasa-sdk's Action is Any to mypy
    """Rasa's question for the ``confirm`` slot: the chat's summary of the report with
    Kirim / Ubah / Batal, or, after "Ubah", which part to change."""

    def __init__(self, services: ActionServices) -> None:
        self.services = services

    def name(self) -> str:
        return "action_ask_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("editing"):
            buttons = [{"title": label, "payload": part.value} for part, label in texts.EDIT_FIELD_LABELS.items()]
            dispatcher.utter_message(text=texts.ASK_EDIT_FIELD, buttons=buttons)
            return []
        buttons = [
            {"title": texts.BTN_SEND, "payload": "/affirm"},
            {"title": texts.BTN_EDIT, "payload": "/edit"},
            {"title": texts.BTN_CANCEL, "payload": "/cancel"},
        ]
        summary = citizen_render.summary(draft_from_slots(tracker.slots))
        dispatcher.utter_message(text=summary, buttons=buttons)
        return []
