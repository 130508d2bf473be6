"""Normalising what citizens type: Unicode form, digits, spelling variants, phrase matching."""

from __future__ import annotations

import re
from functools import lru_cache

from agent.lexicon import lexicon
from tools.text_normalize import normalize_text

PUNCTUATION = re.compile(r"[^\w\s\u0900-\u097F'/.:-]")
TOKEN = re.compile(r"[\w\u0900-\u097F']+")


def normalize(text: str) -> str:
    """NFC, ASCII digits, no zero-width characters, single spaces; case and script kept."""
    return normalize_text(text)


def fold(text: str) -> str:
    """Lower case, punctuation as spaces, and common misspellings mapped to one spelling."""
    lowered = PUNCTUATION.sub(" ", normalize(text).lower())
    spellings = lexicon().spellings
    words = [spellings.get(word, word) for word in lowered.split()]
    return " ".join(words)


def tokens(text: str) -> list[str]:
    """The words of a folded text."""
    return TOKEN.findall(text)


@lru_cache(maxsize=8192)
def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    folded = fold(phrase)
    if not folded:
        return None
    return re.compile(rf"(?<![\w\u0900-\u097F]){re.escape(folded)}(?![\w\u0900-\u097F])")


def has_phrase(folded_text: str, phrase: str) -> bool:
    """Whether a phrase occurs in folded text as whole words."""
    pattern = _phrase_pattern(phrase)
    return pattern is not None and pattern.search(folded_text) is not None


def has_any(folded_text: str, phrases: list[str]) -> bool:
    """Whether any of the phrases occurs in folded text as whole words."""
    return any(has_phrase(folded_text, phrase) for phrase in phrases)


def is_only(folded_text: str, phrases: list[str]) -> bool:
    """Whether the folded text is one of the phrases and nothing more."""
    return folded_text.strip(" .!?") in _folded_set(tuple(phrases))


@lru_cache(maxsize=1024)
def _folded_set(phrases: tuple[str, ...]) -> frozenset[str]:
    # The phrase lists come from the lexicon, read once: fold each list once, not every turn.
    return frozenset(fold(phrase) for phrase in phrases)
