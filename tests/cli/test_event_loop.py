"""aduan runs on uvloop (aduan/loop.py): ``aduan serve`` and every command, through
``run_with_app``; asyncio's own loop where uvloop cannot be imported."""

from __future__ import annotations

import asyncio
import sys

import pytest
import uvloop

from aduan import loop
from aduan.commands import common


async def running_loop() -> type[asyncio.AbstractEventLoop]:
    return type(asyncio.get_running_loop())


def test_aduan_runs_on_uvloop() -> None:
    assert loop.run(running_loop()) is uvloop.Loop


def test_without_uvloop_it_runs_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # "import uvloop" raises ImportError
    ran_on = loop.run(running_loop())
    assert ran_on is not uvloop.Loop and issubclass(ran_on, asyncio.BaseEventLoop)


def test_the_commands_run_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []

    def recorded(main):  # type: ignore[no-untyped-def]
        used.append(main.__qualname__)
        main.close()

    monkeypatch.setattr(loop, "run", recorded)
    common.run_with_app(lambda app: running_loop())  # type: ignore[arg-type,return-value]
    assert used == ["run_with_app.<locals>.main"]
