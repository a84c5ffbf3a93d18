"""The one media policy (bot/media.py): what a file is comes from its bytes; decompression
bombs (images and zips) are refused from their headers; downloads stop at the size limit;
files are stored private. The channels' own tests drive it end to end; here it is checked
alone, and the two Telegram libraries' downloads against the fake Bot API."""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

import pytest
from aiogram import Bot as AiogramBot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot import texts
from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import ConsoleChat
from bot.channels.telegram import PtbApi
from bot.channels.telegram_aiogram import AiogramApi
from bot.channels.telegram_core import FileTooBig, TelegramCore
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.common import CHANNEL as WHATSAPP
from bot.channels.whatsapp.inbound import Inbound
from bot.media import (
    Accepted,
    CappedBuffer,
    MediaKind,
    MediaPolicy,
    MediaStore,
    MediaTooBig,
    RefusalReason,
    Refused,
    read_local,
    size_label,
)
from bot.messages import IncomingMessage, Kind, Media, OutgoingMessage
from tests.fakes import media_files
from tests.fakes.telegram_api import FakeTelegramApi

POLICY = MediaPolicy()
LIMIT_100K = MediaPolicy(max_bytes=100_000)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- what is taken -------------------------------------------------------------------------


@pytest.mark.parametrize("content, expected", [
    (media_files.jpeg(), Accepted("photo", ".jpg", "image/jpeg")),
    (media_files.png(), Accepted("photo", ".png", "image/png")),
    (media_files.webp(), Accepted("photo", ".webp", "image/webp")),
    (media_files.pdf(), Accepted("document", ".pdf", "application/pdf")),
    (media_files.office("docx"), Accepted("document", ".docx", DOCX)),
    (media_files.office("xlsx"), Accepted("document", ".xlsx", XLSX)),
    (media_files.png_claiming(8_000, 6_000), Accepted("photo", ".png", "image/png")),  # 48 megapixels
])
def test_photos_and_documents_are_taken_for_what_their_bytes_are(content: bytes, expected: Accepted) -> None:
    assert POLICY.check(content) == expected


# Voice notes, audio and videos: only their leading bytes matter (nothing is decoded)


def ftyp(brand: bytes, size: int = 24) -> bytes:
    return size.to_bytes(4, "big") + b"ftyp" + brand + bytes(4) + brand + b"isom" + bytes(64)


OGG_OPUS = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead\x01\x01" + bytes(64)
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x21" + bytes(64)
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(64)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
AMR = b"#!AMR\n" + bytes(64)
AAC_ADTS = b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(64)
M4A, MP4, MOV, THREE_GP = ftyp(b"M4A "), ftyp(b"isom"), ftyp(b"qt  "), ftyp(b"3gp4")
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + bytes(64)
MKV = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + bytes(64)


@pytest.mark.parametrize("content, expected", [
    (OGG_OPUS, Accepted("voice", ".ogg", "audio/ogg")),
    (MP3_ID3, Accepted("voice", ".mp3", "audio/mpeg")),
    (MP3_FRAME, Accepted("voice", ".mp3", "audio/mpeg")),
    (AMR, Accepted("voice", ".amr", "audio/amr")),
    (b"#!AMR-WB\n" + bytes(64), Accepted("voice", ".amr", "audio/amr")),
    (AAC_ADTS, Accepted("voice", ".aac", "audio/aac")),
    (M4A, Accepted("voice", ".m4a", "audio/mp4")),
    (MP4, Accepted("video", ".mp4", "video/mp4")),
    (ftyp(b"mp42"), Accepted("video", ".mp4", "video/mp4")),
    (MOV, Accepted("video", ".mov", "video/quicktime")),
    (THREE_GP, Accepted("video", ".3gp", "video/3gpp")),
    (WEBM, Accepted("video", ".webm", "video/webm")),
    (MKV, Accepted("video", ".mkv", "video/x-matroska")),
], ids=["ogg", "mp3-id3", "mp3-frame", "amr", "amr-wb", "aac", "m4a", "mp4", "mp42", "mov", "3gp", "webm", "mkv"])
def test_voice_notes_audio_and_videos_are_taken_for_what_their_bytes_are(content: bytes, expected: Accepted) -> None:
    assert POLICY.check(content) == expected


@pytest.mark.parametrize("content, declared, kind", [
    (MP4, "voice", "voice"),  # an MP4 holding sound only, sent as audio
    (OGG_OPUS, "video", "video"),
    (WEBM, "voice", "voice"),
    (MP4, "photo", "video"),  # only voice against video is settled by the channel
    (OGG_OPUS, "document", "voice"),
    (media_files.pdf(), "voice", "document"),  # a PDF sent as a voice note is a document
    (media_files.jpeg(), "video", "photo"),
])
def test_the_declared_kind_settles_only_voice_against_video(content: bytes, declared: str, kind: str) -> None:
    verdict = POLICY.check(content, declared)  # type: ignore[arg-type]
    assert isinstance(verdict, Accepted) and verdict.kind == kind


@pytest.mark.parametrize("content", [
    ftyp(b"heic"),  # a HEIF picture shares the ftyp box: not a video
    ftyp(b"avif"),
    ftyp(b"crx "),
    ftyp(b"isom", size=4),  # a box too small to be one
    b"\x1a\x45\xdf\xa3" + bytes(64),  # EBML that names no doc type we know
    b"\xff\xea\x90\x00" + bytes(64),  # MPEG audio of a reserved version
    b"\xff\xfa\xf0\x00" + bytes(64),  # a "bad" bitrate index
    b"\xff\xfb\x9c\x00" + bytes(64),  # a reserved sample rate
    b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64),  # WAV: not taken
    b"fLaC" + bytes(64),
    b"Ogg not a page",
], ids=["heic", "avif", "crx", "tiny-box", "ebml", "mpeg-reserved", "bad-bitrate", "reserved-rate", "wav", "flac",
        "ogg-text"])
def test_lookalike_recordings_are_refused(content: bytes) -> None:
    verdict = POLICY.check(content)
    assert isinstance(verdict, Refused) and verdict.reason is RefusalReason.TYPE, verdict


def test_voice_notes_and_videos_have_their_own_size_limits() -> None:
    policy = MediaPolicy(max_bytes=1024, max_voice_bytes=2048, max_video_bytes=4096)
    assert isinstance(policy.check(OGG_OPUS + bytes(1900)), Accepted)  # over a photo's limit, within a voice note's
    assert policy.check(OGG_OPUS + bytes(2100)).reason is RefusalReason.TOO_BIG  # type: ignore[union-attr]
    assert isinstance(policy.check(MP4 + bytes(3900)), Accepted)
    assert policy.check(MP4 + bytes(4100)).reason is RefusalReason.TOO_BIG  # type: ignore[union-attr]
    assert policy.check(MP4 + bytes(2000), "voice").reason is RefusalReason.TOO_BIG  # type: ignore[union-attr]
    assert policy.check(media_files.pdf(2000)).reason is RefusalReason.TOO_BIG  # type: ignore[union-attr]
    assert [policy.limit(k) for k in ("photo", "document", "voice", "video")] == [1024, 1024, 2048, 4096]
    # a download is capped at the limit of what it is declared as
    assert policy.for_download("voice").buffer().limit == 2048 and policy.for_download("video").too_big(4097)
    assert policy.for_download("photo").buffer().limit == 1024 and not policy.for_download("video").too_big(4096)
    assert policy.refusal_text(RefusalReason.TOO_BIG, "video") == texts.MEDIA_TOO_BIG.format(limit="4 KB")
    assert policy.refusal_text(RefusalReason.TOO_BIG, "voice") == texts.MEDIA_TOO_BIG.format(limit="2 KB")
    assert policy.refusal_text(RefusalReason.TOO_BIG) == texts.MEDIA_TOO_BIG.format(limit="1 KB")


# --- what is refused -------------------------------------------------------------------------


@pytest.mark.parametrize("content, reason", [
    (b"", RefusalReason.TYPE),
    (b"GIF89a" + bytes(40), RefusalReason.TYPE),
    (b"BM" + bytes(60), RefusalReason.TYPE),
    (b"<html><script>alert(1)</script></html>", RefusalReason.TYPE),
    (b"MZ\x90\x00 a program", RefusalReason.TYPE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc", RefusalReason.TYPE),
    (b" %PDF-1.7 not at the start", RefusalReason.TYPE),
    (b"\xff\xd8\xff\xe0 only a JPEG's first bytes", RefusalReason.TYPE),
    (b"\x89PNG\r\n\x1a\n" + bytes(20), RefusalReason.TYPE),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 junk", RefusalReason.TYPE),
    (b"PK\x03\x04 not really a zip", RefusalReason.TYPE),
    (media_files.office("zip"), RefusalReason.TYPE),  # a zip, not an Office document
    (media_files.office("zip", {"[Content_Types].xml": b"<Types/>"}), RefusalReason.TYPE),  # neither Word nor Excel
    (media_files.office("docx", {"word/vbaProject.bin": b"macro"}), RefusalReason.TYPE),
    (media_files.office("xlsx", {"xl/activeX/activeX1.xml": b"<ax/>"}), RefusalReason.TYPE),
    (media_files.office("docx", content_types=media_files.CONTENT_TYPES.replace(
        b"application/xml", b"application/vnd.ms-word.document.macroEnabled.main+xml")), RefusalReason.TYPE),
    (media_files.encrypted_zip(), RefusalReason.TYPE),
    (media_files.lying_zip(), RefusalReason.TYPE),  # unpacks to more than it declares: its CRC fails
    (media_files.zip_bomb(), RefusalReason.BOMB),  # 60 MB of zeros in about 60 KB
    (media_files.zip_bomb(2 * 1024 * 1024), RefusalReason.BOMB),  # small, but a ratio of about 1,000
    (media_files.many_entries(2_100), RefusalReason.BOMB),
    (media_files.png_claiming(100_000, 100_000), RefusalReason.BOMB),  # Pillow's DecompressionBombError
    (media_files.png_claiming(10_000, 10_000), RefusalReason.BOMB),  # Pillow's DecompressionBombWarning
    (media_files.png_claiming(9_000, 6_000), RefusalReason.BOMB),  # over our 50 megapixels
])
def test_junk_lies_and_bombs_are_refused(content: bytes, reason: RefusalReason) -> None:
    verdict = POLICY.check(content)
    assert isinstance(verdict, Refused) and verdict.reason is reason, verdict


def test_every_frame_of_an_animation_counts_towards_the_pixel_limit() -> None:
    policy = MediaPolicy(max_pixels=10_000)
    assert isinstance(policy.check(media_files.animated_webp(2)), Accepted)  # 2 x 4,096 pixels
    assert policy.check(media_files.animated_webp(3)) == Refused(RefusalReason.BOMB, "64x64 pixels, 3 frame(s)")


def test_a_zip_that_unpacks_to_more_than_allowed_is_refused_whatever_its_ratio() -> None:
    policy = MediaPolicy(max_unpacked_bytes=100_000, max_ratio=10**6)
    assert isinstance(policy.check(media_files.zip_bomb(90_000)), Accepted)
    verdict = policy.check(media_files.zip_bomb(200_000))
    assert isinstance(verdict, Refused) and verdict.reason is RefusalReason.BOMB


def test_a_file_over_the_size_limit_is_refused_before_anything_else() -> None:
    policy = MediaPolicy(max_bytes=1024)
    assert policy.check(media_files.pdf(2000)).reason is RefusalReason.TOO_BIG  # type: ignore[union-attr]
    assert policy.too_big(1025) and not policy.too_big(1024)
    assert not policy.too_big(None) and not policy.too_big("99999") and not policy.too_big(True)


def test_the_bomb_check_leaves_the_process_warning_filters_as_they_were() -> None:
    before = list(warnings.filters)
    POLICY.check(media_files.png_claiming(10_000, 10_000))
    assert warnings.filters == before


# --- what the citizen is told ------------------------------------------------------------------


def test_one_refusal_text_for_each_reason_on_every_channel() -> None:
    policy = MediaPolicy(max_bytes=10 * 1024 * 1024)
    assert policy.refusal_text(RefusalReason.TOO_BIG) == texts.MEDIA_TOO_BIG.format(limit="10 MB")
    assert policy.refusal_text(RefusalReason.TYPE) == texts.MEDIA_TYPE
    assert policy.refusal_text(RefusalReason.BOMB) == texts.MEDIA_TYPE
    assert policy.refusal_text(RefusalReason.FAILED) == texts.MEDIA_FAILED
    assert texts.MEDIA_INVALID == texts.MEDIA_TYPE  # what the engine says about unusable media
    for text in (texts.MEDIA_TOO_BIG, texts.MEDIA_TYPE, texts.MEDIA_FAILED):
        assert text.startswith("Mohon maaf, ")


@pytest.mark.parametrize("size, label", [
    (10 * 1024 * 1024, "10 MB"), (64 * 1024, "64 KB"), (50_000, "48 KB"), (1536 * 1024, "1,5 MB"),
    (1024 * 1024 + 1, "1 MB"), (1024, "1 KB"),
])
def test_sizes_are_written_the_indonesian_way(size: int, label: str) -> None:
    assert size_label(size) == label


# --- downloads stop at the limit ---------------------------------------------------------------


def test_the_capped_buffer_refuses_to_grow_past_its_limit() -> None:
    buffer = CappedBuffer(10)
    buffer.write(b"12345")
    buffer.write(memoryview(b"67890"))
    with pytest.raises(MediaTooBig):
        buffer.write(b"x")
    assert buffer.getvalue() == b"1234567890"


def aiogram_bot(api: FakeTelegramApi) -> AiogramBot:
    return AiogramBot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))


async def test_aiogram_downloads_stop_at_the_limit_even_when_getfile_understates(telegram_api: FakeTelegramApi) -> None:
    honest = telegram_api.add_file(b"%PDF-" + b"0" * 300_000, suffix=".pdf", folder="documents")
    lying = telegram_api.add_file(b"%PDF-" + b"0" * 300_000, suffix=".pdf", folder="documents", claimed_size=1000)
    bot = aiogram_bot(telegram_api)
    try:
        with pytest.raises(FileTooBig):  # getFile told: no download
            await AiogramApi(bot).download(honest.file_id, CappedBuffer(100_000), policy=LIMIT_100K)
        buffer = CappedBuffer(100_000)
        with pytest.raises(MediaTooBig):
            await AiogramApi(bot).download(lying.file_id, buffer, policy=LIMIT_100K)
        assert len(buffer.getvalue()) <= 100_000
        small = telegram_api.add_file(media_files.jpeg())
        buffer = CappedBuffer(100_000)
        await AiogramApi(bot).download(small.file_id, buffer, policy=LIMIT_100K)
        assert buffer.getvalue() == small.content
    finally:
        await bot.session.close()


async def test_ptb_downloads_are_refused_past_the_limit(telegram_api: FakeTelegramApi) -> None:
    lying = telegram_api.add_file(b"%PDF-" + b"0" * 300_000, suffix=".pdf", folder="documents", claimed_size=1000)
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
        buffer = CappedBuffer(100_000)
        with pytest.raises(MediaTooBig):
            await PtbApi(bot).download(lying.file_id, buffer, policy=LIMIT_100K)
        assert buffer.getvalue() == b""


# --- the store and local files ---------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_store_writes_private_files_in_private_folders_and_tightens_only_its_own(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    root = shared / "media"
    root.mkdir()
    os.chmod(root, 0o755)  # made by an older version, or by hand
    previous = os.umask(0)  # modes must not depend on the umask
    try:
        path = MediaStore(root).save(Path("2026", "11", "a.jpg"), b"isi")
    finally:
        os.umask(previous)
    assert path == root / "2026" / "11" / "a.jpg" and path.read_bytes() == b"isi"
    assert mode(path) == 0o600
    assert [mode(p) for p in (root / "2026" / "11", root / "2026", root)] == [0o700] * 3
    assert mode(shared) == 0o755  # the user's folder above the media folder is left alone
    assert [p.name for p in (root / "2026" / "11").iterdir()] == ["a.jpg"]  # no .part left
    for escape in ("../outside.jpg", "/etc/x.jpg", "2026/../../outside.jpg"):
        with pytest.raises(ValueError):
            MediaStore(root).save(Path(escape), b"x")
    assert not (shared / "outside.jpg").exists()


def test_a_missing_media_folder_and_its_missing_parents_are_made_private(tmp_path: Path) -> None:
    path = MediaStore(tmp_path / "data" / "media").save(Path("whatsapp", "1.pdf"), b"%PDF-")
    assert [mode(p) for p in (path.parent, tmp_path / "data" / "media", tmp_path / "data")] == [0o700] * 3


def test_local_files_are_read_within_the_limit_and_special_files_not_at_all(tmp_path: Path) -> None:
    policy = MediaPolicy(max_bytes=1024)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(media_files.jpeg())
    assert read_local(photo, policy) == photo.read_bytes()
    big = tmp_path / "besar.pdf"
    big.write_bytes(media_files.pdf(5000))
    assert read_local(big, policy) == Refused(RefusalReason.TOO_BIG, f"{big.stat().st_size} bytes")
    assert read_local(tmp_path, policy) == Refused(RefusalReason.TYPE, "not a regular file")
    assert isinstance(read_local(tmp_path / "tidak-ada.jpg", policy), Refused)
    assert read_local("a\x00b", policy).reason is RefusalReason.FAILED  # type: ignore[union-attr]
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    assert read_local(fifo, policy) == Refused(RefusalReason.TYPE, "not a regular file")  # and it did not block


# --- every channel takes or refuses a file through the one policy ------------------------------
#
# The same bytes offered on each channel that carries files: the policy's verdict, and the
# policy's refusal text, whatever the channel. (The Rasa action server takes text only.)

CHANNEL_POLICY = MediaPolicy(max_bytes=64 * 1024)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
Offer = Callable[[Path, bytes, str], Awaitable[tuple[list[str], list[IncomingMessage]]]]


def engine(handled: list[IncomingMessage]) -> Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]:
    async def handle(message: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        handled.append(message)
        return []
    return handle


async def offer_on_the_console(tmp_path: Path, content: bytes, kind: str) -> tuple[list[str], list[IncomingMessage]]:
    path = tmp_path / "berkas"
    path.write_bytes(content)
    handled: list[IncomingMessage] = []
    lines: list[dict[str, Any]] = []

    async def relay(now: datetime) -> None:
        return None

    chat = ConsoleChat(engine(handled), relay, lambda: NOW, lines.append, policy=CHANNEL_POLICY)
    await chat.process(IncomingMessage(CONSOLE, "warga", media=Media(kind, str(path))))
    return [line["text"] for line in lines], handled


class BotApi:
    """The Bot API as TelegramCore uses it: getFile says the file's true size."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.sent: list[str] = []

    async def answer_callback(self, query_id: str) -> None:
        return None

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        if policy.too_big(len(self.content)):
            raise FileTooBig(file_id)
        out.write(self.content)

    async def send_text(self, chat_id: str, text: str, rows: object) -> None:
        self.sent.append(text)

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None:
        return None


async def offer_on_telegram(tmp_path: Path, content: bytes, kind: str) -> tuple[list[str], list[IncomingMessage]]:
    handled: list[IncomingMessage] = []
    core = TelegramCore(engine(handled), tmp_path / "media", 10 * 1024 * 1024, lambda: NOW, policy=CHANNEL_POLICY)
    api = BotApi(content)
    attachments: dict[str, dict[str, Any]] = {
        "photo": {"photo": [{"file_id": "f-1", "width": 64, "height": 48}]},
        "document": {"document": {"file_id": "f-1", "file_name": "laporan.pdf", "mime_type": "application/pdf"}},
        "voice": {"voice": {"file_id": "f-1", "file_unique_id": "u-1", "duration": 3, "mime_type": "audio/ogg"}},
        "video": {"video": {"file_id": "f-1", "file_unique_id": "u-1", "duration": 3, "width": 64, "height": 48}},
    }
    attachment = attachments[kind]
    update = {"update_id": 1, "message": {"message_id": 7, "date": 0, "chat": {"id": 42, "type": "private"},
                                          "from": {"id": 42}, **attachment}}
    assert await core.process(update, api)
    return api.sent, handled


class GraphApi:
    """The WhatsApp client as the channel uses it: the Graph API announces the true size."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.sent: list[str] = []

    async def download_media(self, media_id: str, out: CappedBuffer, *, policy: MediaPolicy) -> None:
        if policy.too_big(len(self.content)):
            raise MediaTooBig("announced")
        out.write(self.content)

    async def send(self, recipient: str, message: dict[str, Any]) -> None:
        self.sent.append(message["text"]["body"])  # a reply without buttons: a text message


async def offer_on_whatsapp(tmp_path: Path, content: bytes, kind: str) -> tuple[list[str], list[IncomingMessage]]:
    handled: list[IncomingMessage] = []
    client = GraphApi(content)
    channel = WhatsAppChannel(engine(handled), cast(WhatsAppClient, client), "verify", "secret", tmp_path / "media",
                              10 * 1024 * 1024, lambda: NOW, policy=CHANNEL_POLICY)
    message = IncomingMessage(WHATSAPP, "6281234567890", update_id="wamid.1", ref="wamid.1")
    await channel.process(Inbound(message, media_kind=cast(MediaKind, kind), media_id="1234567890"))
    return client.sent, handled


CHANNELS: dict[str, Offer] = {"console": offer_on_the_console, "telegram": offer_on_telegram,
                              "whatsapp": offer_on_whatsapp}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind, content, verdict", [
    ("photo", media_files.jpeg(), "photo"),
    ("photo", media_files.pdf(), "document"),  # what it is, not what it was sent as
    ("document", media_files.png(), "photo"),
    ("document", media_files.office("docx"), "document"),
    ("photo", b"GIF89a" + bytes(40), RefusalReason.TYPE),
    ("document", media_files.office("docx", {"word/vbaProject.bin": b"macro"}), RefusalReason.TYPE),
    ("photo", media_files.png_claiming(20_000, 20_000), RefusalReason.BOMB),
    ("document", media_files.pdf(padding=100 * 1024), RefusalReason.TOO_BIG),
    ("voice", OGG_OPUS, "voice"),
    ("voice", MP4, "voice"),  # an MP4 sent as audio is a voice note
    ("video", MP4, "video"),
    ("video", WEBM, "video"),
    ("document", AMR, "voice"),
    ("voice", media_files.pdf(), "document"),
    ("voice", ftyp(b"heic"), RefusalReason.TYPE),
    ("video", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), RefusalReason.TYPE),
], ids=["jpeg", "pdf-as-photo", "png-as-document", "docx", "gif", "macro", "bomb", "too-big", "ogg", "mp4-as-voice",
        "mp4", "webm", "amr-as-document", "pdf-as-voice", "heic-as-voice", "wav-as-video"])
async def test_every_channel_takes_or_refuses_a_file_by_the_one_policy(
    tmp_path: Path, channel: str, kind: str, content: bytes, verdict: str | RefusalReason,
) -> None:
    said, handled = await CHANNELS[channel](tmp_path, content, kind)
    if isinstance(verdict, RefusalReason):
        # the engine is told why, with no file: it says so and asks the pending question again
        assert said == [] and [(m.kind, m.notice, m.media) for m in handled] == [
            (Kind.REFUSED, CHANNEL_POLICY.refusal_text(verdict), None)]
        assert not (tmp_path / "media").exists() or not any(p.is_file() for p in (tmp_path / "media").rglob("*"))
    else:
        assert said == [] and [m.media.kind for m in handled if m.media] == [verdict]
