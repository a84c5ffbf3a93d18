"""The conversation engine: one incoming message in, the replies out, state in the database.

Every message is handled inside one unit of work: the dialog state, a filed complaint,
its audit entry and its outbox rows are committed together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from complaints import tracking
from complaints.errors import StorageUnavailable
from complaints.ports import UnitOfWork
from complaints.taxonomy import ReportType, Weight
from complaints.usecases import filing
from complaints.usecases.context import ContextSource
from nlu import Parse, Understanding

from . import aftercare, contacts, conversation, edits, guard, identity, officers, places, resume, similar, texts
from . import state as dialog_state
from .buttons import ButtonData, Menu, MenuItem, Offer, OfferChoice, Rate, Refused, Skm, decode
from .draft import Draft, EvidenceDraft, IntakeConfig, Step, to_complaint
from .flood import FloodGuard
from .intake import Intake, Outcome
from .messages import IncomingMessage, Kind, Media, OutgoingMessage
from .officers import is_officer_command
from .questions import ask
from .render.citizen import receipt, salutation
from .render.labels import grouped
from .sanitize import acceptable_identity, clean_text, clean_token
from .state import IDLE, Asking, AwaitingCode, Offered, OfferKind, OfficerNote, ResumeOffered
from .turn import Turn

log = logging.getLogger(__name__)

MENU = (
    Menu(MenuItem.NEW).button(texts.BTN_NEW),
    Menu(MenuItem.CHECK).button(texts.BTN_CHECK),
    Menu(MenuItem.MINE).button(texts.BTN_MINE),
    Menu(MenuItem.HELP).button(texts.BTN_HELP),
)
SHORT_COMMAND_WORDS = 3  # "batal", "cek dong", "bantuan": commands are short
# Intents that are never an answer to an officer's question
COMMAND_INTENTS = frozenset({"cancel", "check_status", "my_complaints", "help", "greeting", "thanks", "goodbye",
                             "emergency", "case_question"})
SMALL_TALK = frozenset({"greeting", "thanks", "goodbye"})
CHOICES = frozenset({Step.SPLIT, Step.OUTSIDE, Step.CANCEL_CONFIRM, Step.SIMILAR, Step.SUPPORT_PRIVACY})  # typed: the answer
# questions whose answers are a few words that may look like small talk ("tadi pagi", "Pak Budi")
ANSWERED_IN_WORDS = frozenset({Step.PLACE, Step.DATE, Step.SERVICE, Step.NAME, Step.CONTACT, Step.EDIT})


@dataclass(frozen=True)
class EngineConfig:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    area_name: str | None = None
    resume_after: timedelta = timedelta(minutes=30)
    max_chars: int = 4096
    flood: FloodGuard = field(default_factory=FloodGuard)
    group_notice_every: timedelta = timedelta(days=1)  # a group chat is told to write privately this often


class ConversationEngine:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        nlu: Understanding,
        contexts: ContextSource,
        config: EngineConfig,
    ) -> None:
        self.uow_factory = uow_factory
        self.nlu = nlu
        self.contexts = contexts  # the organisation's current snapshot, taken once per message
        self.config = config
        self.intake = Intake(nlu, IntakeConfig(tz=config.tz, area_name=config.area_name))
        self.flood = config.flood
        self.blocks = guard.BlockList()  # the blocked chats, re-read every two seconds

    async def handle(self, msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        if not acceptable_identity(msg):  # no channel delivers such ids; nothing to answer
            log.warning("a %s message with an unusable sender or update id was dropped", msg.channel)
            return []
        raw = msg.text if msg.text is not None else (msg.media.caption if msg.media else "")
        if len(raw) > self.config.max_chars:
            return [OutgoingMessage(msg.channel, msg.sender, texts.TOO_LONG.format(limit=grouped(self.config.max_chars)))]
        for attempt in (1, 2):
            try:
                return await self._in_one_transaction(msg, raw, now)
            except StorageUnavailable as error:
                # A connection that died with a database restart fails on first use; the
                # pool then drops it and every other old one, so one more try gets a fresh
                # connection. Not when the commit itself failed: it may have gone through.
                if attempt == 1 and not error.maybe_committed:
                    continue
                log.warning("a %s message could not be handled, the database is unavailable: %s", msg.channel, error)
                return [OutgoingMessage(msg.channel, msg.sender, texts.DATABASE_UNAVAILABLE)]
            except Exception:  # the loop must survive anything; nothing was committed
                log.exception("handling a %s message failed", msg.channel)
                return [OutgoingMessage(msg.channel, msg.sender, texts.TRY_AGAIN_LATER)]
        raise AssertionError("unreachable")

    async def seen(self, msg: IncomingMessage) -> bool:
        """Whether ``msg`` was delivered and handled before (an adapter asks before it
        downloads a file); the answer, if wrong by a race, is corrected by ``handle``."""
        if msg.update_id is None or not acceptable_identity(msg):
            return False
        try:
            async with self.uow_factory() as uow:
                return await uow.inbox.seen(msg.channel, msg.update_id)
        except StorageUnavailable:
            return False  # handle() answers that the database is unavailable

    async def _in_one_transaction(self, msg: IncomingMessage, raw: str, now: datetime) -> list[OutgoingMessage]:
        async with self.uow_factory() as uow:
            ctx = self.contexts.current()  # the organisation's snapshot for this whole message
            if (refused := await guard.blocked(uow, ctx, msg, now, self.blocks)) is not None:
                return refused  # a blocked chat: one polite answer, then silence; only its attempts are counted
            if msg.update_id is not None:
                group = msg.kind is Kind.GROUP
                since = now - (self.config.group_notice_every if group else self.flood.window)
                arrival = await uow.inbox.arrive(msg.channel, msg.update_id, msg.sender, now, since)
                if arrival is None:
                    return []  # a repeat delivery: it was handled (and answered) before
                recent, record = arrival.recent, arrival.dialog
                if group or msg.kind is Kind.SERVICE:  # a group: once a day; a pin or a reaction: never
                    await uow.commit()
                    return [OutgoingMessage(msg.channel, msg.sender, texts.PRIVATE_ONLY)] if group and recent == 1 else []
                if recent > self.flood.limit:  # too fast: say so once, then ignore until the window passes
                    await uow.commit()
                    return [OutgoingMessage(msg.channel, msg.sender, texts.SLOW_DOWN)] if recent == self.flood.limit + 1 else []
            elif msg.kind in (Kind.GROUP, Kind.SERVICE):
                return []
            else:
                record = await uow.dialogs.get(msg.channel, msg.sender, for_update=True)
            try:
                state, unreadable = dialog_state.load(record.state if record else None), False
            except dialog_state.Unreadable as error:  # damaged, or from a newer version: start clean
                log.warning("a %s dialog state could not be read and was dropped: %s", msg.channel, error)
                state, unreadable = IDLE, True
            turn = Turn(msg, clean_text(raw), now, uow, state, ctx)
            officer = turn.ctx.org.officer_by_identity(msg.channel, msg.sender)
            if officer is not None:
                if msg.kind is Kind.MESSAGE:
                    await officers.handle(turn, officer)
                elif msg.kind in (Kind.UNSUPPORTED, Kind.REFUSED):
                    turn.say(msg.notice or texts.UNSUPPORTED)
            else:
                if unreadable:
                    turn.say(texts.RESTARTED)
                await self._dispatch(turn, record.updated_at if record else None)
                await guard.courtesy(turn)  # abusive words: a polite request first, now and then
                await similar.settle(turn, self.intake.config)  # the summary waits for the similar cases
            stored = dialog_state.dump(turn.state)
            if stored is not None:
                await uow.dialogs.put(msg.channel, msg.sender, stored, now)
            elif record is not None:
                await uow.dialogs.delete(msg.channel, msg.sender)
            await uow.commit()
        return turn.replies

    # --- routing ------------------------------------------------------------------------

    async def _dispatch(self, turn: Turn, updated_at: datetime | None) -> None:
        msg = turn.msg
        if isinstance(turn.state, OfficerNote):  # left by someone who is no longer an officer
            turn.state = IDLE
        if msg.kind is not Kind.MESSAGE:
            await self._other(turn)
            return
        if isinstance(turn.state, ResumeOffered):
            resume.answer(turn, turn.state, self.intake, self.nlu)
            return
        if isinstance(turn.state, Asking) and updated_at is not None and turn.now - updated_at > self.config.resume_after:
            resume.offer(turn, turn.state)
            return
        button = decode(msg.button) if msg.button is not None else None
        if isinstance(turn.state, Offered):
            offered, turn.state = turn.state, IDLE
            if await self._offer_answer(turn, offered, button):
                return
        if isinstance(button, Rate | Skm):
            await aftercare.rating_button(turn, button)
            self.intake.reprompt(turn)
        elif button is not None:
            await self._button(turn, button)
        elif msg.location is not None:
            places.shared(turn, self.intake)
        elif msg.media is not None:
            await self._media(turn, msg.media)
        elif not turn.text:
            turn.say(texts.EMPTY_MESSAGE)
            self.intake.reprompt(turn)
        elif is_officer_command(turn.text):  # "/selesai LPR-..." from a citizen's chat
            turn.say(texts.OFFICERS_ONLY, () if turn.in_intake else MENU)
            self.intake.reprompt(turn)
        elif isinstance(turn.state, Asking):
            await self._intake_text(turn, turn.state, self.nlu.parse(turn.text, turn.now))
        else:
            await self._idle_text(turn, self.nlu.parse(turn.text, turn.now))

    async def _other(self, turn: Turn) -> None:
        """Anything but a message of the conversation: the state stays, the pending question
        (or the offer to resume) is asked again where the answer does not settle it."""
        match turn.msg.kind:
            case Kind.EDIT:
                await edits.edited(turn, self.intake)
            case Kind.DELETE:
                await edits.deleted(turn, self.intake)
            case Kind.NUMBER_CHANGED:
                await identity.number_changed(turn)
            case Kind.CONTACT:
                contacts.card(turn, self.intake)
            case _:  # UNSUPPORTED, REFUSED
                turn.say(turn.msg.notice or texts.UNSUPPORTED)
                resume.repeat(turn, self.intake)

    async def _idle_text(self, turn: Turn, parse: Parse) -> None:
        intent = parse.intent
        awaiting_code = isinstance(turn.state, AwaitingCode)
        turn.state = IDLE
        if intent == "emergency":  # lives first, whatever else is under way
            conversation.emergency(turn, parse, offer=True)
            return
        if intent not in COMMAND_INTENTS and await aftercare.answer_to_officer(turn, []):
            return
        rating = {"rate_satisfied": True, "rate_unsatisfied": False}.get(intent)
        if rating is not None and await aftercare.rating_by_text(turn, rating, aftercare.reason_of(parse)):
            return
        score = parse.entity("score") if intent == "rate_score" else None
        if score is not None and await aftercare.score_by_text(turn, int(score.value)):
            return
        if intent in ("add_info", "correction") and await aftercare.add_to_case(turn, [], text_only=True):
            return
        if intent == "cancel":
            turn.say(texts.NOTHING_TO_CANCEL)
        elif intent == "check_status" or (awaiting_code and intent not in ("help", "greeting", "new_complaint")):
            await aftercare.check_status(turn, awaiting_code=awaiting_code)
        elif intent == "my_complaints":
            await aftercare.list_mine(turn, self.config.tz)
        elif intent == "case_question":
            await aftercare.explain_case(turn, self.config.tz)
        elif intent == "question":
            conversation.answer_question(turn, self.nlu, offer=True)
        elif intent == "help":
            turn.say(texts.HELP, MENU)
        elif intent == "greeting":
            conversation.greet(turn, parse, MENU)
        elif intent == "thanks":
            turn.say(texts.THANKS)
        elif intent == "goodbye":
            turn.say(texts.GOODBYE)
        elif intent in ("new_complaint", "unsure") and turn.text.rstrip().endswith("?") and conversation.answer_question(
            turn, self.nlu, offer=False, strict=intent == "new_complaint"
        ):
            return  # a question the FAQ answers clearly, in words that sounded like a complaint
        elif intent in ("new_complaint", "add_info"):
            conversation.return_salam(turn, parse)  # "assalamualaikum pak, jalan …": answered in kind first
            self.intake.start(turn, parse)
        elif intent in ("unsure", "correction", "rate_satisfied", "rate_unsatisfied"):
            conversation.offer_report(turn)
        else:
            turn.say(texts.NOT_UNDERSTOOD, MENU)

    async def _intake_text(self, turn: Turn, asking: Asking, parse: Parse) -> None:
        short = len(turn.text.split()) <= SHORT_COMMAND_WORDS
        intent = parse.intent
        if intent == "emergency":  # the numbers at once; the draft gets the urgent deadlines
            conversation.emergency(turn, parse, offer=False)
            asking.draft.weight = Weight.BERAT
            self.intake.reprompt(turn)
            return
        if asking.step in CHOICES and intent != "cancel":  # "satu laporan saja", "teruskan": the answer
            await self._finish(turn, self.intake.answer_text(turn, asking, parse), asking)
            return
        if intent == "cancel" and short:
            if asking.draft.description and asking.step is not Step.CANCEL_CONFIRM:
                ask(turn, asking.draft, Step.CANCEL_CONFIRM, self.intake.config)
                return
            outcome: Outcome | None = Outcome.CANCEL
        elif intent == "check_status" and tracking.find_in_text(turn.text) is not None:
            await aftercare.check_status(turn)
            self.intake.reprompt(turn)
            return
        elif intent == "help" and short:
            turn.say(texts.HELP)
            self.intake.reprompt(turn)
            return
        elif intent == "my_complaints" and short:
            await aftercare.list_mine(turn, self.config.tz)
            self.intake.reprompt(turn)
            return
        elif intent == "question" and asking.step is not Step.DESCRIPTION and conversation.answer_question(
            turn, self.nlu, offer=False
        ):
            self.intake.reprompt(turn)
            return
        elif intent in SMALL_TALK and short and asking.step not in ANSWERED_IN_WORDS:
            returned = conversation.salam(turn, parse)
            turn.say(returned or (texts.THANKS if intent == "thanks" else texts.RESUMED))
            self.intake.reprompt(turn)
            return
        else:
            outcome = self.intake.answer_text(turn, asking, parse)
        await self._finish(turn, outcome, asking)

    async def _offer_answer(self, turn: Turn, offered: Offered, button: ButtonData | Refused | None) -> bool:
        """The answer to "make a report of it?": yes starts the draft from the words offered;
        no closes the offer; anything else is a new message (False)."""
        choice = button.choice if isinstance(button, Offer) else None
        if choice is None and button is None and turn.text:
            intent = self.nlu.parse(turn.text, turn.now).intent
            choice = {"affirm": OfferChoice.YES, "deny": OfferChoice.NO}.get(intent)
        if choice is OfferChoice.NO:
            turn.say(texts.OFFER_DECLINED, MENU)
            return True
        if choice is not OfferChoice.YES:
            return False
        parse = self.nlu.parse(offered.pending_text, turn.now)
        draft = Draft()
        if offered.kind is OfferKind.EMERGENCY:  # the urgent deadlines; when not said, it is today
            draft.weight = Weight.BERAT
            if parse.entity("date") is None:
                draft.event_date = turn.now.astimezone(self.config.tz).date()
        elif offered.kind is OfferKind.QUESTION:
            draft.report_type = ReportType.PERMINTAAN_INFORMASI
            draft.description = offered.pending_text
        self.intake.start(turn, parse, draft, split=False)
        return True

    async def _button(self, turn: Turn, button: ButtonData | Refused) -> None:
        if isinstance(turn.state, Asking):
            asking = turn.state
            outcome = Outcome.STALE if isinstance(button, Refused) else self.intake.answer_button(turn, asking, button)
            if outcome is Outcome.STALE:
                turn.say(texts.STALE_BUTTON)
                self.intake.reprompt(turn)
                return
            await self._finish(turn, outcome, asking)
            return
        match button:
            case Menu(MenuItem.NEW):
                self.intake.start(turn, None)
            case Menu(MenuItem.CHECK):
                turn.state = AwaitingCode()
                turn.say(texts.ASK_CODE)
            case Menu(MenuItem.MINE):
                await aftercare.list_mine(turn, self.config.tz)
            case Menu(MenuItem.HELP):
                turn.say(texts.HELP, MENU)
            case _:  # none of ours, or one that belongs to another moment or to officers
                turn.say(texts.STALE_BUTTON, MENU)

    async def _media(self, turn: Turn, media: Media) -> None:
        ref, source = clean_token(media.ref), clean_token(media.source)
        if media.kind not in texts.MEDIA_KIND or not ref:  # nothing a channel would deliver
            turn.say(texts.MEDIA_INVALID)
            self.intake.reprompt(turn)
            return
        evidence = EvidenceDraft(kind=media.kind, ref=ref, caption=turn.text, source=source)
        if isinstance(turn.state, Asking):
            self.intake.add_media(turn, turn.state, evidence)
            return
        files = [Media(media.kind, ref, turn.text, source)]
        if await aftercare.answer_to_officer(turn, files) or await aftercare.add_to_case(turn, files, text_only=False):
            return
        parse = self.nlu.parse(turn.text, turn.now) if turn.text else None
        self.intake.start(turn, parse, Draft())
        if isinstance(turn.state, Asking):
            turn.replies.pop()  # the question is asked again below, after the file is taken
            self.intake.add_media(turn, turn.state, evidence)

    # --- outcomes -----------------------------------------------------------------------

    async def _finish(self, turn: Turn, outcome: Outcome | None, asking: Asking) -> None:
        draft = asking.draft
        if outcome is Outcome.CANCEL:
            turn.reset()
            turn.say(texts.CANCELLED)
        elif outcome is Outcome.LAPOR:
            turn.reset()
        elif outcome is Outcome.SUPPORT and await similar.support(turn, asking, self.intake.config):
            self.intake.next_problem(turn, draft, asking.pending)
        elif outcome is Outcome.SUBMIT:
            complaint = to_complaint(draft, turn.msg.channel, turn.msg.sender, turn.now)
            ctx = turn.ctx
            if not await guard.submit(turn, complaint):  # over the day's limit: the draft is kept
                return
            turn.reset()
            await edits.filed(turn, draft, complaint.code)  # an edit or deletion of its messages reaches the case
            own = ctx.view(turn.complainant, complaint)
            outside = complaint.place.region_name if filing.outside_region(ctx, complaint) else None
            greet = salutation(draft.title, draft.name) if complaint.complainant.name else None
            turn.say(receipt(own, ctx.unit_of(complaint), ctx.policy, greet, outside), MENU[1:3])
            self.intake.next_problem(turn, draft, asking.pending)
