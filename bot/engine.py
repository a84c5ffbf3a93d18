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
from complaints.errors import DomainError, NotAuthorised, NotFound, StorageUnavailable
from complaints.escalation import TOP, reopen_level
from complaints.ports import UnitOfWork
from complaints.usecases import filing, followup
from complaints.usecases.context import ContextSource
from nlu import Parse, Understanding

from . import officers, texts
from . import state as dialog_state
from .buttons import ButtonData, Menu, MenuItem, Rate, Refused, Resume, ResumeChoice, Skm, decode
from .draft import Draft, EvidenceDraft, IntakeConfig, PlaceDraft, to_complaint
from .flood import FloodGuard
from .intake import Intake, Outcome, ask
from .messages import IncomingMessage, Media, OutgoingMessage
from .officers import is_officer_command
from .render.citizen import my_complaints, receipt, skm_buttons, status_view
from .render.labels import shorten, status_label
from .sanitize import acceptable_identity, clean_text, clean_token, coordinates
from .state import IDLE, Asking, AwaitingCode, OfficerNote, ResumeOffered
from .turn import Turn

log = logging.getLogger(__name__)

MENU = (
    Menu(MenuItem.NEW).button(texts.BTN_NEW),
    Menu(MenuItem.CHECK).button(texts.BTN_CHECK),
    Menu(MenuItem.MINE).button(texts.BTN_MINE),
    Menu(MenuItem.HELP).button(texts.BTN_HELP),
)
RESUME_BUTTONS = (
    Resume(ResumeChoice.CONTINUE).button(texts.BTN_CONTINUE),
    Resume(ResumeChoice.RESTART).button(texts.BTN_RESTART),
)
SHORT_COMMAND_WORDS = 3  # "batal", "cek dong", "bantuan": commands are short
# Intents that are never an answer to an officer's question
COMMAND_INTENTS = frozenset({"cancel", "check_status", "my_complaints", "help", "greeting", "thanks"})


@dataclass(frozen=True)
class EngineConfig:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    area_name: str | None = None
    resume_after: timedelta = timedelta(minutes=30)
    max_chars: int = 4096
    flood: FloodGuard = field(default_factory=FloodGuard)


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

    async def handle(self, msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        if not acceptable_identity(msg):  # no channel delivers such ids; nothing to answer
            log.warning("a %s message with an unusable sender or update id was dropped", msg.channel)
            return []
        raw = msg.text if msg.text is not None else (msg.media.caption if msg.media else "")
        if len(raw) > self.config.max_chars:
            return [OutgoingMessage(msg.channel, msg.sender, texts.TOO_LONG.format(limit=f"{self.config.max_chars:,}".replace(",", ".")))]
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

    async def _in_one_transaction(self, msg: IncomingMessage, raw: str, now: datetime) -> list[OutgoingMessage]:
        async with self.uow_factory() as uow:
            if msg.update_id is not None:
                recent = await uow.inbox.record(msg.channel, msg.update_id, msg.sender, now, now - self.flood.window)
                if recent is None:
                    return []  # a repeat delivery: it was handled (and answered) before
                if recent > self.flood.limit:  # too fast: say so once, then ignore until the window passes
                    await uow.commit()
                    return [OutgoingMessage(msg.channel, msg.sender, texts.SLOW_DOWN)] if recent == self.flood.limit + 1 else []
            record = await uow.dialogs.get(msg.channel, msg.sender, for_update=True)
            try:
                state, unreadable = dialog_state.load(record.state if record else None), False
            except dialog_state.Unreadable as error:  # damaged, or from a newer version: start clean
                log.warning("a %s dialog state could not be read and was dropped: %s", msg.channel, error)
                state, unreadable = IDLE, True
            turn = Turn(msg, clean_text(raw), now, uow, state, self.contexts.current())
            officer = turn.ctx.org.officer_by_identity(msg.channel, msg.sender)
            if officer is not None:
                await officers.handle(turn, officer)
            else:
                if unreadable:
                    turn.say(texts.RESTARTED)
                await self._dispatch(turn, record.updated_at if record else None)
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
        if isinstance(turn.state, ResumeOffered):
            await self._resume_answer(turn, turn.state)
            return
        if isinstance(turn.state, Asking) and updated_at is not None and turn.now - updated_at > self.config.resume_after:
            self._offer_resume(turn, turn.state)
            return
        button = decode(msg.button) if msg.button is not None else None
        if isinstance(button, Rate | Skm):
            await self._rating_button(turn, button)
            self.intake.reprompt(turn)
        elif button is not None:
            await self._button(turn, button)
        elif msg.location is not None:
            self._location(turn, *msg.location)
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

    async def _idle_text(self, turn: Turn, parse: Parse) -> None:
        intent = parse.intent
        awaiting_code = isinstance(turn.state, AwaitingCode)
        turn.state = IDLE
        if intent not in COMMAND_INTENTS and await self._answer_to_officer(turn, []):
            return
        rating = {"rate_satisfied": True, "rate_unsatisfied": False}.get(intent)
        if rating is not None and await self._rating_by_text(turn, rating):
            return
        score = parse.entity("score") if intent == "rate_score" else None
        if score is not None and await self._score_by_text(turn, int(score.value)):
            return
        if intent == "cancel":
            turn.say(texts.NOTHING_TO_CANCEL)
        elif intent == "check_status" or (awaiting_code and intent not in ("help", "greeting", "new_complaint")):
            await self._check_status(turn, awaiting_code=awaiting_code)
        elif intent == "my_complaints":
            await self._my_complaints(turn)
        elif intent == "help":
            turn.say(texts.HELP, MENU)
        elif intent == "greeting":
            turn.say(texts.GREETING, MENU)
        elif intent == "thanks":
            turn.say(texts.THANKS)
        elif intent == "new_complaint":
            self.intake.start(turn, parse)
        else:
            turn.say(texts.NOT_UNDERSTOOD, MENU)

    async def _intake_text(self, turn: Turn, asking: Asking, parse: Parse) -> None:
        short = len(turn.text.split()) <= SHORT_COMMAND_WORDS
        intent = parse.intent
        if intent == "cancel" and short:
            outcome: Outcome | None = Outcome.CANCEL
        elif intent == "check_status" and tracking.find_in_text(turn.text) is not None:
            await self._check_status(turn)
            self.intake.reprompt(turn)
            return
        elif intent == "help" and short:
            turn.say(texts.HELP)
            self.intake.reprompt(turn)
            return
        elif intent == "my_complaints" and short:
            await self._my_complaints(turn)
            self.intake.reprompt(turn)
            return
        else:
            outcome = self.intake.answer_text(turn, asking, parse)
        await self._finish(turn, outcome, asking.draft)

    async def _button(self, turn: Turn, button: ButtonData | Refused) -> None:
        if isinstance(turn.state, Asking):
            asking = turn.state
            outcome = Outcome.STALE if isinstance(button, Refused) else self.intake.answer_button(turn, asking, button)
            if outcome is Outcome.STALE:
                turn.say(texts.STALE_BUTTON)
                self.intake.reprompt(turn)
                return
            await self._finish(turn, outcome, asking.draft)
            return
        match button:
            case Menu(MenuItem.NEW):
                self.intake.start(turn, None)
            case Menu(MenuItem.CHECK):
                turn.state = AwaitingCode()
                turn.say(texts.ASK_CODE)
            case Menu(MenuItem.MINE):
                await self._my_complaints(turn)
            case Menu(MenuItem.HELP):
                turn.say(texts.HELP, MENU)
            case _:  # none of ours, or one that belongs to another moment or to officers
                turn.say(texts.STALE_BUTTON, MENU)

    def _location(self, turn: Turn, latitude: float, longitude: float) -> None:
        point = coordinates(latitude, longitude)
        if point is None:
            turn.say(texts.LOCATION_INVALID)
            self.intake.reprompt(turn)
            return
        if isinstance(turn.state, Asking):
            self.intake.add_location(turn, turn.state, *point)
        else:
            self.intake.start(turn, None, Draft(place=PlaceDraft(latitude=point[0], longitude=point[1])))

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
        if await self._answer_to_officer(turn, [Media(media.kind, ref, turn.text, source)]):
            return
        turn.say(texts.MEDIA_SAVED.format(kind=texts.MEDIA_KIND.get(media.kind, "berkas")))
        parse = self.nlu.parse(turn.text, turn.now) if turn.text else None
        self.intake.start(turn, parse, Draft(evidence=[evidence]))

    # --- outcomes -----------------------------------------------------------------------

    async def _finish(self, turn: Turn, outcome: Outcome | None, draft: Draft) -> None:
        if outcome is Outcome.CANCEL:
            turn.reset()
            turn.say(texts.CANCELLED)
        elif outcome is Outcome.SUBMIT:
            complaint = to_complaint(draft, turn.msg.channel, turn.msg.sender, turn.now)
            ctx = turn.ctx
            await filing.submit(ctx, turn.uow, complaint, turn.now)
            turn.reset()
            own = ctx.view(turn.complainant, complaint)
            turn.say(receipt(own, ctx.unit_of(complaint), ctx.policy), MENU[1:3])

    def _offer_resume(self, turn: Turn, asking: Asking) -> None:
        offer = ResumeOffered(paused=asking.step, pending_text=turn.text, draft=asking.draft)
        turn.state = offer
        self._say_resume_offer(turn, offer)

    @staticmethod
    def _say_resume_offer(turn: Turn, offer: ResumeOffered) -> None:
        summary = shorten(offer.draft.description or texts.BTN_NEW, 60)
        turn.say(texts.RESUME_OFFER.format(summary=summary), RESUME_BUTTONS)

    async def _resume_answer(self, turn: Turn, offer: ResumeOffered) -> None:
        choice: ResumeChoice | None = None
        if turn.msg.button is not None:
            button = decode(turn.msg.button)
            choice = button.choice if isinstance(button, Resume) else None
        elif turn.text:
            words = turn.text.lower()
            choice = ResumeChoice.RESTART if "baru" in words else ResumeChoice.CONTINUE if "lanjut" in words else None
        if choice is ResumeChoice.CONTINUE:
            turn.say(texts.RESUMED)
            ask(turn, offer.draft, offer.paused, self.intake.config)
        elif choice is ResumeChoice.RESTART:
            pending = offer.pending_text
            parse = self.nlu.parse(pending, turn.now) if pending else None
            turn.say(texts.RESTARTED)
            self.intake.start(turn, parse if parse is not None and parse.intent == "new_complaint" else None)
        else:
            if turn.msg.button is not None:
                turn.say(texts.STALE_BUTTON)
            self._say_resume_offer(turn, offer)

    # --- the complainant answers the unit, rates the answer -------------------------------

    async def _answer_to_officer(self, turn: Turn, evidence: list[Media]) -> bool:
        """A message from someone whose complaint waits for their answer is that answer."""
        waiting = await followup.waiting_for(turn.uow, turn.msg.channel, turn.msg.sender)
        if waiting is None:
            return False
        await followup.provide_info(turn.ctx, turn.uow, waiting, turn.text, evidence, turn.now)
        turn.say(texts.INFO_FORWARDED.format(code=waiting.code))
        return True

    async def _rating_by_text(self, turn: Turn, satisfied: bool) -> bool:
        candidates = await followup.awaiting_rating(turn.uow, turn.msg.channel, turn.msg.sender)
        if not candidates:
            return False
        if len(candidates) > 1:
            turn.say(texts.WHICH_TO_RATE)
            return True
        await self._rate(turn, candidates[0].code, satisfied)
        return True

    async def _score_by_text(self, turn: Turn, score: int) -> bool:
        """"nilai 4" after rating: the SKM score of the complaint that still lacks one."""
        mine = await filing.list_for_sender(turn.uow, turn.msg.channel, turn.msg.sender)
        waiting = [c for c in mine if c.satisfied is not None and c.skm_score is None]
        if len(waiting) != 1 or score not in texts.SKM_LABELS:
            return False
        await self._rating_button(turn, Skm(waiting[0].code, score))
        return True

    async def _rating_button(self, turn: Turn, button: Rate | Skm) -> None:
        code = button.code
        try:
            match button:
                case Rate(satisfied=satisfied):
                    await self._rate(turn, code, satisfied)
                case Skm(score=score):
                    await followup.score(turn.ctx, turn.uow, code, turn.complainant, score, turn.now)
                    turn.say(texts.SKM_THANKS.format(label=texts.SKM_LABELS[score]))
        except (NotFound, NotAuthorised):
            turn.say(texts.STALE_BUTTON)
        except DomainError as error:
            if error.code == "not_scoreable":
                turn.say(texts.ALREADY_SCORED.format(code=code))
            else:
                turn.say(texts.NOT_RATEABLE.format(code=code, status=status_label(error.params["status"])))

    async def _rate(self, turn: Turn, code: str, satisfied: bool) -> None:
        complaint = await followup.rate(turn.ctx, turn.uow, code, turn.complainant, satisfied, turn.now)
        if satisfied:
            turn.say(texts.RATED_SATISFIED.format(code=code), skm_buttons(code))
            return
        level = reopen_level(complaint.reopen_count)
        unit = turn.ctx.unit_of(complaint)
        turn.say("\n".join([
            texts.RATED_UNSATISFIED.format(code=code, level=texts.LEVEL_AUDIENCE[level], unit=unit.name),
            texts.NEXT_STEP_ATASAN if level < TOP else texts.NEXT_STEP_OMBUDSMAN.format(code=code),
        ]))

    # --- status checks ------------------------------------------------------------------

    async def _check_status(self, turn: Turn, *, awaiting_code: bool = False) -> None:
        check = tracking.find_in_text(turn.text)
        if check is None and awaiting_code:  # the reply to "which code?": all of it is the code
            check = tracking.parse(turn.text)
        if check is None:
            turn.state = AwaitingCode()
            turn.say(texts.ASK_CODE)
            return
        if check.problem is not None:
            turn.say(texts.CODE_PROBLEMS[check.problem].format(typed=shorten(check.typed, 30)))
            return
        complaint = await turn.uow.complaints.get(check.code or "")
        if complaint is None:
            turn.say(texts.CODE_NOT_FOUND.format(code=check.code))
            return
        view = turn.ctx.view(turn.complainant, complaint)  # another chat reads the status only
        turn.say(status_view(view, turn.ctx.org.units.get(complaint.unit_id or "")))

    async def _my_complaints(self, turn: Turn) -> None:
        mine = await filing.list_for_sender(turn.uow, turn.msg.channel, turn.msg.sender)
        if not mine:
            turn.say(texts.NO_COMPLAINTS)
        else:
            turn.say(my_complaints([turn.ctx.view(turn.complainant, c) for c in mine], self.config.tz))
