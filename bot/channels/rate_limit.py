"""A rate limiter for outbound chat messages: so many a second in total, one per chat
every so often (Telegram: about 30 a second, one a second per chat)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

Sleep = Callable[[float], Awaitable[Any]]


# Telegram counts a message when the request reaches it; the limiter gives the slot before
# the request leaves. Requests take different times on the way (the network, a busy event
# loop), so two given exactly a second apart can arrive 0.99 s apart and the second is
# refused (429). Slots given evenly spaced (not 30 at once, then a pause) arrive spread
# out as well; widening both windows by 50 ms absorbs what is left, and still allows
# 30 / 1.05 = 28.6 messages a second (benchmarks/relay.py measures it).
TELEGRAM_MARGIN = 0.05


class RateLimiter:
    """At most ``per_second`` sends in any second and one per chat every
    ``per_chat_interval`` seconds; ``margin`` lengthens both (the second and the chat's
    interval) by that many seconds. ``evenly``: slots at least a ``per_second``-th of the
    (lengthened) second apart, instead of a second's worth at once. Callers wait (with
    ``sleep``) for their slot; the clock and the sleep are injectable, so tests move time
    by hand."""

    def __init__(
        self,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        *,
        margin: float = 0.0,
        evenly: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.margin = margin
        self.spacing = (1.0 + margin) / per_second if evenly else 0.0
        self.clock = clock
        self.sleep = sleep
        # the latest slots given, in order; each a one-item list, moved later when its
        # sender was woken late (the message left then, and counts from then)
        self._slots: deque[list[float]] = deque(maxlen=per_second)
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
            if self.spacing and self._slots:
                slot = max(slot, self._slots[-1][0] + self.spacing)
            if len(self._slots) == self.per_second:
                slot = max(slot, self._slots[0][0] + 1.0 + self.margin)
            given = [slot]
            self._slots.append(given)  # slots are given in time order: see the tests
            self._chat_next[chat] = slot + self.per_chat_interval + self.margin
            if slot > now:
                await self.sleep(slot - now)
                woke = self.clock()
                if woke > slot:  # a busy event loop woke us late: the message leaves now
                    given[0] = woke
                    self._chat_next[chat] = woke + self.per_chat_interval + self.margin
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


def telegram_limiter() -> RateLimiter:
    """Telegram's limits (30 messages a second, one a second per chat), slots evenly
    spaced and with the margin for the way there: what the Telegram senders should use."""
    return RateLimiter(30, 1.0, margin=TELEGRAM_MARGIN, evenly=True)
