"""One incoming message being handled: its dialog state, its replies, its unit of work, and
the organisation's snapshot it is handled with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from complaints.model import Actor
from complaints.notifications import Button
from complaints.ports import UnitOfWork
from complaints.taxonomy import Role
from complaints.usecases.context import CaseContext

from .messages import IncomingMessage, OutgoingMessage
from .state import IDLE, Asking, DialogState, ResumeOffered


@dataclass
class Turn:
    msg: IncomingMessage
    text: str  # cleaned text ("" for buttons, media or locations without caption)
    now: datetime
    uow: UnitOfWork
    state: DialogState  # as loaded; handlers replace it, the engine stores what it is at the end
    ctx: CaseContext  # the organisation as it is for this whole message
    replies: list[OutgoingMessage] = field(default_factory=list)

    def say(self, text: str, buttons: Sequence[Button] = ()) -> None:
        self.replies.append(OutgoingMessage(self.msg.channel, self.msg.sender, text, tuple(buttons)))

    @property
    def owner_id(self) -> str:
        return f"{self.msg.channel}:{self.msg.sender}"

    @property
    def complainant(self) -> Actor:
        """The sender as the domain sees a citizen acting on (or looking at) complaints."""
        return Actor(self.owner_id, Role.COMPLAINANT)

    @property
    def in_intake(self) -> bool:
        """A report is being drafted (a question waits, or the offer to resume it)."""
        return isinstance(self.state, Asking | ResumeOffered)

    def reset(self) -> None:
        self.state = IDLE
