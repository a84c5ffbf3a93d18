"""The design's own rules, checked on the code (ARCHITECTURE.md):

- one Telegram update crosses few project modules between the webhook and the commit: the
  modules on the call stack whenever the update's data is written to the unit of work (a
  complaint added or saved, a notice queued, the dialog stored, the update recorded) and
  when it commits, for each update of a whole complaint filed through the real webhook
  route. Helpers consulted on the way (a label, the calendar) are not on that path;
- no source module is over 400 lines (data modules aside);
- each layer imports only what it may.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from bot.channels.telegram import SECRET_HEADER
from storage.messaging import SqlDialogRepository, SqlInboxRepository, SqlOutboxRepository
from storage.repositories import SqlComplaintRepository
from storage.uow import SqlUnitOfWork
from tests.chat_harness import Clock, make_app
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.telegram_chat import TelegramChat
from tests.webhook_harness import webhook_stack

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("aduan", "bot", "complaints", "nlu", "scheduler", "storage")
MAX_MODULES_TO_COMMIT = 12
MAX_LINES = 400
# data, not code: the migrations are frozen history
DATA_MODULES = ("storage/migrations/versions/",)
SECRET = "rahasia-webhook-arsitektur"


def project_module_of(function: Any) -> str:
    module = project_path(Path(function.__code__.co_filename))
    assert module is not None
    return module


def project_module(frame: FrameType) -> str | None:
    return project_path(Path(frame.f_code.co_filename))


def project_path(path: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(ROOT)
    except ValueError:
        return None
    return relative.as_posix() if relative.parts[0] in PACKAGES else None


# where an update's data enters the transaction, and where it commits
WRITES = (
    (SqlUnitOfWork, "commit"),
    (SqlComplaintRepository, "add"),
    (SqlComplaintRepository, "save"),
    (SqlOutboxRepository, "add"),
    (SqlDialogRepository, "put"),
    (SqlDialogRepository, "delete"),
    (SqlInboxRepository, "arrive"),
    (SqlInboxRepository, "first_time"),
)


@dataclass
class Paths:
    """Per update: the project modules on the stack at each write and at the commit."""

    updates: list[list[str]] = field(default_factory=list)

    def record(self, callee: str) -> None:
        modules: list[str] = []
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            module = project_module(frame)
            if module is not None and module not in modules:
                modules.append(module)
            frame = frame.f_back
        path = [*modules[::-1], callee]
        current = self.updates[-1]
        current.extend(m for m in path if m not in current)

    def watch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for cls, name in WRITES:
            real = getattr(cls, name)
            callee = project_module_of(real)

            def patched(*args: Any, _real: Any = real, _callee: str = callee, **kwargs: Any) -> Any:
                self.record(_callee)
                return _real(*args, **kwargs)

            monkeypatch.setattr(cls, name, patched)


@dataclass(kw_only=True)
class WebhookChat(TelegramChat):
    """The citizen's chat, every update posted to the real webhook route."""

    http: object = None

    async def feed(self, update: dict) -> None:
        response = await self.http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200


@pytest.fixture
async def chat(engine, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
               tmp_path: Path) -> AsyncIterator[WebhookChat]:
    app = await make_app(engine)
    clock = Clock()
    async with webhook_stack(app, clock, telegram_api, graph_api, tmp_path / "media", SECRET) as stack:
        yield WebhookChat(telegram_api, app, clock, tmp_path / "media", http=stack.http)


async def test_one_telegram_update_crosses_few_modules_from_the_webhook_to_the_commit(
        chat: WebhookChat, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths()
    paths.watch(monkeypatch)

    async def update(send: Callable[[], Awaitable[str]]) -> str:
        paths.updates.append([])
        return await send()

    await update(lambda: chat.command("start"))
    await update(lambda: chat.says(
        "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor 0812-3456-7890"))
    assert "confirm:send" in chat.buttons, chat.last  # the summary at once
    assert "nama" in (await update(lambda: chat.presses("confirm:send"))).lower()  # "Kirim": the name first
    receipt = await update(lambda: chat.says("Budi Santoso"))  # and then it is filed
    assert "LPR-" in receipt

    for path in paths.updates:  # each went from the webhook route down to the commit
        assert path[0] == "aduan/http.py" and "bot/channels/telegram.py" in path, path
        assert "storage/uow.py" in path and "storage/messaging.py" in path, path
    filing = paths.updates[-1]
    assert "storage/repositories.py" in filing, filing  # the complaint itself was written
    widest = max(paths.updates, key=len)
    print("modules from the webhook to the commit:", len(widest), widest)
    assert len(widest) <= MAX_MODULES_TO_COMMIT, "\n".join(widest)


def source_modules() -> list[Path]:
    return sorted(p for package in (*PACKAGES, "benchmarks") for p in (ROOT / package).rglob("*.py"))


def test_no_source_module_is_over_400_lines() -> None:
    long = {p.relative_to(ROOT).as_posix(): n for p in source_modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
            and not p.relative_to(ROOT).as_posix().startswith(DATA_MODULES)}
    assert long == {}


# what each layer may import from the project (ARCHITECTURE.md); the composition root
# (aduan) may import everything
MAY_IMPORT: dict[str, frozenset[str]] = {
    "complaints": frozenset({"complaints"}),
    "nlu": frozenset({"nlu", "complaints"}),
    "storage": frozenset({"storage", "complaints"}),
    "scheduler": frozenset({"scheduler", "complaints"}),
    "bot": frozenset({"bot", "complaints", "nlu"}),
}


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = {p.relative_to(ROOT).as_posix(): sorted(imported_packages(p) - MAY_IMPORT[layer])
             for p in sorted((ROOT / layer).rglob("*.py"))}
    assert {module: names for module, names in wrong.items() if names} == {}
