"""Finding values in free text: dates, numbers, application numbers, UPICs, years, names."""

from __future__ import annotations

import re
from datetime import date, timedelta

from agent.lexicon import lexicon
from agent.normalize import fold, normalize

APPLICATION_NUMBER = re.compile(r"\b([A-Za-z]{2,4})\s*[-/ ]\s*(\d{4})\s*[-/ ]\s*(\d{1,6})\b")
UPIC = re.compile(r"\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{15}\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})\b")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
INTEGER = re.compile(r"\b\d{1,9}\b")
ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b")
AMOUNT = re.compile(
    r"(?:₹|rs\.?|inr)\s*(\d[\d,]*(?:\.\d{1,2})?)"
    r"|(\d[\d,]*(?:\.\d{1,2})?)\s*(?:₹|rs\b|rupees?|rupaye|rupay|rupiya|रुपये|रुपए|रुपया)",
    re.IGNORECASE,
)


def application_numbers(text: str, codes: set[str]) -> list[str]:
    """Application numbers like `BC-2026-000001` (also `bc 2026 1`), for known service codes."""
    found = []
    for code, year, serial in APPLICATION_NUMBER.findall(normalize(text)):
        if code.upper() in codes:
            found.append(f"{code.upper()}-{year}-{int(serial):06d}")
    return found


def amounts(text: str) -> list[int]:
    """Amounts of money in the text, in whole rupees ("₹4,320", "500 rupaye", "Rs. 150")."""
    found = []
    for match in AMOUNT.finditer(normalize(text)):
        figure = (match.group(1) or match.group(2)).replace(",", "")
        found.append(round(float(figure)))
    return found


def upics(text: str) -> list[str]:
    """15-character property ids (letters and digits), also typed in groups ("DL01 2345 …")."""
    words = normalize(text).replace("-", " ").split()
    found = [match.upper() for word in words for match in UPIC.findall(word)]
    if found:
        return found
    # Groups typed with spaces ("DL01 2345 6789 AB1"): join neighbouring groups, each with a
    # digit in it, so that ordinary words ("20 november ko hua") never join up.
    for start in range(len(words)):
        joined = ""
        for word in words[start:start + 6]:
            if not word.isalnum() or not any(ch.isdigit() for ch in word):
                break
            joined += word
            if len(joined) == 15 and UPIC.fullmatch(joined):
                return [joined.upper()]
            if len(joined) > 15:
                break
    return []


def integers(text: str) -> list[int]:
    """Whole numbers, written in digits (any script) or as words (`do`, `तीन`)."""
    normal = normalize(text)
    found = [int(n) for n in INTEGER.findall(normal)]
    if found:
        return found
    words = lexicon().number_words
    return [words[token] for token in fold(normal).split() if token in words]


def years(text: str) -> list[int]:
    """Four-digit years from 1900 to 2099."""
    return [int(y) for y in YEAR.findall(normalize(text))]


def dates(text: str, today: date) -> list[date]:
    """Dates in the text, in the order written; a date without a year is the latest past one."""
    normal = normalize(text)
    found: list[tuple[int, date]] = []

    for match in ISO_DATE.finditer(normal):
        _add(found, match.start(), int(match.group(1)), int(match.group(2)), int(match.group(3)))
    for match in NUMERIC_DATE.finditer(normal):
        if any(abs(pos - match.start()) < 3 for pos, _ in found):
            continue
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if year < 100:
            year += 2000 if year <= today.year % 100 else 1900
        _add(found, match.start(), year, month, day)

    found += _worded_dates(normal, today)
    if not found:
        folded = fold(normal)
        for phrase, days in sorted(lexicon().relative_days.items(), key=lambda p: -len(p[0])):
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
                found.append((0, today - timedelta(days=days)))
                break
    return [value for _, value in sorted(found, key=lambda item: item[0])]


def _add(found: list[tuple[int, date]], position: int, year: int, month: int, day: int) -> None:
    try:
        found.append((position, date(year, month, day)))
    except ValueError:
        return


def _worded_dates(text: str, today: date) -> list[tuple[int, date]]:
    """`5 march 2024`, `march 5`, `5th mar`, `पांच मार्च`, `05 मार्च 2024`."""
    lex = lexicon()
    words = ORDINAL.sub(r"\1", fold(text)).replace(",", " ").split()
    found = []
    for index, word in enumerate(words):
        month = lex.months.get(word)
        if month is None:
            continue
        day = _number_at(words, index - 1) or _number_at(words, index + 1)
        if day is None or not 1 <= day <= 31:
            continue
        year = _year_near(words, index)
        if year is None:
            year = today.year
            try:
                if date(year, month, day) > today:
                    year -= 1
            except ValueError:
                continue
        try:
            found.append((index * 1000, date(year, month, day)))
        except ValueError:
            continue
    return found


def _number_at(words: list[str], index: int) -> int | None:
    if not 0 <= index < len(words):
        return None
    word = words[index]
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return lexicon().number_words.get(word)


def _year_near(words: list[str], index: int) -> int | None:
    for offset in (1, 2):
        if index + offset < len(words) and re.fullmatch(r"(19|20)\d{2}", words[index + offset]):
            return int(words[index + offset])
    return None
