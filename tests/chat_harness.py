"""Drive the engine as a citizen would, with a clock the test moves by hand."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aduan.bootstrap import App, bootstrap
from aduan.settings import Settings
from bot.messages import IncomingMessage, Media, OutgoingMessage
from complaints.notifications import Notification

WIB = ZoneInfo("Asia/Jakarta")
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")  # a tracking code in a reply
# Monday 23 November 2026, 09:00 WIB
START = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class FakeTime:
    """A monotonic clock and its sleep, for rate limiters: sleeping moves the time at once."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def make_app(engine, seed: int = 1) -> App:
    return await bootstrap(Settings(), db=engine, migrate=False, rng=random.Random(seed))


async def stored(app: App, code: str):
    """The complaint as the database holds it now."""
    async with app.uow() as uow:
        return await uow.complaints.get(code)


@dataclass
class RecordingSender:
    sent: list[Notification] = field(default_factory=list)

    async def send(self, notification: Notification) -> None:
        self.sent.append(notification)


@dataclass
class Citizen:
    app: App
    clock: Clock
    sender: str = "warga-1"
    channel: str = "console"
    replies: list[OutgoingMessage] = field(default_factory=list)

    async def send(self, text=None, *, button=None, location=None, media=None) -> list[OutgoingMessage]:
        msg = IncomingMessage(self.channel, self.sender, text=text, button=button, location=location, media=media)
        self.replies = await self.app.conversation.handle(msg, self.clock())
        assert all(r.recipient == self.sender for r in self.replies)
        self.clock.advance(seconds=20)
        return self.replies

    async def says(self, text: str) -> str:
        await self.send(text)
        return self.last

    async def presses(self, button: str) -> str:
        await self.send(button=button)
        return self.last

    async def photo(self, ref: str, caption: str = "") -> str:
        await self.send(media=Media("photo", ref, caption))
        return self.last

    @property
    def last(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def buttons(self) -> list[str]:
        return [b.id for r in self.replies for b in r.buttons]

    async def state(self) -> dict:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get(self.channel, self.sender)
        return record.state if record else {}


async def outbox_to(app: App, recipient: str) -> list[str]:
    """The texts queued for ``recipient`` (claimed far in the future, so every one is due)."""
    async with app.uow() as uow:
        items = await uow.outbox.claim(None, Clock().now.replace(year=2030), limit=500)
    return [item.notification.text for item in items if item.notification.recipient == recipient]


async def dispose(app: App, code: str, now: datetime, *, take_up: str | None = None) -> None:
    """The central admin disposes the case to its suggested unit; with ``take_up``, the
    sanitation office's officer (petugas-dlh) takes it up with that note."""
    from complaints.taxonomy import Status
    from complaints.usecases import casework

    async with app.uow() as uow:
        admin = app.org.officers["admin-pusat"].actor
        await casework.change_status(app.context(), uow, code, Status.DIDISPOSISIKAN, admin, now)
        if take_up is not None:
            officer = app.org.officers["petugas-dlh"].actor
            await casework.change_status(app.context(), uow, code, Status.DIPROSES, officer, now, take_up)
        await uow.commit()
