"""A thin httpx client for the WhatsApp Cloud API (Graph API)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from complaints.notifications import Button

from ... import texts
from .common import is_bsuid
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


class MediaRejected(Exception):
    """A file the citizen sent that we do not take; ``text`` says why, in Indonesian."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


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
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.phone_number_id = phone_number_id
        self._token = access_token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: Any, **options: Any) -> WhatsAppClient:
        if not (settings.whatsapp_access_token and settings.whatsapp_phone_number_id):
            raise ValueError("whatsapp_access_token and whatsapp_phone_number_id must be set")
        return cls(settings.whatsapp_api_base, settings.whatsapp_access_token, settings.whatsapp_phone_number_id,
                   **options)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> WhatsAppClient:
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
        body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
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

    async def download_media(self, media_id: str, max_bytes: int) -> tuple[bytes, str]:
        """The file behind a media id and its MIME type; MediaRejected when too large."""
        meta = (await self._request("GET", media_id)).json()
        url = meta.get("url")
        mime = str(meta.get("mime_type") or "").split(";")[0].strip().lower()
        if not isinstance(url, str) or not url:
            raise GraphApiError(200, None, "media URL missing")
        size = meta.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaRejected(_too_large(max_bytes))
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error(response)
                chunks: list[bytes] = []
                total = 0
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
                    if total > max_bytes:
                        raise MediaRejected(_too_large(max_bytes))
                    chunks.append(chunk)
        except httpx.HTTPError as error:
            raise GraphApiError(0, None, f"{type(error).__name__}: {error}"[:200]) from error
        return b"".join(chunks), mime


def _too_large(max_bytes: int) -> str:
    mb = 1024 * 1024
    limit = f"{max_bytes // mb} MB" if max_bytes >= mb else f"{max(max_bytes // 1024, 1)} KB"
    return texts.WA_MEDIA_TOO_LARGE.format(limit=limit)
