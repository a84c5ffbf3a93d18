"""The seam for speech recognition: voice notes as text, once a recogniser is plugged in.

Voice notes are kept as evidence like photos (:mod:`bot.media` checks them); what they say
is not understood yet. A :class:`Recogniser` turns a stored recording into Indonesian text
the engine could read like a typed message; :class:`NoRecogniser`, the only one here, hears
nothing, so a voice note stays an attachment and the citizen is asked to write a sentence.

A real recogniser (an on-premises model, a cloud service) implements :meth:`Recogniser.transcribe`
and is passed in by the composition root (``aduan/``); nothing here imports a model. It
must return None rather than guess: an empty or unsure transcript is not text the citizen
wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class Recogniser(Protocol):
    async def transcribe(self, path: Path, language: str = "id") -> str | None:
        """What the recording at ``path`` (a file in the media store) says, in ``language``
        (a BCP 47 code, Indonesian by default); None when it cannot tell."""
        ...


class NoRecogniser:
    """No speech recognition: every recording is left untranscribed."""

    async def transcribe(self, path: Path, language: str = "id") -> str | None:
        return None
