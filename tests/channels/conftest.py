"""The corpus rig (tests/channels/corpus/rig.py) for the two corpus modules: parametrized
indirectly with the backend ("sqlite" | "postgresql"), one database per module and backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi

from .corpus.rig import Rig, rig_on


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def corpus_rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                     telegram_api_server: FakeTelegramApi, graph_api_server: FakeGraphApi) -> AsyncIterator[Rig]:
    folder: Path = tmp_path_factory.mktemp(f"corpus-{request.module.__name__.rsplit('.', 1)[-1]}-{request.param}")
    async with rig_on(request.param, folder, telegram_api_server, graph_api_server) as shared:
        yield shared
