"""One incoming message being handled: its dialog state, its replies, its unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from complaints.model import Actor
from complaints.notifications import Button
from complaints.ports import UnitOfWork
from complaints.taxonomy import Role

from .messages import IncomingMessage, OutgoingMessage


@dataclass
class Turn:
    msg: IncomingMessage
    text: str  # cleaned text ("" for buttons, media or locations without caption)
    now: datetime
    uow: UnitOfWork
    state: dict[str, Any]
    replies: list[OutgoingMessage] = field(default_factory=list)

    def say(self, text: str, buttons: tuple[Button, ...] | list[Button] = ()) -> None:
        self.replies.append(OutgoingMessage(self.msg.channel, self.msg.sender, text, tuple(buttons)))

    @property
    def owner_id(self) -> str:
        return f"{self.msg.channel}:{self.msg.sender}"

    @property
    def complainant(self) -> Actor:
        """The sender as the domain sees a citizen acting on (or looking at) complaints."""
        return Actor(self.owner_id, Role.COMPLAINANT)

    @property
    def draft(self) -> dict[str, Any]:
        return self.state.setdefault("draft", {})

    @property
    def in_intake(self) -> bool:
        return self.state.get("mode") == "intake"

    def reset(self) -> None:
        self.state.clear()
