"""A file a citizen sends in a chat, taken the same way on every channel: downloaded within
the limit of the kind it is sent as (a photo's, a voice note's, a video's), judged by its
bytes alone (:class:`bot.media.MediaPolicy`), and kept in the :class:`bot.media.MediaStore`.
Each adapter only says how to download (and turns its client's errors into
:class:`DownloadFailed`) and how to name the stored file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from ..media import Accepted, CappedBuffer, MediaKind, MediaPolicy, MediaStore, MediaTooBig, RefusalReason, Refused

log = logging.getLogger(__name__)

# writes the file into the buffer, which stops it past the policy's limit (MediaTooBig)
Download = Callable[[CappedBuffer, MediaPolicy], Awaitable[None]]


class DownloadFailed(Exception):
    """The channel could not give the file (its reason, for the log; never shown)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail[:200]


async def receive(policy: MediaPolicy, store: MediaStore, declared: MediaKind, download: Download,
                  name: Callable[[Accepted], Path], channel: str) -> tuple[Accepted, Path] | Refused:
    """The file as accepted and where it is kept, or why it was refused."""
    limited = policy.for_download(declared)
    buffer = limited.buffer()
    try:
        await download(buffer, limited)
    except MediaTooBig:  # the channel announced it, or the download went over
        return Refused(RefusalReason.TOO_BIG)
    except DownloadFailed as error:
        return Refused(RefusalReason.FAILED, error.detail)
    content = buffer.getvalue()
    verdict = await asyncio.to_thread(policy.check, content, declared)
    if not isinstance(verdict, Accepted):
        log.info("a %s file was refused: %s (%s)", channel, verdict.reason, verdict.detail)
        return verdict
    try:
        path = await asyncio.to_thread(store.save, name(verdict), content)
    except OSError:
        log.exception("a %s file could not be stored in the media folder", channel)
        return Refused(RefusalReason.FAILED, "not stored")
    return verdict, path
