"""What the Rasa actions work with: their collaborators, and the report as Rasa slots.

The slots hold what ``bot/draft.py`` keeps in a draft, so the chat's own functions
(``to_complaint``, ``texts.summary``) read a Rasa report unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rasa_sdk.events import EventType, SlotSet

from complaints.org import Organisation
from complaints.ports import UnitOfWork
from complaints.services import ComplaintDesk
from complaints.taxonomy import Category

from ...draft import IntakeConfig

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
    "description": ("description",),
    "place": ("place", "place_detail", "place_tries"),
    "date": ("event_date",),
    "service": ("category", "agency"),
    "identity": ("privacy", "name", "contact"),
}
CONTACT_BY_CHAT = "chat"  # the contact slot when the citizen is reached through this chat
CONFIRMED, DECLINED = "ya", "tidak"  # the confirm slot


@dataclass(frozen=True)
class ActionServices:
    """The collaborators every action gets at start-up (nothing global, nothing at import)."""

    uow: Callable[[], UnitOfWork]
    nlu: Any  # nlu.Understanding
    desk: ComplaintDesk
    org: Organisation
    clock: Callable[[], datetime]
    intake: IntakeConfig
    max_chars: int = 4096


def draft_from_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The report in Rasa's slots as the chat's draft (bot/draft.py)."""
    draft: dict[str, Any] = {"place": dict(slots["place"]) if isinstance(slots.get("place"), dict) else {}}
    for key in ("description", "event_date", "category", "agency", "privacy", "name"):
        if slots.get(key) is not None:
            draft[key] = slots[key]
    if draft.get("category") == Category.LAINNYA and draft.get("agency"):
        del draft["category"]  # only an agency was named: shown as such, filed as "lainnya"
    contact = slots.get("contact")
    if contact is not None:
        draft["phone"] = None if contact == CONTACT_BY_CHAT else contact
    return draft


def cleared_report() -> list[EventType]:
    """Slot events that empty the report, for the next one to start afresh."""
    return [SlotSet(name, None) for name in (*FORM_SLOTS, *HIDDEN_SLOTS, REQUESTED_SLOT)]
