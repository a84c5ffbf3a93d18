"""The event loop aduan runs on: uvloop where it is installed (it is a dependency on Linux
and macOS), else asyncio's own.

uvloop (libuv, by asyncpg's authors) does the event loop's own work (sockets, timers,
callbacks from other threads) in C: on PostgreSQL with two workers a message costs 5-10 %
less of a worker's CPU and the pipeline handles 4-12 % more messages a second
(benchmarks/README.md, 8 December). ``aduan serve`` and every command run on it, and so do
the benchmarks that measure them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on uvloop's loop when uvloop is installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
