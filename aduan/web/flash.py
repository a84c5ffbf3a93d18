"""A one-line message for the next page (after a form's redirect): a short-lived cookie,
read once and cleared, so nothing an attacker puts in a URL is shown as ours."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import Response

FLASH_COOKIE = "aduan_pesan"
MAX_CHARS = 1500


def flash(response: Response, message: str, *, error: bool = False) -> None:
    value = ("!" if error else "") + message[:MAX_CHARS]
    response.set_cookie(FLASH_COOKIE, quote(value), max_age=60, httponly=True, samesite="lax", path="/petugas/")


@dataclass(frozen=True)
class Flash:
    message: str
    error: bool


def read_flash(request: Request) -> Flash | None:
    """The message waiting for this page; the page clears it (:func:`clear_flash`)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    value = unquote(raw)[:MAX_CHARS + 1]
    return Flash(value[1:], True) if value.startswith("!") else Flash(value, False)


def clear_flash(response: Response) -> None:
    response.delete_cookie(FLASH_COOKIE, path="/petugas/")
