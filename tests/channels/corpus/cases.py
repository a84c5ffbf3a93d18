"""What a corpus case is, and how one is run and checked (the same for both channels).

A :class:`Case` builds one webhook body (a Telegram update, a WhatsApp payload) for a chat
of its own, and says what must follow: the replies (exact texts, :class:`Like` for a text
that contains some words, :data:`QUESTION` for the question that was pending, ``None`` for
any text; ``()`` is silence; ``None`` instead of the tuple: any reply at all), whether the delivery was recorded by the engine
(``inbound_updates``: deduplication, throttling, WhatsApp's 24-hour window), and what became
of the chat's dialog: ``"none"`` (no dialog), ``"same"`` (as it was before), ``"intake"``
(a draft under way). ``mid_intake`` cases first start a complaint, so a question waits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from .rig import Rig, Sent

# Words that start a draft and leave a question waiting (the summary, here)
INTAKE_TEXT = "lampu jalan di gang 5 kebraon mati sudah seminggu, gelap sekali kalau malam"


@dataclass(frozen=True)
class Like:
    """A reply that contains ``words``."""

    words: str


class _Question:
    def __repr__(self) -> str:
        return "QUESTION"


QUESTION = _Question()  # the question that waited before the case, asked again
Expected = str | Like | _Question | None  # None: any text


@dataclass
class Chat:
    """The chat a case writes from (made fresh for each case); ``extra`` is the channel's."""

    channel: str
    sender: str  # the chat id / the number, as the engine keys the dialog
    group: str  # a group this citizen writes in, as the engine keys it
    text: Callable[[str], dict[str, Any]]  # a plain text message from the chat
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Chat], dict[str, Any]]
    replies: tuple[Expected, ...] | None
    recorded: bool
    dialog: Literal["none", "same", "intake"]
    mid_intake: bool = False
    to_group: bool = False  # the replies go to the group, not to the citizen's chat
    postgresql: bool = False  # also run on PostgreSQL (the representative subset)
    check: Callable[[Rig, Chat, list[Sent]], Awaitable[None]] | None = None


def matches(expected: Expected, sent: Sent, question: str | None) -> bool:
    if expected is None:
        return True
    if isinstance(expected, _Question):
        return question is not None and sent.text == question
    if isinstance(expected, Like):
        return expected.words in sent.text
    return sent.text == expected


async def run(rig: Rig, chat: Chat, case: Case, update_ids: Callable[[dict[str, Any]], Sequence[str]]) -> None:
    """Post the case through the webhook and check the replies and what is stored."""
    question = None
    if case.mid_intake:
        started = await rig.post(chat.channel, chat.text(INTAKE_TEXT))
        assert started, "the complaint got no reply"
        question = started[-1].text
    before = await rig.dialog(chat.channel, chat.sender)
    payload = case.build(chat)
    sent = await rig.post(chat.channel, payload)

    said = [s.text for s in sent]
    if case.replies is None:
        assert sent, "a reply was expected"
    else:
        assert len(sent) == len(case.replies) and all(
            matches(e, s, question) for e, s in zip(case.replies, sent, strict=True)
        ), f"expected {case.replies!r}, got {said!r}"
    recipient = chat.group if case.to_group else chat.sender
    assert all(s.to == recipient for s in sent), [s.to for s in sent]

    for update_id in update_ids(payload):
        assert await rig.recorded(chat.channel, update_id) is case.recorded, update_id
    after = await rig.dialog(chat.channel, chat.sender)
    if case.dialog == "none":
        assert after is None, after
    elif case.dialog == "same":
        assert after == before
    else:
        assert after is not None and after != before and after.get("mode") == "intake", after
    if case.check is not None:
        await case.check(rig, chat, sent)


def ids(cases: Sequence[Case]) -> list[Any]:
    return [pytest.param(c, id=c.id) for c in cases]


def on_postgresql(cases: Sequence[Case]) -> list[Any]:
    """The representative subset run on PostgreSQL too."""
    return [pytest.param(c, id=c.id) for c in cases if c.postgresql]
