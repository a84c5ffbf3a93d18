"""python-telegram-bot's requests sent with aiohttp instead of httpx (issue 20).

PTB builds every Bot API request (its fields, its files), maps Telegram's answers to its
errors (``Forbidden``, ``RetryAfter``, ``BadRequest`` ...) and parses their JSON in
``BaseRequest``; a subclass only moves the bytes (``do_request``). Its own subclass uses
httpx, which spends about 0.74 ms of CPU on a sendMessage here; aiohttp, already installed
for aiogram, about 0.26 ms (benchmarks/README.md, 8 December). Every reply and every
notification the relay sends pays it, so :func:`telegram_bot` builds the ``Bot`` that
``aduan serve`` talks to Telegram with on :class:`AiohttpRequest`.

What stays as with PTB's own request: the same request on the wire (form-encoded fields,
multipart when a file is sent, PTB's User-Agent), the same timeouts by default (5 s to
connect and to read, 1 s waiting for a free connection, 20 s writing a file), the same
errors (``TimedOut`` for a timeout, ``NetworkError`` for any other failure to talk), and
a proxy from the environment (``HTTPS_PROXY``, ``NO_PROXY``), as httpx takes it. aiohttp's
own ``trust_env`` is not used: it looks for the proxy and a ``.netrc`` in a thread on every
request, two thread hops that cost more than the rest of the request; here the proxy is
looked up once per host.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

import aiohttp
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

Timeout = float | None
# PTB's "not given" marks (DEFAULT_NONE and its kin): the request's own timeout applies
_NotGiven = type(BaseRequest.DEFAULT_NONE)


class AiohttpRequest(BaseRequest):
    """A PTB ``BaseRequest`` on one ``aiohttp.ClientSession``, opened by ``initialize``
    (PTB's ``Bot.initialize``: the session belongs to the running event loop) and closed
    by ``shutdown``. ``pool_size``: connections kept to Telegram at once.

    aiohttp has no timeout on writing alone. Our requests' bodies are small and go to the
    kernel at once, so the write timeout only counts when a file is sent: it then bounds
    the whole request, with the read timeout after it."""

    def __init__(
        self,
        *,
        pool_size: int = 256,
        read_timeout: Timeout = 5.0,
        connect_timeout: Timeout = 5.0,
        pool_timeout: Timeout = 1.0,
        media_write_timeout: Timeout = 20.0,
    ) -> None:
        self._pool_size = pool_size
        self._defaults = (read_timeout, media_write_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}  # (scheme, host): the proxy, if any
        self._default_timeout = _client_timeout(read_timeout, connect_timeout, pool_timeout)

    @property
    def read_timeout(self) -> float | None:
        return self._defaults[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            # Telegram sets no cookies: no jar to look them up in on every request
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
            self._proxies.clear()  # the environment is read again by a new session

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        given = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        if files or not all(isinstance(value, _NotGiven) for value in given):
            read, write, connect, pool = (
                default if isinstance(value, _NotGiven) else _seconds(value)
                for value, default in zip(given, self._defaults, strict=True)
            )
            timeout = _client_timeout(read, connect, pool, write if files else None)
        else:
            timeout = self._default_timeout
        body: aiohttp.FormData | dict[str, str] | None = fields
        if files:
            body = aiohttp.FormData(fields or {})
            for name, (filename, content, mime_type) in files.items():
                body.add_field(name, content, filename=filename, content_type=mime_type)
        try:
            async with session.request(method, url, data=body, timeout=timeout, proxy=self._proxy(url),
                                       headers={"User-Agent": self.USER_AGENT}) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error

    def _proxy(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            bypass = not key[1] or urllib.request.proxy_bypass(key[1])
            self._proxies[key] = None if bypass else urllib.request.getproxies_environment().get(key[0])
        return self._proxies[key]


def _seconds(value: object) -> Timeout:
    if value is None or isinstance(value, int | float):
        return value
    raise TypeError(f"a timeout is seconds or None, not {value!r}")


def _client_timeout(read: Timeout, connect: Timeout, pool: Timeout, write: Timeout = None) -> aiohttp.ClientTimeout:
    """aiohttp's ``connect`` is the wait for a pooled connection and, when a new one is
    needed, its connecting too; ``sock_connect`` the connecting alone. ``write``: a file's
    write timeout, which bounds the whole request; None, no bound but the others."""
    waiting = None if pool is None or connect is None else pool + connect
    whole = None if read is None or write is None else read + write + (waiting or 0.0)
    return aiohttp.ClientTimeout(total=whole, connect=waiting, sock_connect=connect, sock_read=read)


def aiohttp_requests() -> tuple[AiohttpRequest, AiohttpRequest]:
    """A ``Bot``'s two requests (PTB's ``request`` and ``get_updates_request``): every call
    but getUpdates, and getUpdates on a connection of its own, as PTB does, so a long poll
    never holds up a reply."""
    return AiohttpRequest(), AiohttpRequest(pool_size=1)


def telegram_bot(token: str, api_base: str) -> Bot:
    """The ``Bot`` aduan talks to Telegram with (``api_base``: https://api.telegram.org or
    a local Bot API server), on :func:`aiohttp_requests`."""
    base = api_base.rstrip("/")
    calls, updates = aiohttp_requests()
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
               request=calls, get_updates_request=updates)
