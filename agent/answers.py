"""Reading a field's value out of a citizen's message, by the field's type in the catalog.

The result is what the citizen meant in a form the tools accept; the tools still validate it
and store the canonical value. None means the message holds no value for the field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent import entities
from agent.lexicon import lexicon
from agent.normalize import fold, has_phrase, normalize, tokens
from tools.catalog.schema import FieldSpec, FieldType, Option, Service

LIST_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\baur\b|और|&|\n)\s*", re.IGNORECASE)
NAME_TRAILERS = re.compile(r"\s+(hai|h|he|hain|है|हैं|ji|जी)\s*[.!]*$", re.IGNORECASE)


def value_for(spec: FieldSpec, text: str, today: date, *, direct: bool) -> Any | None:
    """The value of field `spec` in `text`, or None.

    `direct` says the message answers a question about this very field, so free text (a name,
    an address) is taken as the answer; otherwise only unmistakable values are picked up.
    """
    kind = spec.type
    if kind is FieldType.DATE:
        dates = entities.dates(text, today)
        return dates[0].isoformat() if dates else None
    if kind is FieldType.CHOICE:
        options = matching_options(spec, text)
        return options[0].value if len(options) == 1 else None
    if kind is FieldType.CHOICES:
        options = matching_options(spec, text)
        return [option.value for option in options] or None
    if kind is FieldType.INTEGER:
        numbers = entities.integers(text)
        return numbers[0] if numbers and direct else None
    if kind is FieldType.YEAR:
        years = entities.years(text)
        return years[0] if years else None
    if kind is FieldType.UPIC:
        upics = entities.upics(text)
        return upics[0] if upics else None
    if kind is FieldType.FINANCIAL_YEAR:
        match = re.search(r"\b(20\d{2})\s*[-/–]\s*(\d{2,4})\b", normalize(text))
        return f"{match.group(1)}-{match.group(2)}" if match else None
    if not direct:
        return None
    if kind is FieldType.NAME:
        return clean_name(text)
    if kind is FieldType.NAMES:
        names = [clean_name(part) for part in LIST_SPLIT.split(normalize(text))]
        return [name for name in names if name] or None
    cleaned = normalize(text).strip(" .")
    return cleaned or None


def matching_options(spec: FieldSpec, text: str) -> list[Option]:
    """Options of a choice field that the text names, by value, label or synonym."""
    folded = fold(text)
    found = []
    for option in spec.options:
        names = [option.value, option.label.en, option.label.hi, option.label.hi_latn]
        if any(has_phrase(folded, name) for name in names + option.synonyms):
            found.append(option)
    return found


def clean_name(text: str) -> str | None:
    """A name as the citizen wrote it, without 'mera naam … hai' around it."""
    value = normalize(text).strip(" .,!")
    value = NAME_TRAILERS.sub("", value)
    fillers = {fold(word) for word in lexicon().filler_words}
    words = value.split()
    # Drop leading filler words: "mera naam Ravi Kumar" -> "Ravi Kumar".
    while words and fold(words[0]) in fillers:
        words.pop(0)
    while words and fold(words[-1]) in fillers:
        words.pop()
    name = " ".join(words).strip(" .,!")
    if not name or any(ch.isdigit() for ch in name):
        return None
    return name


def values_in_message(service: Service, text: str, today: date, filled: set[str]) -> dict[str, Any]:
    """Unmistakable values for unfilled fields in a free message ("mere bete ka…" → sex male).

    Only choice fields named by a distinctive word, and a date when the service has exactly
    one date field to fill, are picked up: a guess that is wrong costs the citizen more than
    a question.
    """
    found: dict[str, Any] = {}
    open_dates = [f for f in service.fields if f.type is FieldType.DATE and f.name not in filled]
    for spec in service.fields:
        if spec.name in filled:
            continue
        if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
            value = value_for(spec, text, today, direct=False)
            if value and _distinctive(spec, text):
                found[spec.name] = value
        elif spec.type is FieldType.DATE and len(open_dates) == 1:
            value = value_for(spec, text, today, direct=False)
            if value:
                found[spec.name] = value
    return found


def _distinctive(spec: FieldSpec, text: str) -> bool:
    """A short option word like 'M' or 'A+' only counts when it is the whole message."""
    words = tokens(fold(text))
    for option in matching_options(spec, text):
        for name in [option.value, *option.synonyms]:
            short = len(fold(name)) <= 2 and name.isascii()  # "M", "F", "A+", not "घर"
            if short and len(words) > 1 and has_phrase(fold(text), name):
                return False
    return True
