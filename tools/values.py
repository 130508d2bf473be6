"""Turning what a citizen (or a model) typed into a field's one canonical stored form."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tools.catalog.schema import FieldSpec, FieldType
from tools.text_normalize import fold, normalize_text

UPIC_PATTERN = re.compile(r"^[A-Z0-9]{15}$")
FINANCIAL_YEAR_PATTERN = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
LIST_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|\baur\b|और|\n)\s*", re.IGNORECASE)
HAS_LETTER = re.compile(r"[^\W\d_]")


class FieldValueError(ValueError):
    """A value does not fit its field; `code` names the problem for a localized message."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def canonical_value(spec: FieldSpec, raw: Any, today: date) -> Any:
    """The stored form of `raw` for the field `spec`, or FieldValueError saying why not."""
    if raw is None or (isinstance(raw, str) and not normalize_text(raw)):
        raise FieldValueError("empty", f"{spec.name}: a value is needed")
    parser = _PARSERS[spec.type]
    return parser(spec, raw, today)


def _text(spec: FieldSpec, raw: Any, _today: date) -> str:
    value = normalize_text(str(raw))
    rules = spec.validation
    if rules.min_length is not None and len(value) < rules.min_length:
        raise FieldValueError("too_short", f"{spec.name}: at least {rules.min_length} characters")
    if rules.max_length is not None and len(value) > rules.max_length:
        raise FieldValueError("too_long", f"{spec.name}: at most {rules.max_length} characters")
    if rules.pattern and not re.fullmatch(rules.pattern, value):
        raise FieldValueError("pattern_mismatch", f"{spec.name}: {value!r} has the wrong form")
    return value


def _name(spec: FieldSpec, raw: Any, today: date) -> str:
    value = _text(spec, raw, today)
    if not HAS_LETTER.search(value) or any(ch.isdigit() for ch in value) or len(value) < 2:
        raise FieldValueError("invalid_name", f"{spec.name}: {value!r} is not a name")
    if len(value) > 100:
        raise FieldValueError("too_long", f"{spec.name}: a name of at most 100 characters")
    return value


def _names(spec: FieldSpec, raw: Any, today: date) -> list[str]:
    items = raw if isinstance(raw, list) else LIST_SEPARATORS.split(normalize_text(str(raw)))
    names = [_name(spec, item, today) for item in items if normalize_text(str(item))]
    _check_count(spec, names)
    return names


def parse_date(raw: Any) -> date:
    """A date from a date object, `YYYY-MM-DD` or `DD/MM/YYYY` (also with `-` or `.`)."""
    if isinstance(raw, date):
        return raw
    text = normalize_text(str(raw))
    try:
        if match := ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := NUMERIC_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError as error:
        raise FieldValueError("invalid_date", f"{text!r} is not a real date") from error
    raise FieldValueError("invalid_date", f"{text!r}: write dates as YYYY-MM-DD")


def _date(spec: FieldSpec, raw: Any, today: date) -> str:
    value = parse_date(raw)
    if spec.validation.not_future and value > today:
        raise FieldValueError("future_date", f"{spec.name}: {value.isoformat()} is in the future")
    if value.year < 1900:
        raise FieldValueError("invalid_date", f"{spec.name}: {value.isoformat()} is too early")
    return value.isoformat()


def _integer(spec: FieldSpec, raw: Any, _today: date) -> int:
    if isinstance(raw, bool):
        raise FieldValueError("invalid_number", f"{spec.name}: a whole number is needed")
    if isinstance(raw, int):
        value = raw
    else:
        text = normalize_text(str(raw))
        if not re.fullmatch(r"\d{1,9}", text):
            raise FieldValueError("invalid_number", f"{spec.name}: {text!r} is not a number")
        value = int(text)
    rules = spec.validation
    if (rules.min is not None and value < rules.min) or (
        rules.max is not None and value > rules.max
    ):
        raise FieldValueError(
            "out_of_range", f"{spec.name}: {value} is outside {rules.min}–{rules.max}"
        )
    return value


def _year(spec: FieldSpec, raw: Any, today: date) -> int:
    value = _integer(spec, raw, today)
    if value < 1900 or value > today.year:
        raise FieldValueError("out_of_range", f"{spec.name}: {value} is not a plausible year")
    return value


def _choice(spec: FieldSpec, raw: Any, _today: date) -> str:
    wanted = fold(str(raw))
    for option in spec.options:
        names = [option.value, option.label.en, option.label.hi, option.label.hi_latn]
        if wanted in {fold(name) for name in names + option.synonyms}:
            return option.value
    allowed = ", ".join(option.value for option in spec.options)
    raise FieldValueError("invalid_choice", f"{spec.name}: {raw!r} is not one of {allowed}")


def _choices(spec: FieldSpec, raw: Any, today: date) -> list[str]:
    items = raw if isinstance(raw, list) else LIST_SEPARATORS.split(normalize_text(str(raw)))
    values: list[str] = []
    for item in items:
        if normalize_text(str(item)):
            value = _choice(spec, item, today)
            if value not in values:
                values.append(value)
    _check_count(spec, values)
    return values


def _check_count(spec: FieldSpec, items: list[str]) -> None:
    rules = spec.validation
    if not items:
        raise FieldValueError("empty", f"{spec.name}: at least one value is needed")
    if rules.min_items is not None and len(items) < rules.min_items:
        raise FieldValueError("too_few", f"{spec.name}: at least {rules.min_items} are needed")
    if rules.max_items is not None and len(items) > rules.max_items:
        raise FieldValueError("too_many", f"{spec.name}: at most {rules.max_items} are allowed")


def canonical_upic(raw: Any) -> str:
    """A UPIC in its stored form: 15 capital letters or digits, spaces and dashes removed."""
    value = re.sub(r"[\s\-]", "", normalize_text(str(raw))).upper()
    if not UPIC_PATTERN.match(value):
        raise FieldValueError("invalid_upic", f"{raw!r} is not a 15-character UPIC")
    return value


def _upic(_spec: FieldSpec, raw: Any, _today: date) -> str:
    return canonical_upic(raw)


def canonical_financial_year(raw: Any) -> str:
    """A financial year written `2026-27`, from `2026-27`, `2026-2027` or `2026/27`."""
    text = normalize_text(str(raw))
    match = FINANCIAL_YEAR_PATTERN.match(text)
    if not match:
        raise FieldValueError("invalid_financial_year", f"{text!r}: write it like 2026-27")
    start, end = int(match.group(1)), match.group(2)
    if int(end[-2:]) != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
        raise FieldValueError("invalid_financial_year", f"{text!r} is not one financial year")
    return f"{start}-{(start + 1) % 100:02d}"


def _financial_year(_spec: FieldSpec, raw: Any, _today: date) -> str:
    return canonical_financial_year(raw)


_PARSERS = {
    FieldType.TEXT: _text,
    FieldType.NAME: _name,
    FieldType.NAMES: _names,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.CHOICES: _choices,
    FieldType.INTEGER: _integer,
    FieldType.YEAR: _year,
    FieldType.UPIC: _upic,
    FieldType.FINANCIAL_YEAR: _financial_year,
}
