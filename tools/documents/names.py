"""People's names across scripts: cleaning what a document prints, and comparing two names.

Both names are brought into one rough Latin spelling: Devanagari through indic-transliteration
(ITRANS) with the final inherent vowel dropped (कुमार is "kumar", not "kumara"), then both
sides lose the spelling differences Hindi names have in English (aa/a, ee/i, oo/u, w/v, x/ks,
an h after a consonant). "रवि कुमार" and "Ravi Kumar" become the same string; close spellings
("Agarwal", "अग्रवाल") score high with a sequence ratio.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from indic_transliteration import sanscript

NAME_MATCH = 0.8

HONORIFICS = (
    "shri", "shree", "sri", "sh", "smt", "shrimati", "mr", "mrs", "ms", "miss", "kumari", "km",
    "dr", "late", "master", "baby", "chi", "sau", "kum",
    "श्री", "श्रीमती", "सुश्री", "कुमारी", "कु", "स्व", "स्वर्गीय", "डॉ", "चि", "सौ", "कां", "आयु",
    "स्वर्गीया", "चिरंजीव", "सौभाग्यवती", "श्रीमान",
)
_HONORIFIC = re.compile(
    r"^(?:(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")\s*[.:]?\s+|"
    r"(?:" + "|".join(re.escape(h) for h in HONORIFICS if not h.isascii()) + r")\.\s*)",
    re.IGNORECASE,
)
_NOT_NAME = re.compile(r"[^\w\s.'\u0900-\u097f]|\d|_")
_DEVANAGARI_CONSONANT = re.compile(r"[\u0915-\u0939\u0958-\u095f]$")
_LATIN_RULES = [
    (r"aa+", "a"), (r"ee+|ii+|y$", "i"), (r"oo+|uu+", "u"), (r"w", "v"), (r"x", "ks"),
    (r"z", "j"), (r"q", "k"), (r"ph", "f"), (r"([bcdfgjklmnprstv])h", r"\1"), (r"(.)\1", r"\1"),
    (r"ng", "n"), (r"m(?=[bp])", "n"), (r"[^a-z ]", ""),
]


def clean_name(raw: str) -> str:
    """A name as printed, without honorifics, punctuation or what follows it on the line."""
    text = unicodedata.normalize("NFC", raw).replace("\u200c", "").replace("\u200d", "")
    text = re.split(r"\(|,|;|\s(?:s/o|d/o|w/o|c/o|son of|daughter of|wife of)\b|"
                    r"\s(?:पुत्र|पुत्री|पत्नी|सुपुत्र|सुपुत्री|निवासी)\s", text,
                    maxsplit=1, flags=re.IGNORECASE)[0]
    text = _NOT_NAME.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _HONORIFIC.sub("", text.strip())
    return " ".join(word.strip(".'") for word in text.split() if word.strip(".'"))


def is_devanagari(text: str) -> bool:
    """Whether the text is mostly Devanagari letters."""
    letters = [c for c in text if c.isalpha() or "\u0900" <= c <= "\u097f"]
    return bool(letters) and sum("\u0900" <= c <= "\u097f" for c in letters) * 2 > len(letters)


def romanise(name: str) -> str:
    """A name in one rough lowercase Latin spelling, whatever script it came in."""
    words = []
    for word in clean_name(name).split():
        if is_devanagari(word):
            latin = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.ITRANS)
            latin = latin.replace("M", "n").replace(".n", "n").replace("~N", "n").lower()
            if _DEVANAGARI_CONSONANT.search(word) and latin.endswith("a"):
                latin = latin[:-1]
        else:
            latin = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        for pattern, replacement in _LATIN_RULES:
            latin = re.sub(pattern, replacement, latin)
        if latin:
            words.append(latin)
    return " ".join(words)


def name_similarity(first: str, second: str) -> float:
    """How alike two names are, 0 to 1: the mean likeness of paired words, less for extra words.

    Each word of the shorter name is paired with its best partner in the longer one, so word
    order does not matter ("Kumar Ravi"); a name run together ("Ravikumar") is compared whole.
    """
    a, b = romanise(first).split(), romanise(second).split()
    if not a or not b:
        return 0.0
    joined = _word_similarity("".join(a), "".join(b))
    short, long = sorted((a, b), key=len)
    paired = [max(_word_similarity(w, v) for v in long) for w in short]
    # A middle name may be missing, but a surname alone is not a name.
    missing = len(long) - len(short)
    coverage = 1.0 if missing == 0 or (missing == 1 and len(short) >= 2) else (
        len(short) / len(long)
    )
    return max(joined, min(paired) * coverage)


def names_match(first: str, second: str) -> bool:
    """Whether two names are the same person's name as far as spelling and script go."""
    return name_similarity(first, second) >= NAME_MATCH


def _skeleton(word: str) -> str:
    return word[:1] + re.sub(r"[aeiouy]", "", word[1:])


def _word_similarity(first: str, second: str) -> float:
    if first == second:
        return 1.0
    if first[:1] != second[:1]:
        # Names that differ in their first sound are different names (Sunita, Anita).
        return 0.0
    if _skeleton(first) == _skeleton(second):
        return 0.95
    ratio = SequenceMatcher(None, first, second).ratio()
    return ratio if ratio >= 0.86 else ratio / 2
