"""A rate limiter for outbound chat messages: so many a second in total, one per chat
every so often (Telegram: about 30 a second, one a second per chat)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

Sleep = Callable[[float], Awaitable[Any]]


class RateLimiter:
    """At most ``per_second`` sends in any second and one per chat every
    ``per_chat_interval`` seconds. Callers wait (with ``sleep``) for their slot; the clock
    and the sleep are injectable, so tests move time by hand."""

    def __init__(
        self,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.sleep = sleep
        self._slots: deque[float] = deque(maxlen=per_second)  # the latest slots given, in order
        self._chat_next: dict[str, float] = {}
        self._chat_locks: dict[str, asyncio.Lock] = {}

    async def acquire(self, chat: str) -> float:
        """Wait until a message to ``chat`` may be sent; returns the slot's time."""
        lock = self._chat_locks.setdefault(chat, asyncio.Lock())
        async with lock:  # one message to a chat at a time, so the spacing holds
            now = self.clock()
            while (chat_wait := self._chat_next.get(chat, now) - now) > 0:  # again only if woken early
                await self.sleep(chat_wait)
                now = self.clock()
            slot = now
            if len(self._slots) == self.per_second:
                slot = max(slot, self._slots[0] + 1.0)
            self._slots.append(slot)  # slots are given in time order: see the tests
            self._chat_next[chat] = slot + self.per_chat_interval
            if slot > now:
                await self.sleep(slot - now)
        self._forget_idle(now)
        return slot

    def _forget_idle(self, now: float) -> None:
        if len(self._chat_next) < 1000:
            return
        for chat in [c for c, t in self._chat_next.items() if t <= now]:
            lock = self._chat_locks.get(chat)
            if lock is None or not lock.locked():
                self._chat_next.pop(chat, None)
                self._chat_locks.pop(chat, None)
