"""Voice notes, audio and video recognised by their leading bytes (for :mod:`bot.media`).

Nothing is decoded or played: a container's signature says what it is, and only the
formats phones and the chat apps produce are known. Voice notes and audio: OGG (Opus,
Vorbis; Telegram and WhatsApp voice notes), MP3 (an ID3 tag or an MPEG audio frame header),
AMR, AAC (ADTS) and M4A. Video: MP4, MOV and 3GP (an ``ftyp`` box at offset 4 whose major
brand is known), WebM and Matroska (the EBML header ``1A 45 DF A3`` naming its doc type).
"""

from __future__ import annotations

from typing import Final, Literal

# (kind, file name suffix, MIME type)
Recording = tuple[Literal["voice", "video"], str, str]

# ISO base media files (``ftyp`` at offset 4) by their major brand: audio, video, or neither
# (HEIF/AVIF pictures, camera raws, ... share the box and are refused)
_FTYP_AUDIO: Final = frozenset({b"M4A ", b"M4B "})
_FTYP_MOV: Final = frozenset({b"qt  "})
_FTYP_3GP: Final = frozenset({b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs7", b"3ge6", b"3ge7", b"3gg6", b"3g2a", b"3g2b",
                              b"3g2c"})
_FTYP_MP4: Final = frozenset({b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
                              b"M4VH", b"M4VP", b"MSNV", b"dash", b"mmp4", b"f4v ", b"XAVC"})
_MATROSKA: Final = b"\x1a\x45\xdf\xa3"


def recognise_recording(content: bytes) -> Recording | None:
    """A voice note, audio or video recognised by its leading bytes, or None."""
    head = content[:64]
    if head.startswith(b"OggS"):
        return ("voice", ".ogg", "audio/ogg")
    if head.startswith(b"#!AMR"):  # AMR-NB "#!AMR\n", AMR-WB "#!AMR-WB\n"
        return ("voice", ".amr", "audio/amr")
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return ("voice", ".mp3", "audio/mpeg")
    if len(head) >= 7 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:  # ADTS: 12 sync bits, layer 00
        return ("voice", ".aac", "audio/aac")
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _iso_media(head)
    if head.startswith(_MATROSKA):
        if b"webm" in head:
            return ("video", ".webm", "video/webm")
        if b"matroska" in head:
            return ("video", ".mkv", "video/x-matroska")
    return None


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a version and layer that exist, a bitrate
    index other than "bad" and a sample rate index other than "reserved"."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and rate != 0b11


def _iso_media(head: bytes) -> Recording | None:
    size, brand = int.from_bytes(head[:4], "big"), head[8:12]
    if size < 12:
        return None
    if brand in _FTYP_AUDIO:
        return ("voice", ".m4a", "audio/mp4")
    if brand in _FTYP_MOV:
        return ("video", ".mov", "video/quicktime")
    if brand in _FTYP_3GP:
        return ("video", ".3gp", "video/3gpp")
    if brand in _FTYP_MP4:
        return ("video", ".mp4", "video/mp4")
    return None
