"""A draft left for a while: offered to be continued or started anew before anything else."""

from __future__ import annotations

from nlu import Understanding

from . import texts
from .buttons import Resume, ResumeChoice, decode
from .intake import Intake
from .questions import ask
from .render.labels import shorten
from .state import Asking, ResumeOffered
from .turn import Turn

RESUME_BUTTONS = (
    Resume(ResumeChoice.CONTINUE).button(texts.BTN_CONTINUE),
    Resume(ResumeChoice.RESTART).button(texts.BTN_RESTART),
)


def offer(turn: Turn, asking: Asking) -> None:
    """The draft was left longer than the engine's ``resume_after``: continue or start anew?"""
    offered = ResumeOffered(paused=asking.step, pending_text=turn.text, draft=asking.draft)
    turn.state = offered
    say_offer(turn, offered)


def say_offer(turn: Turn, offered: ResumeOffered) -> None:
    summary = shorten(offered.draft.description or texts.BTN_NEW, 60)
    turn.say(texts.RESUME_OFFER.format(summary=summary), RESUME_BUTTONS)


def answer(turn: Turn, offered: ResumeOffered, intake: Intake, nlu: Understanding) -> None:
    choice: ResumeChoice | None = None
    if turn.msg.button is not None:
        button = decode(turn.msg.button)
        choice = button.choice if isinstance(button, Resume) else None
    elif turn.text:
        words = turn.text.lower()
        choice = ResumeChoice.RESTART if "baru" in words else ResumeChoice.CONTINUE if "lanjut" in words else None
    if choice is ResumeChoice.CONTINUE:
        turn.say(texts.RESUMED)
        ask(turn, offered.draft, offered.paused, intake.config)
    elif choice is ResumeChoice.RESTART:
        pending = offered.pending_text
        parse = nlu.parse(pending, turn.now) if pending else None
        turn.say(texts.RESTARTED)
        intake.start(turn, parse if parse is not None and parse.intent == "new_complaint" else None)
    else:
        if turn.msg.button is not None:
            turn.say(texts.STALE_BUTTON)
        say_offer(turn, offered)


def repeat(turn: Turn, intake: Intake) -> None:
    """The question that waits, asked again (or the offer to resume, when that waits)."""
    if isinstance(turn.state, ResumeOffered):
        say_offer(turn, turn.state)
    else:
        intake.reprompt(turn)
