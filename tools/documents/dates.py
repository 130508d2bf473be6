"""Dates as documents print them, in English and Hindi, turned into ISO `YYYY-MM-DD`.

Numeric dates are read day first, as in India (`05/08/1990` is 5 August). Month names may be
English (full or three letters) or Hindi in their common spellings; digits may be Devanagari.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tools.documents.aadhaar import ascii_digits

_ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december"]
_HINDI = [
    ("जनवरी",), ("फरवरी", "फ़रवरी"), ("मार्च",), ("अप्रैल", "अप्रेल"), ("मई",), ("जून",),
    ("जुलाई",), ("अगस्त",), ("सितंबर", "सितम्बर"), ("अक्टूबर", "अक्तूबर", "अक्तुबर"),
    ("नवंबर", "नवम्बर"), ("दिसंबर", "दिसम्बर"),
]
MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_ENGLISH, start=1):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9
for _number, _names in enumerate(_HINDI, start=1):
    for _name in _names:
        MONTHS[_name] = _number

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_SEP = r"\s*[/.\-]\s*"
_PATTERNS = [
    re.compile(rf"(?<!\d){_YEAR}-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    # OCR sometimes splits a number ("15.1 0.1968"), so one space may sit inside each part.
    re.compile(
        r"(?<!\d)(?P<day>(?:[0-3] ?)?\d)" + _SEP + r"(?P<month>(?:[01] ?)?\d)" + _SEP
        + r"(?P<year>(?:1 ?9|2 ?0) ?\d ?\d)(?!\d)"
    ),
    re.compile(
        rf"(?<!\d){_DAY}[\s\-.,]*(?:of\s+)?(?P<mname>{_MONTH})\.?[\s\-.,]*{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"(?P<mname>{_MONTH})\.?\s+{_DAY}\s*,?\s*{_YEAR}(?!\d)", re.IGNORECASE),
]


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its ISO form and where it was."""

    iso: str
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in the text, in the order they appear, without overlaps."""
    text = ascii_digits(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            iso = _to_iso(match)
            if iso:
                found.append(FoundDate(iso, *span))
                taken.append(span)
    return sorted(found, key=lambda item: item.start)


def parse_date(text: str) -> str | None:
    """The first date in the text as ISO, or None."""
    dates = find_dates(text)
    return dates[0].iso if dates else None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = {key: value.replace(" ", "") if value else value
              for key, value in match.groupdict().items()}
    if groups.get("mname"):
        month = MONTHS.get(match.group("mname").lower())
    else:
        month = int(groups["month"])
    try:
        return date(int(groups["year"]), month or 0, int(groups["day"])).isoformat()
    except ValueError:
        return None
