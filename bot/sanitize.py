"""Make raw chat text safe to understand and store."""

from __future__ import annotations

import unicodedata

_KEEP = {"\n", "\t"}
# Control characters, format characters (zero-width spaces and joiners, RTL/LTR marks and
# overrides, BOM) and lone surrogates: invisible, confusing, or unstorable in PostgreSQL.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs"}


def clean_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    kept = (ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP_CATEGORIES)
    lines = (" ".join(line.split()) for line in "".join(kept).splitlines())
    return "\n".join(line for line in lines if line).strip()
