"""A thin httpx client for the WhatsApp Cloud API (Graph API).

The access token goes only where it must: the configured Graph API base, and a media file's
URL when that is on the Graph API's own origin or on a Meta media host of the allow-list
(``lookaside.fbsbx.com``, over https). Media ids are numbers; anything else (``../../me``, a
URL) is refused before a request is made. Redirects are never followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Self

import httpx

from complaints.notifications import Button

from ...media import CappedBuffer, MediaPolicy, MediaTooBig
from .common import PHONE, is_bsuid
from .render import button_message, list_message, template_message, text_message

# --- the Graph API client --------------------------------------------------------------


class GraphApiError(Exception):
    """The Graph API refused a call, or could not be reached (``status`` 0)."""

    def __init__(self, status: int, code: int | None, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} ({code}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def reason(self) -> str:
        head = f"WhatsApp HTTP {self.status}" if self.status else "WhatsApp tidak terjangkau"
        code = f" kode {self.code}" if self.code is not None else ""
        return f"{head}{code}: {self.message}"[:300]


MEDIA_ID = re.compile(r"[0-9]{1,32}")  # Cloud API media ids are numbers (about 16 digits)
DEFAULT_MEDIA_HOSTS = ("lookaside.fbsbx.com",)  # where the Cloud API serves media files


class InvalidMediaId(ValueError):
    """A media id that is not a number: it is never put into a URL."""


class UntrustedMediaUrl(ValueError):
    """The media URL the Graph API returned is not on a host our token may go to."""


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"https": 443, "http": 80}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


def media_origins(entries: Iterable[str]) -> frozenset[tuple[str, str, int | None]]:
    """Allow-list entries as origins: a bare host name means https on port 443; an entry with
    a scheme (``http://127.0.0.1:8123``, for a local fake in tests) is taken as written."""
    origins = set()
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        url = httpx.URL(entry if "://" in entry else f"https://{entry}")
        if url.scheme not in ("https", "http") or not url.host:
            raise ValueError(f"not a media host: {entry!r}")
        origins.add(_origin(url))
    return frozenset(origins)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _error(response: httpx.Response) -> GraphApiError:
    code: int | None = None
    message = response.reason_phrase or "error"
    try:
        error = response.json().get("error") or {}
        code = int(error["code"]) if "code" in error else None
        details = (error.get("error_data") or {}).get("details")
        message = str(details or error.get("message") or message)
    except (ValueError, AttributeError, TypeError, KeyError):
        pass
    return GraphApiError(response.status_code, code, message[:200], _retry_after(response))


class WhatsAppClient:
    """A thin client for the Cloud API calls this project makes."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        phone_number_id: str,
        *,
        media_hosts: Iterable[str] = DEFAULT_MEDIA_HOSTS,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.phone_number_id = phone_number_id
        self._token = access_token
        base = httpx.URL(base_url.rstrip("/") + "/")
        # the token may go to the Graph API itself (as it does for every call) and to the allow-list
        self.media_origins = media_origins(media_hosts) | {_origin(base)}
        self._http = httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    @classmethod
    def from_settings(cls, settings: Any, **options: Any) -> WhatsAppClient:
        if not (settings.whatsapp_access_token and settings.whatsapp_phone_number_id):
            raise ValueError("whatsapp_access_token and whatsapp_phone_number_id must be set")
        options.setdefault("media_hosts", getattr(settings, "whatsapp_media_hosts", DEFAULT_MEDIA_HOSTS))
        return cls(settings.whatsapp_api_base, settings.whatsapp_access_token, settings.whatsapp_phone_number_id,
                   **options)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, url, **kwargs)
        except httpx.HTTPError as error:  # network: timeouts, refused connections, resets
            raise GraphApiError(0, None, f"{type(error).__name__}: {error}"[:200]) from error
        if response.status_code >= 400:
            raise _error(response)
        return response

    async def send(self, recipient: str, message: dict[str, Any]) -> str:
        """POST one message object; returns its wamid."""
        # a person by number or business-scoped id; anything else is a group's id
        kind = "individual" if PHONE.match(recipient) or is_bsuid(recipient) else "group"
        body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": kind}
        body["recipient" if is_bsuid(recipient) else "to"] = recipient
        body.update(message)
        response = await self._request("POST", f"{self.phone_number_id}/messages", json=body)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            return ""

    async def send_text(self, recipient: str, text: str) -> str:
        return await self.send(recipient, text_message(text))

    async def send_buttons(self, recipient: str, text: str, buttons: Sequence[Button]) -> str:
        return await self.send(recipient, button_message(text, buttons))

    async def send_list(self, recipient: str, text: str, buttons: Sequence[Button]) -> str:
        return await self.send(recipient, list_message(text, buttons))

    async def send_template(self, recipient: str, name: str, language: str, params: Sequence[str] = ()) -> str:
        return await self.send(recipient, template_message(name, language, params))

    def trusted_media_url(self, url: str) -> httpx.URL:
        """The media URL as given, when our token may go there; :class:`UntrustedMediaUrl` else."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as error:
            raise UntrustedMediaUrl("unreadable media URL") from error
        if parsed.scheme not in ("https", "http") or not parsed.host or parsed.userinfo:
            raise UntrustedMediaUrl("media URL with an unexpected scheme or credentials")
        if _origin(parsed) not in self.media_origins:
            raise UntrustedMediaUrl(f"media URL on a host not in the allow-list: {parsed.host}"[:200])
        return parsed

    async def download_media(self, media_id: str, out: CappedBuffer, *, policy: MediaPolicy) -> None:
        """The file behind a numeric media id, written into ``out`` chunk by chunk.

        :class:`InvalidMediaId` (no request made) for an id that is not a number;
        :class:`UntrustedMediaUrl` (no request made with the token) when the URL the Graph
        API gives is not on its own origin or an allowed media host;
        :class:`bot.media.MediaTooBig` when the ``policy`` finds the size given too big, or
        the download goes over ``out``'s limit (the ``policy``'s buffer); :class:`GraphApiError`
        for what the API or the network refused (a redirect included: it is not followed)."""
        if not isinstance(media_id, str) or not MEDIA_ID.fullmatch(media_id):
            raise InvalidMediaId("a media id that is not a number")
        try:
            meta = (await self._request("GET", media_id)).json()
        except ValueError as error:
            raise GraphApiError(200, None, "media metadata is not JSON") from error
        url = meta.get("url") if isinstance(meta, dict) else None
        if not isinstance(url, str) or not url:
            raise GraphApiError(200, None, "media URL missing")
        trusted = self.trusted_media_url(url)
        if policy.too_big(meta.get("file_size")):
            raise MediaTooBig("too big, as announced")
        try:
            async with self._http.stream("GET", trusted, follow_redirects=False) as response:
                if response.status_code >= 300:
                    await response.aread()
                    raise _error(response)
                async for chunk in response.aiter_bytes():
                    out.write(chunk)  # MediaTooBig past the limit: the rest is not read
        except httpx.HTTPError as error:
            raise GraphApiError(0, None, f"{type(error).__name__}: {error}"[:200]) from error
