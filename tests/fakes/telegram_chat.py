"""A citizen's private chat with the bot, as the fake Bot API sees it; each adapter's tests
say how an update reaches the bot (``feed``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.chat_harness import Clock

from .telegram_api import FakeTelegramApi

CITIZEN = 5550001


@dataclass
class TelegramChat:
    api: FakeTelegramApi
    app: Any  # aduan.bootstrap.App
    clock: Clock
    media_dir: Path
    chat_id: int = CITIZEN
    seen: int = 0
    replies: list[dict] = field(default_factory=list)

    async def feed(self, update: dict) -> None:
        raise NotImplementedError

    async def deliver(self, update: dict) -> list[dict]:
        """The update arrives; returns the bot's new messages to the chat."""
        await self.feed(update)
        self.clock.advance(seconds=20)
        messages = self.api.messages_to(self.chat_id)
        self.replies, self.seen = messages[self.seen:], len(messages)
        return self.replies

    async def says(self, text: str) -> str:
        await self.deliver(self.api.text_update(self.chat_id, text))
        return self.last

    async def command(self, name: str, args: str = "") -> str:
        await self.deliver(self.api.command_update(self.chat_id, name, args))
        return self.last

    async def presses(self, data: str) -> str:
        await self.deliver(self.api.callback_update(self.chat_id, data))
        return self.last

    @property
    def last(self) -> str:
        return "\n".join(m["text"] for m in self.replies)

    @property
    def said(self) -> list[str]:
        """The texts of the replies to the last update, one by one."""
        return [m["text"] for m in self.replies]

    @property
    def buttons(self) -> list[str]:
        return [d for m in self.replies for d in self.api.button_data(m)]

    async def state(self) -> dict:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get("telegram", str(self.chat_id))
        return record.state if record else {}

    def stored_files(self) -> list[Path]:
        return sorted(p for p in self.media_dir.rglob("*") if p.is_file())
