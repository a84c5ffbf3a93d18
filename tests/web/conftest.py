from collections.abc import AsyncIterator

import pytest

from tests.web_harness import Console, console_for


@pytest.fixture
async def console(engine) -> AsyncIterator[Console]:
    async with console_for(engine) as found:
        yield found
