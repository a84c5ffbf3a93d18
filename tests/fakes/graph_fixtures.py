"""The ``graph_api`` fixture: a fake WhatsApp Graph API server on 127.0.0.1.

One server runs for the whole session (starting uvicorn costs a few hundred ms); each test
gets it with nothing recorded, no media and no faults queued.
Register with ``pytest_plugins = ["tests.fakes.graph_fixtures"]`` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.graph_api import FakeGraphApi, running


@pytest.fixture(scope="session")
def graph_api_server() -> Iterator[FakeGraphApi]:
    with running() as fake:
        yield fake


@pytest.fixture
def graph_api(graph_api_server: FakeGraphApi) -> Iterator[FakeGraphApi]:
    graph_api_server.reset()
    yield graph_api_server
    graph_api_server.reset()
