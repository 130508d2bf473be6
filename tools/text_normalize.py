"""Small text helpers shared by value parsing: Unicode form and Devanagari digits."""

from __future__ import annotations

import unicodedata

DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def normalize_text(text: str) -> str:
    """NFC form, ASCII digits, no zero-width joiners, single spaces, stripped."""
    text = unicodedata.normalize("NFC", text).translate(DEVANAGARI_DIGITS)
    text = text.replace("\u200c", "").replace("\u200d", "")
    return " ".join(text.split())


def fold(text: str) -> str:
    """A form for loose comparison: normalized and case-folded."""
    return normalize_text(text).casefold()
