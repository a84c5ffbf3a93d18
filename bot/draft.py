"""The complaint draft of the intake dialog: what is missing, how to ask for it.

The draft lives in the dialog state (a JSON-ready dict stored per channel and sender), so
any worker can continue it and a restart loses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from complaints.model import Complainant, Complaint, Evidence, Place
from complaints.notifications import Button
from complaints.taxonomy import (
    Category,
    Maladministration,
    PrivacyMode,
    ReportType,
    Weight,
)

from . import texts
from .turn import Turn

MAX_PLACE_TRIES = 2  # after this many unknown places, the text is accepted as it is
MIN_DESCRIPTION_WORDS = 4
DONT_REMEMBER = re.compile(r"\b(lupa|tidak ingat|tdk ingat|gak ingat|ga ingat|nggak ingat|tidak tahu|gak tau|ga tau|entah)\b")


@dataclass(frozen=True)
class IntakeConfig:
    tz: ZoneInfo
    area_name: str | None = None  # e.g. "Kota Surabaya", to word "unknown place" replies
    category_threshold: float = 0.5  # below it, the dialog asks instead of guessing


# --- what is still missing ---------------------------------------------------------------

def place_done(place: dict[str, Any]) -> bool:
    return bool(place.get("region_code") or place.get("latitude") is not None or place.get("accepted"))


def next_missing(draft: dict[str, Any]) -> str | None:
    if not draft.get("description"):
        return "description"
    if not place_done(draft.get("place") or {}):
        return "place"
    if "event_date" not in draft:
        return "date"
    if not draft.get("category") and not draft.get("agency"):
        return "service"
    if not draft.get("privacy"):
        return "privacy"
    if draft["privacy"] != PrivacyMode.ANONIM:
        if not draft.get("name"):
            return "name"
        if "phone" not in draft:
            return "contact"
    return None


# --- filling the draft from what the NLU understood --------------------------------------

def absorb(draft: dict[str, Any], parse: Any, config: IntakeConfig, *, describe: bool) -> None:
    """Fill empty draft fields from a parse of the citizen's words; never overwrite."""
    if describe and not draft.get("description"):
        draft["description"] = parse.text.strip()
    if parse.category is not None and not draft.get("category"):
        if parse.category_confidence >= config.category_threshold:
            draft["category"] = parse.category.value
    if parse.category_ranking and not draft.get("ranking"):
        draft["ranking"] = [c.value for c, _ in parse.category_ranking]
    for key, value in (
        ("report_type", parse.report_type),
        ("weight", parse.weight),
        ("maladministration", parse.maladministration),
    ):
        if value is not None and not draft.get(key):
            draft[key] = value.value
    place = draft.setdefault("place", {})
    found = parse.entity("place")
    if found is not None and not place.get("region_code"):
        place.update(region_code=found.value["code"], region_name=found.value.get("path") or found.value["name"])
    detail = parse.entity("place_detail")
    if detail is not None and not place.get("detail"):
        place["detail"] = str(detail.value)
    when = parse.entity("date")
    if when is not None and "event_date" not in draft:
        draft["event_date"] = when.value.isoformat()
    agency = parse.entity("agency")
    if agency is not None and not draft.get("agency"):
        draft["agency"] = str(agency.value)
    phone = parse.entity("phone")
    if phone is not None and not draft.get("phone"):
        draft["phone"] = str(phone.value)


def is_substantive(parse: Any) -> bool:
    """Does this first message already describe a problem (not just "mau lapor")?"""
    return parse.category is not None or len(parse.text.split()) >= MIN_DESCRIPTION_WORDS


# --- asking ------------------------------------------------------------------------------

def ask(turn: Turn, step: str | None, config: IntakeConfig) -> None:
    """Ask for ``step`` (or show the summary when nothing is missing) and remember it."""
    draft = turn.draft
    turn.state["step"] = step or "confirm"
    if step is None:
        turn.say(
            texts.summary(draft, config.tz),
            [Button("confirm:send", texts.BTN_SEND), Button("confirm:edit", texts.BTN_EDIT),
             Button("confirm:cancel", texts.BTN_CANCEL)],
        )
    elif step == "description":
        turn.say(texts.ASK_DESCRIPTION)
    elif step == "place":
        detail = (draft.get("place") or {}).get("detail")
        turn.say(texts.ASK_PLACE_REGION.format(detail=detail) if detail else texts.ASK_PLACE)
    elif step == "date":
        turn.say(texts.ASK_DATE, [Button("date:unknown", texts.BTN_DATE_UNKNOWN)])
    elif step == "service":
        ranking = [c for c in draft.get("ranking", []) if c != Category.LAINNYA][:3]
        if ranking:
            buttons = [Button(f"service:{c}", texts.category_label(c)) for c in ranking]
            buttons.append(Button("service:lainnya", texts.BTN_OTHER_CATEGORY))
            turn.say(texts.ASK_SERVICE_CHOICES, buttons)
        else:
            turn.say(texts.ASK_SERVICE)
    elif step == "privacy":
        turn.say(texts.ASK_PRIVACY, [Button(f"privacy:{m.value}", label) for m, label in texts.PRIVACY_BUTTONS.items()])
    elif step == "name":
        turn.say(texts.ASK_NAME)
    elif step == "contact":
        turn.say(texts.ASK_CONTACT, [Button("contact:chat", texts.BTN_CHAT_CONTACT)])
    elif step == "edit":
        turn.say(texts.ASK_EDIT_FIELD, [Button(f"edit:{k}", v) for k, v in texts.EDIT_FIELD_LABELS.items()])
    else:  # pragma: no cover - programming error
        raise ValueError(step)


def ask_next(turn: Turn, config: IntakeConfig) -> None:
    ask(turn, next_missing(turn.draft), config)


def reprompt(turn: Turn, config: IntakeConfig) -> None:
    step = turn.state.get("step")
    ask(turn, None if step == "confirm" else step, config)


# --- the answer to each question -----------------------------------------------------------

def clear_field(draft: dict[str, Any], field: str) -> None:
    if field == "description":
        draft.pop("description", None)
    elif field == "place":
        draft["place"] = {}
        draft.pop("place_tries", None)
    elif field == "date":
        draft.pop("event_date", None)
    elif field == "service":
        draft.pop("category", None)
        draft.pop("agency", None)
    elif field == "identity":
        for key in ("privacy", "name", "phone"):
            draft.pop(key, None)


def to_complaint(draft: dict[str, Any], channel: str, sender: str, now: Any) -> Complaint:
    """The complete draft as a Complaint ready to be filed (code and unit come later)."""
    place = draft.get("place") or {}
    privacy = PrivacyMode(draft.get("privacy") or PrivacyMode.BIASA)
    complainant = Complainant()
    if privacy is not PrivacyMode.ANONIM:
        complainant = Complainant(name=draft.get("name"), phone=draft.get("phone"))
    when = draft.get("event_date")
    return Complaint(
        code="",
        description=draft["description"],
        channel=channel,
        sender=sender,
        created_at=now,
        category=Category(draft.get("category") or Category.LAINNYA),
        report_type=ReportType(draft.get("report_type") or ReportType.PENGADUAN),
        weight=Weight(draft.get("weight") or Weight.SEDANG),
        maladministration=Maladministration(draft["maladministration"]) if draft.get("maladministration") else None,
        place=Place(
            detail=place.get("detail") or "",
            region_code=place.get("region_code"),
            region_name=place.get("region_name"),
            latitude=place.get("latitude"),
            longitude=place.get("longitude"),
        ),
        event_date=date.fromisoformat(when) if when and when != "unknown" else None,
        agency=draft.get("agency"),
        evidence=[Evidence(**e) for e in draft.get("evidence", [])],
        complainant=complainant,
        privacy=privacy,
    )
