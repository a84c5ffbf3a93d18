"""The Rasa actions that act: file the report, cancel it, check a status, list one's reports.

Filing and status checks go through the same use cases and texts as the chat
(``bot/engine.py``): one unit of work per action, the receipt and status replies from
``bot/texts``, and a check by code from another sender shows the status only.
"""

from __future__ import annotations

import logging
from typing import Any

# rasa-sdk ships no type hints (no py.typed): what it gives is Any up to these modules
from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import ActiveLoop, SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]
from rasa_sdk.types import DomainDict  # type: ignore[import-untyped]

from complaints import tracking
from complaints.errors import TooManyComplaints
from complaints.model import Actor, Complaint
from complaints.taxonomy import Role
from complaints.usecases import filing

from ... import texts
from ...draft import Draft, absorb, next_missing, to_complaint
from ...messages import IncomingMessage
from ...render.citizen import my_complaints, receipt, status_view
from ...render.labels import shorten
from ...sanitize import MAX_ID_LENGTH, acceptable_identity
from .form import latest_text
from .services import (
    CHANNEL,
    CONFIRMED,
    ActionServices,
    cleared_report,
    draft_from_slots,
)

log = logging.getLogger(__name__)
Events = list[dict[str, Any]]


class _ServiceAction(Action):  # type: ignore[misc]  # rasa-sdk's Action is Any to mypy
    def __init__(self, services: ActionServices) -> None:
        self.services = services


class SubmitComplaint(_ServiceAction):
    """After the form: file the confirmed report and utter the receipt; otherwise say it
    was not sent. Either way the report's slots are emptied for the next one."""

    def name(self) -> str:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        services = self.services
        draft = draft_from_slots(tracker.slots)
        if tracker.get_slot("confirm") != CONFIRMED or next_missing(draft) is not None:
            dispatcher.utter_message(text=texts.CANCELLED)
            return cleared_report()
        sender = tracker.sender_id
        if not acceptable_identity(IncomingMessage(CHANNEL, sender)):
            log.warning("a Rasa report from an unusable sender id was not filed")
            dispatcher.utter_message(text=texts.TRY_AGAIN_LATER)
            return []
        now = services.clock()
        # what the report's own words settle and no question asks (bot/draft.py absorb)
        words = Draft()
        absorb(words, services.nlu.parse(draft.description or "", now), services.intake, describe=False)
        draft.report_type, draft.weight = words.report_type, words.weight
        draft.maladministration = words.maladministration
        draft.agency = draft.agency or words.agency
        filed = to_complaint(draft, CHANNEL, sender, now)
        complaint: Complaint | None = filed
        ctx = services.contexts.current()
        message_id = str((tracker.latest_message or {}).get("message_id") or "")
        try:
            async with services.uow() as uow:
                if message_id and not await uow.inbox.first_time(
                    CHANNEL, f"submit:{message_id}"[:MAX_ID_LENGTH], sender, now
                ):  # Rasa called again for the same message: the report was filed then
                    complaint = next(iter(await filing.list_for_sender(uow, CHANNEL, sender, 1)), None)
                else:
                    await filing.submit(ctx, uow, filed, now)
                await uow.commit()
        except TooManyComplaints as error:  # the day's limit: nothing was written; the slots stay for tomorrow
            dispatcher.utter_message(text=texts.DAILY_LIMIT_REACHED.format(limit=error.params.get("limit", "-")))
            return []
        except Exception:  # nothing was committed; the slots stay for another try
            log.exception("filing a Rasa report failed")
            dispatcher.utter_message(text=texts.TRY_AGAIN_LATER)
            return []
        if complaint is not None:
            own = ctx.view(Actor(complaint.owner, Role.COMPLAINANT), complaint)
            dispatcher.utter_message(text=receipt(own, ctx.unit_of(complaint), ctx.policy))
        return cleared_report()


class CancelComplaint(_ServiceAction):
    """"batal" while the form runs: stop it and forget the report."""

    def name(self) -> str:
        return "action_cancel_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        started = tracker.active_loop_name is not None or tracker.get_slot("description") is not None
        dispatcher.utter_message(text=texts.CANCELLED if started else texts.NOTHING_TO_CANCEL)
        return [ActiveLoop(None), *cleared_report()]


class CheckStatus(_ServiceAction):
    """"cek LPR-7KQ3-MN": the status of a report. Its own sender also sees what they wrote
    and the officer's note; anyone else the status only."""

    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        events: Events = [SlotSet("tracking_code", None)]
        check = tracking.find_in_text(latest_text(tracker))
        typed = tracker.get_slot("tracking_code")
        if check is None and isinstance(typed, str) and typed.strip():
            check = tracking.parse(typed)  # Rasa's entity, when our pattern saw no code
        if check is None:
            dispatcher.utter_message(text=texts.ASK_CODE)
            return events
        if check.problem is not None:
            dispatcher.utter_message(text=texts.CODE_PROBLEMS[check.problem].format(typed=shorten(check.typed, 30)))
            return events
        try:
            async with self.services.uow() as uow:
                complaint = await uow.complaints.get(check.code or "")
        except Exception:
            log.exception("a Rasa status check failed")
            dispatcher.utter_message(text=texts.TRY_AGAIN_LATER)
            return events
        if complaint is None:
            dispatcher.utter_message(text=texts.CODE_NOT_FOUND.format(code=check.code))
            return events
        asker = Actor(f"{CHANNEL}:{tracker.sender_id}", Role.COMPLAINANT)  # only the filer reads details
        ctx = self.services.contexts.current()
        unit = ctx.org.units.get(complaint.unit_id or "")
        dispatcher.utter_message(text=status_view(ctx.view(asker, complaint), unit))
        return events


class MyComplaints(_ServiceAction):
    """"laporan saya": the reports this sender filed through Rasa."""

    def name(self) -> str:
        return "action_my_complaints"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        try:
            async with self.services.uow() as uow:
                mine = await filing.list_for_sender(uow, CHANNEL, tracker.sender_id)
        except Exception:
            log.exception("listing a Rasa sender's reports failed")
            dispatcher.utter_message(text=texts.TRY_AGAIN_LATER)
            return []
        asker = Actor(f"{CHANNEL}:{tracker.sender_id}", Role.COMPLAINANT)
        ctx = self.services.contexts.current()
        views = [ctx.view(asker, complaint) for complaint in mine]
        dispatcher.utter_message(text=my_complaints(views, self.services.intake.tz) if mine else texts.NO_COMPLAINTS)
        return []
