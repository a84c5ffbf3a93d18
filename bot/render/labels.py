"""The labels of categories and statuses, and one-line excerpts of what citizens wrote."""

from __future__ import annotations

from complaints.taxonomy import CATEGORY_LABELS, Category, Status

from ..texts import public


def category_label(category: Category | str | None) -> str:
    if category is None:
        return "-"
    return CATEGORY_LABELS.get(Category(category), str(category))


def status_label(status: Status | str) -> str:
    return public.STATUS_LABELS[Status(status)]


def grouped(n: int) -> str:
    """A count in Indonesian notation: 12.345 (a dot between thousands)."""
    return f"{n:,}".replace(",", ".")


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
