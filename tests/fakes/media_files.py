"""Real (small) files for media tests, made on the spot: photos Pillow can open, a PDF, Word
and Excel documents, and the hostile ones: decompression bombs, zips that lie about their
size, macro documents, and files whose name or declared type says something else."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def image(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    return image("JPEG", size)


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    return image("PNG", size)


def webp(size: tuple[int, int] = (64, 48)) -> bytes:
    return image("WEBP", size)


def pdf(padding: int = 2000) -> bytes:
    return b"%PDF-1.7\n" + b"%" + b"0" * padding + b"\n%%EOF\n"


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: decoding it would take
    gigabytes; only its header may be read."""
    real = png((1, 1))
    ihdr_at = real.index(b"IHDR")
    fields = struct.pack(">II", width, height) + real[ihdr_at + 12 : ihdr_at + 17]
    chunk = b"IHDR" + fields
    patched = struct.pack(">I", len(fields)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[: ihdr_at - 4] + patched + real[ihdr_at + 4 + len(fields) + 4 :]


def office(kind: str = "docx", extra: dict[str, bytes] | None = None, content_types: bytes = CONTENT_TYPES) -> bytes:
    """A minimal DOCX ("docx") or XLSX ("xlsx"), with ``extra`` entries added."""
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "zip": "data/readme.txt"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind != "zip":
            archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(main, b"<?xml version='1.0'?><document>Surat keterangan RT 03</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked: int = 60 * 1024 * 1024) -> bytes:
    """A DOCX that unpacks ``unpacked`` bytes of zeros from a few tens of kilobytes."""
    return office("docx", {"word/media/blank.bin": bytes(unpacked)})


def many_entries(count: int) -> bytes:
    return office("docx", {f"word/parts/p{n}.xml": b"<p/>" for n in range(count)})


def lying_zip(actual: int = 200_000, claimed: int = 100) -> bytes:
    """A DOCX one of whose entries says it unpacks to ``claimed`` bytes but holds ``actual``."""
    data = bytearray(office("docx", {"word/media/lie.bin": b"A" * actual}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_length_at = 26 if signature == b"PK\x03\x04" else 28
            name_length = struct.unpack_from("<H", data, at + name_length_at)[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == b"word/media/lie.bin":
                struct.pack_into("<I", data, at + offset, claimed)
            start = at + 4
    return bytes(data)


def encrypted_zip() -> bytes:
    """A DOCX whose entries say they are encrypted (general purpose flag bit 0)."""
    data = bytearray(office("docx"))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | 0x1)
            start = at + 4
    return bytes(data)


def animated_webp(frames: int, size: tuple[int, int] = (64, 64)) -> bytes:
    pictures = [Image.new("RGB", size, (n * 40 % 256, 90, 20)) for n in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, "WEBP", save_all=True, append_images=pictures[1:], duration=100)
    return out.getvalue()
