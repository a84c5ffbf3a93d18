"""What photos, documents, voice notes and videos citizens may send, on every channel, and
how they are kept.

One :class:`MediaPolicy` decides, from the bytes themselves (never the MIME type or file
name a sender declares), whether a file is taken:

- photos: JPEG, PNG, WEBP; opened with Pillow (only those three decoders) and refused when
  they would decode to more than ``max_pixels`` (all frames of an animation counted), or when
  Pillow itself calls them a decompression bomb; nothing is decoded here;
- documents: PDF (starting with ``%PDF-``), Word (DOCX) and Excel (XLSX): a zip holding
  ``[Content_Types].xml`` and ``word/`` or ``xl/``; refused when it holds too many entries,
  unpacks to more than ``max_unpacked_bytes`` or more than ``max_ratio`` times its size,
  is encrypted, carries macros or ActiveX, or its entries do not unpack as declared;
- voice notes and audio: OGG (Opus, Vorbis), MP3 (an ID3 tag or an MPEG audio frame), AMR,
  AAC (ADTS) and M4A; videos: MP4, MOV, 3GP (an ``ftyp`` box of a known brand at offset 4)
  and WebM/Matroska; recognised by their leading bytes only, nothing is decoded;
- photos and documents at most ``max_bytes`` (``Settings.max_media_bytes``), voice notes at
  most ``max_voice_bytes`` (``Settings.max_voice_bytes``), videos at most ``max_video_bytes``
  (``Settings.max_video_bytes``); a download is capped at the limit of what the sender
  declares it to be (:meth:`MediaPolicy.for_download`): :class:`CappedBuffer` stops it as
  soon as it goes over, so nothing larger is ever held.

A declared photo that is really a PDF is judged by its content: it is taken as a document.
Audio and video containers are ambiguous (an MP4 may hold sound only, a WebM a voice note):
between "voice" and "video" the kind the channel declares wins.

:class:`MediaStore` writes accepted files: mode 0600, in folders of mode 0700, written to a
``.part`` file first and renamed, so a half-written file is never seen under its name.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
import threading
import uuid
import warnings
import zipfile
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from PIL import Image, UnidentifiedImageError

from . import texts
from .media_av import recognise_recording

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger(__name__)

MediaKind = Literal["photo", "document", "voice", "video"]
_SOUND_AND_PICTURE: Final = ("voice", "video")

MIB: Final = 1024 * 1024
DEFAULT_MAX_BYTES: Final = 10 * MIB  # Settings.max_media_bytes' default
DEFAULT_MAX_VOICE_BYTES: Final = 16 * MIB  # Settings.max_voice_bytes' default (WhatsApp's own limit)
DEFAULT_MAX_VIDEO_BYTES: Final = 20 * MIB  # Settings.max_video_bytes' default (what Telegram lets bots fetch)
DEFAULT_MAX_PIXELS: Final = 50_000_000  # 50 megapixels: well above any phone camera
DEFAULT_MAX_UNPACKED: Final = 50 * MIB
DEFAULT_MAX_RATIO: Final = 100
DEFAULT_MAX_ENTRIES: Final = 2_000
FILE_MODE: Final = 0o600
FOLDER_MODE: Final = 0o700
_CHUNK = 64 * 1024

# Pillow decoders by the leading bytes that select them
_IMAGE_FORMATS: Final = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
_DOCX: Final = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
_XLSX: Final = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
# Pillow's bomb check works through warnings, which are process-wide: one check at a time
_PILLOW_WARNINGS = threading.Lock()


class RefusalReason(StrEnum):
    TOO_BIG = "too_big"  # over max_bytes
    TYPE = "type"  # not a file of a kind we take, or not what its first bytes claim
    BOMB = "bomb"  # an image or archive that would unpack to something absurd
    FAILED = "failed"  # it could not be fetched or read (network, a missing file, ...)


@dataclass(frozen=True)
class Accepted:
    kind: MediaKind
    suffix: str  # the file name suffix it is stored with, e.g. ".jpg"
    mime: str  # what the content is, e.g. "image/jpeg"


@dataclass(frozen=True)
class Refused:
    reason: RefusalReason
    detail: str = ""  # for the log (English, no personal data); never shown to the citizen


Verdict = Accepted | Refused


class MediaTooBig(Exception):
    """A download went over the size limit (raised by :class:`CappedBuffer`)."""


class CappedBuffer(io.BytesIO):
    """An in-memory file that refuses to grow past ``limit`` bytes (:class:`MediaTooBig`).

    Client libraries write a download into it (aiogram chunk by chunk; python-telegram-bot
    in one piece), the WhatsApp client writes each chunk it reads."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: ReadableBuffer, /) -> int:
        size = memoryview(data).nbytes
        if self.tell() + size > self.limit:
            raise MediaTooBig(f"more than {self.limit} bytes")
        return super().write(data)


def size_label(size: int) -> str:
    """A size as citizens read it: ``10 MB``, ``1,5 MB``, ``64 KB``."""
    if size >= MIB:
        whole, rest = divmod(size, MIB)
        return f"{whole} MB" if rest < MIB // 10 else f"{size / MIB:.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


@dataclass(frozen=True)
class MediaPolicy:
    max_bytes: int = DEFAULT_MAX_BYTES  # photos and documents
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED
    max_ratio: int = DEFAULT_MAX_RATIO
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_voice_bytes: int = DEFAULT_MAX_VOICE_BYTES  # voice notes and audio
    max_video_bytes: int = DEFAULT_MAX_VIDEO_BYTES

    def limit(self, kind: MediaKind) -> int:
        """The most a file of this kind may weigh."""
        if kind == "voice":
            return self.max_voice_bytes
        if kind == "video":
            return self.max_video_bytes
        return self.max_bytes

    # --- while downloading -----------------------------------------------------------------

    def for_download(self, declared: MediaKind) -> MediaPolicy:
        """The policy a download of what the sender declares runs under: its ``max_bytes``
        (the cap of :meth:`buffer` and :meth:`too_big`) is that kind's limit. The verdict
        is still :meth:`check`'s, on this policy."""
        return replace(self, max_bytes=self.limit(declared))

    def buffer(self) -> CappedBuffer:
        """Where a download goes: it stops with :class:`MediaTooBig` past ``max_bytes``."""
        return CappedBuffer(self.max_bytes)

    def too_big(self, declared: object) -> bool:
        """A size the sender's platform reports in advance is already too much."""
        return isinstance(declared, int) and not isinstance(declared, bool) and declared > self.max_bytes

    # --- the verdict ---------------------------------------------------------------------------

    def check(self, content: bytes, declared: MediaKind | None = None) -> Verdict:
        """Accepted (what the bytes are) or Refused (why). ``declared``, what the channel
        says the file is, only settles "voice" against "video" (the same containers hold
        either). CPU-bound for large documents: channels call it through ``asyncio.to_thread``."""
        if len(content) > max(self.max_bytes, self.max_voice_bytes, self.max_video_bytes):
            return Refused(RefusalReason.TOO_BIG, f"{len(content)} bytes")
        if not content:
            return Refused(RefusalReason.TYPE, "empty")
        verdict = self._judge(content)
        if not isinstance(verdict, Accepted):
            return verdict
        if verdict.kind in _SOUND_AND_PICTURE and declared in _SOUND_AND_PICTURE and declared != verdict.kind:
            verdict = replace(verdict, kind=declared)
        if len(content) > self.limit(verdict.kind):
            return Refused(RefusalReason.TOO_BIG, f"{len(content)} bytes of {verdict.kind}")
        return verdict

    def _judge(self, content: bytes) -> Verdict:
        if content.startswith(b"%PDF-"):
            return Accepted("document", ".pdf", "application/pdf")
        if content.startswith(b"PK\x03\x04"):
            return self._office(content)
        if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
            content[:4] == b"RIFF" and content[8:12] == b"WEBP"
        ):
            return self._image(content)
        recording = recognise_recording(content)
        if recording is not None:
            return Accepted(*recording)
        return Refused(RefusalReason.TYPE, f"unknown leading bytes {content[:8].hex()}")

    def refusal_text(self, reason: RefusalReason, kind: MediaKind = "photo") -> str:
        """What the citizen is told, the same on every channel; a file too big is told the
        limit of the ``kind`` it was sent as."""
        if reason is RefusalReason.TOO_BIG:
            return texts.MEDIA_TOO_BIG.format(limit=size_label(self.limit(kind)))
        if reason is RefusalReason.FAILED:
            return texts.MEDIA_FAILED
        return texts.MEDIA_TYPE  # TYPE and BOMB: "send a normal photo or document"

    # --- photos --------------------------------------------------------------------------------

    def _image(self, content: bytes) -> Verdict:
        try:
            with _PILLOW_WARNINGS, warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(content), formats=list(_IMAGE_FORMATS)) as image:
                    width, height = image.size  # read from the header: nothing is decoded
                    frames = max(int(getattr(image, "n_frames", 1) or 1), 1)
                    found = image.format or ""
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            return Refused(RefusalReason.BOMB, f"Pillow: {error}"[:200])
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
            return Refused(RefusalReason.TYPE, f"not a readable image: {type(error).__name__}")
        if found not in _IMAGE_FORMATS:
            return Refused(RefusalReason.TYPE, f"image format {found!r}")
        if width <= 0 or height <= 0 or width * height * frames > self.max_pixels:
            return Refused(RefusalReason.BOMB, f"{width}x{height} pixels, {frames} frame(s)")
        mime, suffix = _IMAGE_FORMATS[found]
        return Accepted("photo", suffix, mime)

    # --- Word and Excel ------------------------------------------------------------------------

    def _office(self, content: bytes) -> Verdict:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                entries = archive.infolist()
                problem = self._archive_problem(entries, len(content))
                if problem is not None:
                    return problem
                names = {info.filename for info in entries}
                if "[Content_Types].xml" not in names:
                    return Refused(RefusalReason.TYPE, "a zip that is not an Office document")
                if any(_active_content(name) for name in names) or b"macroenabled" in archive.read(
                    "[Content_Types].xml"
                ).lower():
                    return Refused(RefusalReason.TYPE, "an Office document with macros or ActiveX")
                if "word/document.xml" in names:
                    mime, suffix = _DOCX
                elif "xl/workbook.xml" in names:
                    mime, suffix = _XLSX
                else:
                    return Refused(RefusalReason.TYPE, "an Office file that is neither DOCX nor XLSX")
                unpacked = _unpacked_size(archive, entries, self.max_unpacked_bytes)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
                NotImplementedError, RuntimeError) as error:  # RuntimeError: encrypted entries
            return Refused(RefusalReason.TYPE, f"unreadable zip: {type(error).__name__}")
        if unpacked is None:
            return Refused(RefusalReason.BOMB, "entries unpack to more than declared or allowed")
        return Accepted("document", suffix, mime)

    def _archive_problem(self, entries: list[zipfile.ZipInfo], size: int) -> Refused | None:
        if len(entries) > self.max_entries:
            return Refused(RefusalReason.BOMB, f"{len(entries)} entries")
        if any(info.flag_bits & 0x1 for info in entries):
            return Refused(RefusalReason.TYPE, "encrypted entries")
        declared = sum(info.file_size for info in entries)
        if declared > self.max_unpacked_bytes or declared > self.max_ratio * max(size, 1):
            return Refused(RefusalReason.BOMB, f"{declared} bytes unpacked from {size}")
        return None


def _active_content(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith("vbaproject.bin") or "/activex/" in lowered


def _unpacked_size(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], budget: int) -> int | None:
    """Unpack every entry (and throw it away) within ``budget`` bytes: the sizes the archive
    declares may lie, and its CRCs must hold. None when it goes over."""
    total = 0
    for info in entries:
        if info.is_dir():
            continue
        with archive.open(info) as entry:
            while chunk := entry.read(_CHUNK):
                total += len(chunk)
                if total > budget:
                    return None
    return total


# --- the media store --------------------------------------------------------------------------


def private_folder(folder: Path, root: Path) -> None:
    """Create ``folder`` (mode 0700) and what is missing above it; tighten ``root`` and every
    folder between it and ``folder`` that is wider (the app owns them). Folders above ``root``
    that already exist are the user's: left as they are."""
    folder, root = Path(folder), Path(root)
    missing: list[Path] = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by a concurrent download meanwhile
            path.mkdir(mode=FOLDER_MODE)
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    owned = [folder, *(p for p in folder.parents if p == root or root in p.parents)]
    for path in owned:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, FOLDER_MODE)


def write_private(path: Path, content: bytes) -> None:
    """``content`` into ``path`` with mode 0600: a ``.part`` file first, then renamed."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.chmod(partial, FILE_MODE)  # os.open's mode is filtered by the umask (never wider)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class MediaStore:
    """The folder citizens' files are kept in (``Settings.media_dir``)."""

    root: Path

    def save(self, relative: Path | str, content: bytes) -> Path:
        """Write ``content`` at ``root/relative`` (folders 0700, the file 0600)."""
        root = Path(os.path.normpath(self.root))
        path = Path(os.path.normpath(root / relative))
        if root not in path.parents:
            raise ValueError("a media file must stay inside the media folder")
        private_folder(path.parent, root)
        write_private(path, content)
        return path


def read_local(path: str | Path, policy: MediaPolicy) -> bytes | Refused:
    """A file on this machine (the terminal channel), read within the policy's size limit;
    a FIFO, device or folder is not read at all."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        return Refused(RefusalReason.FAILED, f"cannot open: {type(error).__name__}")
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        return Refused(RefusalReason.TYPE, "not a regular file")
    with os.fdopen(descriptor, "rb") as handle:
        if policy.too_big(info.st_size):
            return Refused(RefusalReason.TOO_BIG, f"{info.st_size} bytes")
        buffer = policy.buffer()
        try:
            while chunk := handle.read(_CHUNK):
                buffer.write(chunk)
        except MediaTooBig:
            return Refused(RefusalReason.TOO_BIG, "grew while read")
        except OSError as error:
            return Refused(RefusalReason.FAILED, f"cannot read: {type(error).__name__}")
    return buffer.getvalue()
