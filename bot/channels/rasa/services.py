"""What the Rasa actions work with: their collaborators, and the report as Rasa slots.

The slots hold what ``bot/draft.py`` keeps in a draft, as JSON values (Rasa keeps them);
:func:`draft_from_slots` and :func:`slots_from_draft` convert between the two, so the chat's
own functions (``absorb``, ``next_missing``, ``to_complaint``, the summary) work on a Rasa
report unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

# rasa-sdk ships no type hints (no py.typed): what it gives is Any up to these modules
from rasa_sdk.events import EventType, SlotSet  # type: ignore[import-untyped]

from complaints.ports import UnitOfWork
from complaints.taxonomy import Category, PrivacyMode
from complaints.usecases.context import ContextSource
from nlu import Understanding

from ...buttons import EditField
from ...draft import Contact, Draft, IntakeConfig, NotRemembered, PlaceDraft

CHANNEL = "rasa"  # complaints filed here carry Rasa's sender_id as their sender
FORM = "complaint_form"
REQUESTED_SLOT = "requested_slot"

# The form's questions, in the order the chat asks them (bot/draft.py next_missing).
FORM_SLOTS = ("description", "place", "event_date", "category", "privacy", "name", "contact", "confirm")
IDENTITY_SLOTS = ("name", "contact")  # not asked in an anonymous report
# Kept beside the form's slots by its validation, never asked for.
HIDDEN_SLOTS = ("agency", "place_detail", "place_tries", "editing")
# What "Ubah" on the summary clears, per part (bot/draft.py clear_field, as slots).
EDIT_SLOTS = {
    EditField.DESCRIPTION: ("description",),
    EditField.PLACE: ("place", "place_detail", "place_tries"),
    EditField.DATE: ("event_date",),
    EditField.SERVICE: ("category", "agency"),
    EditField.IDENTITY: ("privacy", "name", "contact"),
}
CONTACT_BY_CHAT = "chat"  # the contact slot when the citizen is reached through this chat
CONFIRMED, DECLINED = "ya", "tidak"  # the confirm slot


@dataclass(frozen=True)
class ActionServices:
    """The collaborators every action gets at start-up (nothing global, nothing at import)."""

    uow: Callable[[], UnitOfWork]
    nlu: Understanding
    contexts: ContextSource  # the organisation's current snapshot, taken once per action
    clock: Callable[[], datetime]
    intake: IntakeConfig
    max_chars: int = 4096


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


E = TypeVar("E", Category, PrivacyMode)


def _member(kind: type[E], value: object) -> E | None:
    return kind(value) if isinstance(value, str) and value in kind.__members__.values() else None


def place_from_slot(value: object) -> PlaceDraft:
    """The ``place`` slot (a JSON object, or nothing usable) as the draft's place."""
    try:
        return PlaceDraft.model_validate(value) if isinstance(value, dict) else PlaceDraft()
    except ValidationError:  # not one this server set: as if none
        return PlaceDraft()


def place_slot(place: PlaceDraft) -> dict[str, Any]:
    """The draft's place as the ``place`` slot: only what is known."""
    return place.model_dump(mode="json", exclude_defaults=True)


def date_from_slot(value: object) -> date | NotRemembered | None:
    if value == NotRemembered.DATE.value:
        return NotRemembered.DATE
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def date_slot(value: date | NotRemembered | None) -> str | None:
    """The ``event_date`` slot: an ISO date, "unknown" (not remembered), or None (not asked)."""
    if isinstance(value, NotRemembered):
        return value.value
    return value.isoformat() if value is not None else None


def draft_from_slots(slots: Mapping[str, Any]) -> Draft:
    """The report in Rasa's slots as the chat's draft (bot/draft.py)."""
    draft = Draft(
        description=_text(slots.get("description")),
        place=place_from_slot(slots.get("place")),
        event_date=date_from_slot(slots.get("event_date")),
        category=_member(Category, slots.get("category")),
        agency=_text(slots.get("agency")),
        privacy=_member(PrivacyMode, slots.get("privacy")),
        name=_text(slots.get("name")),
    )
    if draft.category is Category.LAINNYA and draft.agency:
        draft.category = None  # only an agency was named: shown as such, filed as "lainnya"
    contact = slots.get("contact")
    if isinstance(contact, str) and contact:
        draft.contact = Contact(phone=None if contact == CONTACT_BY_CHAT else contact)
    return draft


def slots_from_draft(draft: Draft) -> dict[str, Any]:
    """What a draft filled from one message (``absorb``) sets of the form's slots."""
    contact = draft.contact
    slots = {
        "description": draft.description,
        "place": place_slot(draft.place) or None,
        "event_date": date_slot(draft.event_date),
        "category": draft.category.value if draft.category else None,
        "contact": (contact.phone or CONTACT_BY_CHAT) if contact is not None else None,
    }
    return {name: value for name, value in slots.items() if value}


def cleared_report() -> list[EventType]:
    """Slot events that empty the report, for the next one to start afresh."""
    return [SlotSet(name, None) for name in (*FORM_SLOTS, *HIDDEN_SLOTS, REQUESTED_SLOT)]
