"""What the app writes to disk is private: the SQLite database (and its -wal and -shm) with
mode 0600, citizens' photos and documents with mode 0600, in folders of mode 0700. Checked
on a fresh folder through the real entry points (bootstrap, then the channels the settings
open, receiving a photo from the fake Bot API and the fake Graph API), with the umask at 0
so that no mode comes from it; and on folders that exist already, which are tightened only
where they are the app's own."""

from __future__ import annotations

import os
import random
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from aduan.bootstrap import bootstrap
from aduan.channels import open_channels
from aduan.settings import Settings
from bot.channels.telegram import SECRET_HEADER
from storage.database import create_engine
from tests.fakes import media_files
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, signed
from tests.fakes.telegram_api import FakeTelegramApi

SECRET = "rahasia-izin-berkas"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def test_a_fresh_install_keeps_the_database_and_media_private(
    tmp_path: Path, open_umask: None, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi
) -> None:
    data = tmp_path / "data"
    graph_api.media_origin = graph_api.cdn_origin
    graph_api.add_media("4242", media_files.jpeg())
    settings = Settings(
        data_dir=data, media_dir=data / "media",
        telegram_bot_token=telegram_api.token, telegram_api_base=telegram_api.url,
        telegram_webhook_url="https://aduan.test/telegram/webhook", telegram_webhook_secret=SECRET,
        whatsapp_access_token=graph_api.access_token, whatsapp_phone_number_id=graph_api.phone_number_id,
        whatsapp_verify_token=graph_api.verify_token, whatsapp_app_secret=graph_api.app_secret,
        whatsapp_api_base=graph_api.base_url, whatsapp_media_hosts=[graph_api.cdn_origin],
    )
    app = await bootstrap(settings, rng=random.Random(3))  # creates and migrates data/aduan.db
    channels = await open_channels(app)
    try:
        web = Starlette(routes=channels.routes)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
            update, _ = telegram_api.photo_update(5550123, media_files.jpeg((320, 240)), caption="lubang")
            response = await http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200
            body, headers = signed(WhatsAppUser("6281200001111").image("4242"), graph_api.app_secret)
            assert (await http.post("/whatsapp/webhook", content=body, headers=headers)).status_code == 200
        assert any("foto sudah kami lampirkan" in t for t in telegram_api.texts_to(5550123))
        assert any("foto sudah kami lampirkan" in t for t in graph_api.texts_to("6281200001111"))

        database = data / "aduan.db"
        files = [database, database.with_name("aduan.db-wal"), database.with_name("aduan.db-shm")]
        media = sorted(p for p in (data / "media").rglob("*") if p.is_file())
        folders = [data, *sorted(p for p in (data / "media").rglob("*") if p.is_dir()), data / "media"]
        assert len(media) == 2 and {p.suffix for p in media} == {".jpg"}
        assert {str(p.relative_to(data)): oct(mode(p)) for p in files + media} == \
            {str(p.relative_to(data)): "0o600" for p in files + media}
        assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in folders} == \
            {str(p.relative_to(tmp_path)): "0o700" for p in folders}
        assert len(folders) == 5  # data, media, media/YYYY/MM (Telegram: the real clock here), media/whatsapp
    finally:
        await channels.close()
        await app.db.dispose()


async def test_an_existing_database_is_tightened_but_not_the_users_folder(tmp_path: Path) -> None:
    project = tmp_path / "proyek"
    project.mkdir()
    os.chmod(project, 0o755)
    (project / "catatan.txt").write_text("milik pengguna", encoding="utf-8")
    database = project / "aduan.db"
    database.touch()
    os.chmod(database, 0o644)  # made by an older version
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await engine.dispose()
    assert mode(database) == 0o600
    assert mode(project) == 0o755  # it holds the user's own files: not ours to close

    own = tmp_path / "hanya-basis-data"
    own.mkdir()
    os.chmod(own, 0o755)
    (own / "aduan.db").touch()
    engine = create_engine(f"sqlite+aiosqlite:///{own / 'aduan.db'}")
    await engine.dispose()
    assert mode(own) == 0o700  # it holds nothing but the database: the app's own folder


async def test_in_memory_sqlite_touches_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    await engine.dispose()
    assert list(tmp_path.iterdir()) == []
