"""Browser tests: the real ``aduan serve`` and ``aduan chat --jsonl`` on one SQLite file,
driven by Debian's ``chromium`` through Playwright for Python (nothing is downloaded).

- ``stack`` (module): a migrated data directory, the HTTP server (``aduan serve
  --no-scheduler`` on a free port, ready when /healthz answers) and the terminal channel
  (``aduan chat --jsonl``, which also delivers the console channel's queued messages, so a
  status change made in the browser arrives on its stdout). Both are stopped afterwards.
- ``browser`` (module): chromium at ``shutil.which("chromium")``. Missing: the tests are
  skipped, or fail when CI=true (``.ci/run`` installs the package).
- ``phone``: a function that opens a phone-sized page (390×844 CSS pixels, scale 2), signed
  in as an officer (by a one-time link asked for with /masuk in the officer's chat, once per
  officer; later pages reuse the cookies) or not signed in.
- ``screenshot(page, name)``: saves the page under ``artifacts/screenshots/`` for a person.

The sync Playwright API is used from plain ``def`` tests (pytest-asyncio's auto mode leaves
them alone); its own event loop lives only as long as this module's tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

BIN = Path(sys.executable).parent
ADUAN = str(BIN / "aduan")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
READY_TIMEOUT_S = 20
CHAT_TIMEOUT_S = 15
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
# the demo organisation's officers (aduan/demo/organisation.yaml)
NAMES = {"admin-pusat": "Rina Wulandari", "petugas-dsdabm": "Agus Setiawan", "petugas-dlh": "Siti Rahmawati",
         "supervisor-dsdabm": "Dewi Lestari", "kepala-pusat": "Hendra Saputra"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skipped on a developer's machine; a failure on CI, where the browser must be there."""
    if in_ci():
        pytest.fail(f"browser tests are required when CI=true: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen[Any], wait_s: float = 10) -> None:
    """Ctrl+C, then a kill if it does not end in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=wait_s)


class ChatProcess:
    """``aduan chat --jsonl``: lines written to its stdin, its JSON lines read by a thread."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.log = cwd / "chat.err"
        self._stderr = self.log.open("w")
        self.process = subprocess.Popen(
            [ADUAN, "chat", "--jsonl", "--poll", "0.5"], env=env, cwd=cwd, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1)
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.received: list[dict[str, Any]] = []  # every line so far, in order
        self._taken: set[int] = set()  # indices of lines a wait_for has already returned
        self._reader = threading.Thread(target=self._read, name="aduan-chat-stdout", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                try:
                    self.lines.put(json.loads(line))
                except ValueError:
                    self.lines.put({"raw": line.rstrip("\n")})

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None and self.process.poll() is None, _tail(self.log)
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def wait_for(self, matches: Callable[[dict[str, Any]], bool], what: str,
                 timeout: float = CHAT_TIMEOUT_S) -> dict[str, Any]:
        """The first line not yet returned that ``matches``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        checked = 0
        while True:
            for index in range(checked, len(self.received)):
                if index not in self._taken and matches(self.received[index]):
                    self._taken.add(index)
                    return self.received[index]
            checked = len(self.received)
            left = deadline - time.monotonic()
            if left <= 0:
                recent = "\n".join(json.dumps(line, ensure_ascii=False)[:300] for line in self.received[-8:])
                raise AssertionError(f"the chat did not print {what} within {timeout} s; last lines:\n{recent}\n"
                                     f"stderr:\n{_tail(self.log)}")
            with contextlib.suppress(queue.Empty):
                self.received.append(self.lines.get(timeout=min(left, 0.5)))

    def messages_to(self, recipient: str) -> list[str]:
        """The texts sent to ``recipient`` so far (what has been read from stdout)."""
        while True:
            try:
                self.received.append(self.lines.get_nowait())
            except queue.Empty:
                break
        return [line["text"] for line in self.received if line.get("to") == recipient]

    def file_complaint(self, sender: str, text: str, name: str = "Budi Santoso",
                       phone: str = "081234567890") -> str:
        """A citizen reports in one message (the channel's profile gives name and phone) and
        presses "Kirim"; the tracking code of the receipt."""
        self.send({"from": sender, "text": text, "profile": {"name": name, "phone": phone}})
        self.wait_for(lambda line: line.get("to") == sender
                      and any(b["id"] == "confirm:send" for b in line.get("buttons", [])),
                      f"the summary with a Kirim button for {sender}")
        self.send({"from": sender, "button": "confirm:send"})
        receipt = self.wait_for(lambda line: line.get("to") == sender and bool(CODE.search(line.get("text", ""))),
                                f"the receipt with a tracking code for {sender}")
        found = CODE.search(receipt["text"])
        assert found
        return found.group(0)

    def stop(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # end of input: the chat delivers what is queued and ends
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(self.process)
        self._reader.join(timeout=5)
        self._stderr.close()


@dataclass
class Stack:
    """The running server and chat on one data directory."""

    url: str
    env: dict[str, str]
    cwd: Path
    chat: ChatProcess
    server: subprocess.Popen[Any]
    server_log: Path
    sessions: dict[str, Any] = field(default_factory=dict)  # officer id: the browser's storage state

    def aduan(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([ADUAN, *args], env=self.env, cwd=self.cwd, capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 0, f"aduan {' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
        return done

    def login_link(self, officer_id: str) -> str:
        """A one-time sign-in link, as ``aduan officer login-link`` prints it."""
        out = self.aduan("officer", "login-link", officer_id).stdout
        links = [line.strip() for line in out.splitlines() if line.startswith("http")]
        assert len(links) == 1, out
        assert links[0].startswith(self.url + "/petugas/masuk/"), links[0]
        return links[0]

    def chat_link(self, officer_id: str) -> str:
        """A one-time sign-in link asked for with /masuk in the officer's chat (the running
        terminal channel: no process to start)."""
        self.chat.send({"from": officer_id, "text": "/masuk"})
        reply = self.chat.wait_for(lambda line: line.get("to") == officer_id and "/petugas/masuk/" in line.get("text", ""),
                                   f"a sign-in link for {officer_id}")
        found = re.search(re.escape(self.url) + r"/petugas/masuk/\S+", reply["text"])
        assert found, reply["text"]
        return found.group(0)


def _environment(data: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ADUAN_")}
    env.update({
        "ADUAN_DATA_DIR": str(data),
        "ADUAN_MEDIA_DIR": str(data / "media"),
        "ADUAN_HTTP_HOST": "127.0.0.1",
        "ADUAN_HTTP_PORT": str(port),
        "ADUAN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _start_server(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[str]:
    """``aduan serve --no-scheduler``, its stderr copied to ``log`` by a thread that also
    reports the line it prints once started (bot.texts.SERVE_STARTED names /healthz)."""
    server = subprocess.Popen([ADUAN, "serve", "--no-scheduler"], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, bufsize=1)
    started: queue.Queue[str] = queue.Queue()

    def copy() -> None:
        assert server.stderr is not None
        with log.open("w") as out:
            for line in server.stderr:
                out.write(line)
                out.flush()
                if "/healthz" in line:
                    started.put(line)
        started.put("")  # the process ended

    threading.Thread(target=copy, name="aduan-serve-stderr", daemon=True).start()
    try:
        said = started.get(timeout=READY_TIMEOUT_S)
    except queue.Empty:
        server.kill()
        raise AssertionError(f"aduan serve did not start within {READY_TIMEOUT_S} s:\n{_tail(log)}") from None
    if not said:
        raise AssertionError(f"aduan serve ended ({server.wait()}):\n{_tail(log)}")
    return server


def _check_ready(url: str, log: Path) -> None:
    """/healthz answers: the port is bound right after the start-up line; the transport
    retries a refused connection meanwhile (httpx's own back-off, no sleep of ours)."""
    with httpx.Client(transport=httpx.HTTPTransport(retries=8), timeout=READY_TIMEOUT_S) as client:
        answer = client.get(f"{url}/healthz")
    assert answer.status_code == 200, f"/healthz: {answer.status_code}\n{_tail(log)}"


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium (and the playwright package); a skip or, on CI, a failure without."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -e '.[test]')")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        skip_or_fail("chromium is not installed (apt-get install -y chromium)")
    assert path is not None
    return path


@pytest.fixture(scope="module")
def stack(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    cwd = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = _environment(cwd / "data", port)
    url = env["ADUAN_PUBLIC_BASE_URL"]
    migrated = subprocess.run([ADUAN, "migrate"], env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
                              check=False)
    assert migrated.returncode == 0, migrated.stderr
    server_log = cwd / "serve.err"
    chat = ChatProcess(env, cwd)  # starts while the server does
    server = None
    try:
        server = _start_server(env, cwd, server_log)
        _check_ready(url, server_log)
        yield Stack(url, env, cwd, chat, server, server_log)
    finally:
        chat.stop()
        if server is not None:
            _stop(server)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def phone(browser: Any, stack: Stack) -> Iterator[Callable[..., Any]]:
    """``phone(officer_id=None, *, fresh=False)``: a new phone-sized page; signed in as the
    officer (by link the first time, then with that session's cookies; ``fresh``: always by
    a new link) or, without an officer, signed out."""
    from playwright.sync_api import expect

    contexts: list[Any] = []

    def open_page(officer_id: str | None = None, *, fresh: bool = False) -> Any:
        reuse = officer_id is not None and not fresh and officer_id in stack.sessions
        context = browser.new_context(**PHONE, storage_state=stack.sessions[officer_id] if reuse else None)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if officer_id is not None and not reuse:
            page.goto(stack.chat_link(officer_id))
            page.get_by_role("button", name=f"Masuk sebagai {NAMES[officer_id]}").click()
            expect(page).to_have_url(f"{stack.url}/petugas/")
            if not fresh:
                stack.sessions[officer_id] = context.storage_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Any, name: str, *, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
