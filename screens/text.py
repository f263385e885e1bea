"""Small rendering helpers shared by screens (no widgets)."""

from __future__ import annotations

from typing import Any


def txt(value: Any, lang: str) -> str:
    """Text of a catalogue value in ``lang``: a bilingual Text, a plain str, or None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    getter = getattr(value, "get", None)
    if callable(getter):
        return str(getter(lang))
    return str(value)


def fen_to_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"
