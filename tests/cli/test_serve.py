"""``aduan serve`` as an office runs it: Telegram by long polling against the fake Bot API,
the HTTP server's health check, and the scheduler in the same process."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

ADUAN = str(Path(sys.executable).parent / "aduan")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_telegram_by_polling_and_reports_health(telegram_api, database_url, engine, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "ADUAN_DATABASE_URL": database_url,
        "ADUAN_DATA_DIR": str(tmp_path),
        "ADUAN_MEDIA_DIR": str(tmp_path / "media"),
        "ADUAN_HTTP_PORT": str(port),
        "ADUAN_TELEGRAM_BOT_TOKEN": telegram_api.token,
        "ADUAN_TELEGRAM_API_BASE": telegram_api.url,
    }
    server = subprocess.Popen([ADUAN, "serve"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        started = server.stderr.readline()
        assert "kanal telegram" in started, started
        telegram_api.inject_update(telegram_api.text_update(4242, "halo"))
        [greeting] = telegram_api.wait_for_texts(4242, 1)
        assert "selamat datang" in greeting.lower()
        telegram_api.inject_update(telegram_api.text_update(4242, "cek LPR-7KQ3-M9"))
        replies = telegram_api.wait_for_texts(4242, 2)
        assert "salah ketik" in replies[1]
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.status_code == 200 and health.json() == {"status": "ok"}
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 0
