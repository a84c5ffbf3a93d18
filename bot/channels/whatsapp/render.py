"""Replies as WhatsApp message objects: text, reply buttons, lists, templates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from complaints.notifications import Button

from ... import texts
from .common import (
    MAX_BUTTON_ID,
    MAX_BUTTON_TITLE,
    MAX_INTERACTIVE_BODY,
    MAX_LIST_ROWS,
    MAX_REPLY_BUTTONS,
    MAX_ROW_DESCRIPTION,
    MAX_ROW_ID,
    MAX_ROW_TITLE,
    MAX_TEMPLATE_PARAM,
    MAX_TEXT,
)

# --- message objects -------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line break or space where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def text_message(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def button_message(text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": clip(text, MAX_INTERACTIVE_BODY)},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.id[:MAX_BUTTON_ID], "title": clip(b.label, MAX_BUTTON_TITLE)}}
                    for b in buttons[:MAX_REPLY_BUTTONS]
                ]
            },
        },
    }


def _row(button: Button) -> dict[str, str]:
    row = {"id": button.id[:MAX_ROW_ID], "title": clip(button.label, MAX_ROW_TITLE)}
    if len(button.label) > MAX_ROW_TITLE:  # the whole label stays readable below the title
        row["description"] = clip(button.label, MAX_ROW_DESCRIPTION)
    return row


def list_message(text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": clip(text, MAX_INTERACTIVE_BODY)},
            "action": {
                "button": clip(texts.WA_LIST_BUTTON, MAX_BUTTON_TITLE),
                "sections": [{"rows": [_row(b) for b in buttons[:MAX_LIST_ROWS]]}],
            },
        },
    }


def template_param(text: str) -> str:
    """Template parameters may not hold line breaks, tabs or runs of spaces."""
    flat = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    flat = re.sub(r"\s+", " ", flat)
    return clip(flat, MAX_TEMPLATE_PARAM) or "-"


def template_message(name: str, language: str, params: Sequence[str] = ()) -> dict[str, Any]:
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if params:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": template_param(p)} for p in params]}
        ]
    return {"type": "template", "template": template}


def render(text: str, buttons: Sequence[Button] = ()) -> list[dict[str, Any]]:
    """The message objects that show one reply: text pieces, then its choices."""
    if not buttons:
        return [text_message(piece) for piece in split_text(text) if piece.strip()]
    messages: list[dict[str, Any]] = []
    body = text
    if len(text) > MAX_INTERACTIVE_BODY or not text.strip():
        messages = [text_message(piece) for piece in split_text(text)] if text.strip() else []
        body = texts.WA_CHOOSE
    if len(buttons) <= MAX_REPLY_BUTTONS:
        return [*messages, button_message(body, buttons)]
    groups = [buttons[i : i + MAX_LIST_ROWS] for i in range(0, len(buttons), MAX_LIST_ROWS)]
    messages.append(list_message(body, groups[0]))
    messages.extend(list_message(texts.WA_MORE_CHOICES, group) for group in groups[1:])
    return messages
