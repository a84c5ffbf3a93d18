"""The dialog state of one chat: typed, versioned, stored as JSON.

Where a conversation stands between two messages is one of these values:

- :class:`Idle`: nothing under way (nothing is stored);
- :class:`AwaitingCode`: "Cek status" was pressed, the next message is a tracking code;
- :class:`Asking`: a report is being drafted and one question (a :class:`bot.draft.Step`) waits;
- :class:`ResumeOffered`: the citizen came back to an unsent draft after a long silence and
  was asked whether to continue it or start again;
- :class:`Offered`: the bot offered to make a report of the last message (after an unsure
  message, an emergency's numbers, a question it could not answer);
- :class:`OfficerNote`: an officer pressed an action that needs a note, the next message is it
  (for "Gabungkan (duplikat)", the code of the case kept).

The engine reads the stored JSON with :func:`load` and writes it with :func:`dump`, at the
unit-of-work boundary only; everything in between works on these types. The JSON carries
``version``; a state stored before versions existed (``{"mode": "intake", "step": ...,
"draft": {...}}``, ``{"awaiting": "code"}``, ``{"pending": {"action": ..., "code": ...}}``)
is migrated on read, so a conversation under way when the bot is upgraded continues.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from complaints.taxonomy import Category

from .buttons import OfficerAction
from .draft import Draft, Step, next_missing

VERSION: Final = 2  # version 1: the untyped dicts of before (no "version" key)


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[2] = VERSION


class Idle(_State):
    mode: Literal["idle"] = "idle"


class AwaitingCode(_State):
    mode: Literal["awaiting_code"] = "awaiting_code"


class Asking(_State):
    mode: Literal["intake"] = "intake"
    step: Step
    draft: Draft
    # more problems of the same first message, each to be a report of its own after this one
    pending: list[str] = Field(default_factory=list)


class OfferKind(StrEnum):
    REPORT = "report"  # "Apakah Anda ingin membuat laporan?" after a message we were unsure of
    EMERGENCY = "emergency"  # the numbers were given; a report (weight berat) is offered
    QUESTION = "question"  # no answer in the FAQ: send the question to an officer


class Offered(_State):
    """The bot offered to make a report of the message in ``pending_text``; a yes starts it,
    anything else is read as a new message."""

    mode: Literal["offer"] = "offer"
    kind: OfferKind
    pending_text: str


class ResumeOffered(_State):
    mode: Literal["intake"] = "intake"
    step: Literal["resume"] = "resume"
    paused: Step  # the question to go back to on "Lanjutkan"
    pending_text: str = ""  # the message that came after the silence, read again on "Mulai baru"
    draft: Draft


class OfficerNote(_State):
    mode: Literal["officer_note"] = "officer_note"
    action: OfficerAction
    code: str  # as the officer gave it; checked when the note comes


DialogState = Idle | AwaitingCode | Asking | ResumeOffered | Offered | OfficerNote
IDLE = Idle()


_Kind = type[Idle] | type[AwaitingCode] | type[Asking] | type[ResumeOffered] | type[Offered] | type[OfficerNote]
_BY_MODE: dict[str, _Kind] = {
    "idle": Idle, "awaiting_code": AwaitingCode, "offer": Offered, "officer_note": OfficerNote,
}


def _kind(stored: Mapping[str, object]) -> _Kind:
    """Which kind a stored object is, by its ``mode`` (and, in the intake, the "resume" step)."""
    mode = stored.get("mode")
    if mode == "intake":
        return ResumeOffered if stored.get("step") == "resume" else Asking
    kind = _BY_MODE.get(mode) if isinstance(mode, str) else None
    if kind is None:
        raise Unreadable("no kind of state has this mode")
    return kind


class Unreadable(ValueError):
    """A stored state that is none of the above (damaged, or from a newer version)."""


def load(stored: Mapping[str, object] | None) -> DialogState:
    """The state as stored (None: no row), migrated from an older version if need be;
    :class:`Unreadable` when it cannot be read (the message names what, never a value)."""
    if not stored:
        return IDLE
    try:
        if "version" not in stored:
            return _from_version_1(stored)
        return _kind(stored).model_validate(stored)
    except Unreadable:
        raise
    except ValidationError as error:
        problems = ", ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in error.errors()[:5])
        raise Unreadable(problems) from None
    except (TypeError, ValueError, KeyError) as error:  # in the migration of version 1
        raise Unreadable(f"version 1: {type(error).__name__}") from None


def dump(state: DialogState) -> dict[str, JsonValue] | None:
    """The state as a JSON object to store, without the fields that are None (None is the
    default of each, "not known yet"); None for Idle (the row is deleted)."""
    if isinstance(state, Idle):
        return None
    return state.model_dump(mode="json", exclude_none=True)


# --- migration from the untyped dicts of version 1 -------------------------------------------

_STEPS_1 = {step.value for step in Step}
_CATEGORIES = {category.value for category in Category}


def _draft_from_version_1(old: Mapping[str, object]) -> Draft:
    """Version 1's draft: the same keys, but "" for nothing, ``"phone"`` present with None
    for "through this chat", and any string in the category ranking."""
    fields = {key: value for key, value in old.items() if value not in ("", None) and key != "phone"}
    if "phone" in old:
        fields["contact"] = {"phone": old["phone"] or None}
    place = fields.get("place")
    if isinstance(place, Mapping):
        fields["place"] = {key: value for key, value in place.items() if value is not None}
    ranking = fields.get("ranking")
    if isinstance(ranking, list):
        fields["ranking"] = [value for value in ranking if value in _CATEGORIES]
    return Draft.model_validate(fields)


def _step_from_version_1(step: object, draft: Draft) -> Step:
    if isinstance(step, str) and step in _STEPS_1:
        return Step(step)
    return next_missing(draft) or Step.CONFIRM  # no step, or one no longer asked: what is missing


def _from_version_1(old: Mapping[str, object]) -> DialogState:
    pending = old.get("pending")
    if isinstance(pending, Mapping):
        return OfficerNote(action=OfficerAction(pending["action"]), code=str(pending["code"]))
    if old.get("mode") == "intake":
        raw = old.get("draft") or {}
        if not isinstance(raw, Mapping):
            raise Unreadable("the draft is not an object")
        draft = _draft_from_version_1(raw)
        if old.get("step") == "resume":
            text = old.get("pending_text")
            return ResumeOffered(paused=_step_from_version_1(old.get("resume_step"), draft),
                                 pending_text=text if isinstance(text, str) else "", draft=draft)
        return Asking(step=_step_from_version_1(old.get("step"), draft), draft=draft)
    if old.get("awaiting") == "code":
        return AwaitingCode()
    raise Unreadable("a version 1 state of no known kind")
