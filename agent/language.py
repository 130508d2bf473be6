"""Which language and script a message is written in: Hindi, Hinglish or English."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.lexicon import lexicon

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"\b[a-z]+\b")


@dataclass(frozen=True)
class LanguageGuess:
    """A guess, and whether the message said enough to be sure."""

    language: str  # hi, hi-Latn or en
    confident: bool
    lean: str = ""  # the likelier language even when unsure, for a first message


def detect_language(text: str, fallback: str = "hi-Latn") -> LanguageGuess:
    """Guess the language of a message; short or neutral ones return the fallback, unsure."""
    devanagari = len(DEVANAGARI.findall(text))
    latin = len(LATIN.findall(text))
    if devanagari and devanagari >= latin:
        return LanguageGuess("hi", True)
    if not latin:
        return LanguageGuess(fallback, False)

    words = WORD.findall(text.lower())
    hindi = sum(1 for w in words if w in lexicon().hinglish_markers)
    english = sum(1 for w in words if w in lexicon().english_markers)
    if hindi > english and hindi >= 1:
        return LanguageGuess("hi-Latn", True)
    if english > hindi and english >= 1 and len(words) >= 2:
        return LanguageGuess("en", True)
    # Several Latin words and not one Hindi word ("continue learner licence"): likely English.
    lean = "en" if hindi == 0 and len(words) >= 2 else fallback
    return LanguageGuess(fallback, False, lean)


def requested_language(text: str) -> str | None:
    """The language a citizen asks for ("English please", "हिंदी में"), if that is the message."""
    folded = text.strip().lower()
    for language, phrases in lexicon().language_requests.items():
        if any(re.search(rf"(^|\W){re.escape(p)}($|\W)", folded) for p in phrases):
            if len(folded.split()) <= 6:
                return language
    return None


def strong_language_signal(text: str) -> bool:
    """Whether a message says clearly which language it is in: a sentence, not just a value."""
    words = WORD.findall(text.lower())
    hindi = sum(1 for w in words if w in lexicon().hinglish_markers)
    english = sum(1 for w in words if w in lexicon().english_markers)
    return (hindi >= 2 and english == 0) or (english >= 2 and hindi == 0)
