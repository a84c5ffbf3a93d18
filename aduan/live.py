"""The organisation of a running process, picked up again when its file changes.

Every consumer (the chat engine for each message, the API for each request, the Rasa
actions, the sweep for each pass, the commands) asks :meth:`LiveOrganisation.current` for
the snapshot to use. The snapshot is a frozen ``CaseContext``; a changed file is loaded
into a brand-new one and swapped in with a single assignment, so a message or a pass uses
either the old organisation or the new one, never a mixture. A file that does not load is
logged and the running organisation kept. No process needs wiring for it: ``aduan serve``
with or without the scheduler, ``aduan chat``, the API and the Rasa action server all see
a change within ``every`` seconds, at their next message, request or pass.

The NLU's region scope and the chat's area name are read once at start-up; a change of
``region`` needs a restart.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from complaints.org import Organisation
from complaints.usecases.context import CaseContext

from .organisation import OrganisationFileError, load_organisation

log = logging.getLogger(__name__)

RECHECK_SECONDS = 2.0
Signature = tuple[int, int, int]  # what a change of the file changes: mtime (ns), size, inode


def signature(path: Path) -> Signature | None:
    try:
        stat = os.stat(path)
    except OSError:  # an editor replacing the file, a mount gone: try again later
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class LiveOrganisation:
    """The current ``CaseContext``, re-read from ``path`` when the file changed.

    ``clock`` is monotonic seconds (injected by tests); the file is looked at (one stat) at
    most every ``every`` seconds. Without a ``path`` (an organisation given in code) the
    snapshot changes only through :meth:`swap`.
    """

    def __init__(
        self,
        build: Callable[[Organisation], CaseContext],
        org: Organisation,
        *,
        path: Path | None = None,
        seen: Signature | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = RECHECK_SECONDS,
    ) -> None:
        self._build = build
        self._current = build(org)
        self.path = path
        self._seen = seen  # the file as it was when ``org`` was read from it
        self._clock = clock
        self._every = every
        self._checked_at = clock()

    def current(self) -> CaseContext:
        if self.path is not None and self._clock() - self._checked_at >= self._every:
            self._checked_at = self._clock()
            self._reload_if_changed(self.path)
        return self._current

    def swap(self, org: Organisation) -> CaseContext:
        """Use ``org`` from now on (what a reload does; tests use it directly)."""
        self._current = snapshot = self._build(org)
        return snapshot

    def _reload_if_changed(self, path: Path) -> None:
        seen = signature(path)
        if seen is None or seen == self._seen:
            return
        self._seen = seen  # a broken file is reported once, not at every look
        try:
            org = load_organisation(path)
        except OrganisationFileError as error:
            log.error("organisation file not reloaded, the running organisation is kept: %s", error)
            return
        self.swap(org)
        log.info("organisation file reloaded: %s", path)
