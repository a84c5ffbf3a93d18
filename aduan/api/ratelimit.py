"""A token bucket per API key (or per client address without a key), in process.

Each bucket holds up to ``rate_per_minute`` tokens and refills at that rate; a request
takes one. The clock is injected, so tests move time by hand instead of sleeping.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucketLimiter:
    rate_per_minute: int
    clock: Callable[[], float] = time.monotonic
    max_buckets: int = 10_000  # the least recently used are forgotten (a full bucket is the default)
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict, repr=False)

    def take(self, key: str) -> float | None:
        """Take a token: None when allowed, else the seconds until the next token."""
        now = self.clock()
        capacity = float(self.rate_per_minute)
        per_second = capacity / 60.0
        tokens, last = self._buckets.pop(key, (capacity, now))
        tokens = min(capacity, tokens + max(now - last, 0.0) * per_second)
        wait = None
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / per_second
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)
        return wait
