"""Pytest fixtures for the fake Telegram Bot API; register with
``pytest_plugins = ["tests.fakes.telegram_fixtures"]`` in tests/conftest.py.

- ``telegram_api_server``: one server for the session (starting uvicorn takes a moment).
- ``telegram_api``: that server, emptied before each test (calls, messages, files, updates,
  faults, limits).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .telegram_api import FakeTelegramApi


@pytest.fixture(scope="session")
def telegram_api_server() -> Iterator[FakeTelegramApi]:
    api = FakeTelegramApi().start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture
def telegram_api(telegram_api_server: FakeTelegramApi) -> Iterator[FakeTelegramApi]:
    telegram_api_server.reset()
    yield telegram_api_server
    telegram_api_server.reset()
