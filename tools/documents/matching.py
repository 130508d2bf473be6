"""Comparing what a document says with what the citizen entered in the application.

A catalog check names an application field and a kind (`name`, `date`, `number`, `text`).
The value read under the same field (or its usual equivalent: `applicant_name` is the `name`
on an ID card, `husband_name` the groom on a wedding card) is compared first; failing that,
any value of the same kind anywhere on the document may match. Names match across scripts and
spellings, dates exactly after normalisation, numbers ignoring spaces, dashes and look-alike
characters, and texts such as addresses by their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any, Protocol

from tools.documents.aadhaar import ascii_digits, mask_aadhaar
from tools.documents.dates import parse_date
from tools.documents.extract import Extraction, normalise_text
from tools.documents.names import clean_name, name_similarity, names_match, romanise

TEXT_MATCH = 0.8
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1",
                             "S": "5", "B": "8", "Z": "2"})


class CheckStatus(StrEnum):
    """The outcome of one check."""

    MATCH = "match"  # the document shows the application's value
    MISMATCH = "mismatch"  # the document shows a different value (see `read`)
    NOT_FOUND = "not_found"  # nothing of that kind could be read on the document
    NO_VALUE = "no_value"  # the application has no value for the field yet


class CheckLike(Protocol):
    """A catalog `DocumentCheck`: the application field and the kind of comparison."""

    @property
    def field(self) -> str:
        """The application field compared."""
        ...

    @property
    def kind(self) -> str:
        """`name`, `date`, `number` or `text`."""
        ...


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome, with the value read from the document (masked) when there is one."""

    field: str
    kind: str
    status: CheckStatus
    read: str | None = None


def values_agree(kind: str, expected: Any, read: str | None) -> bool:
    """Whether a value read from a document agrees with an expected value of that kind."""
    if read is None or expected is None or expected == "":
        return False
    if kind == "name":
        return names_match(str(expected), read)
    if kind == "date":
        wanted = expected.isoformat() if isinstance(expected, date) else parse_date(str(expected))
        return wanted is not None and wanted == parse_date(read)
    if kind == "number":
        return _number_key(str(expected)) == _number_key(read)
    return text_similarity(str(expected), read) >= TEXT_MATCH


def text_similarity(expected: str, read: str) -> float:
    """The share of the expected text's words found, closely spelled, in the text read."""
    wanted, seen = _words(expected), _words(read)
    if not wanted or not seen:
        return 0.0
    found = sum(1 for w in wanted if max(_ratio(w, s) for s in seen) >= 0.8)
    return found / len(wanted)


def run_checks(
    checks: Iterable[CheckLike],
    application_fields: Mapping[str, Any],
    extraction: Extraction,
    text: str,
) -> list[CheckResult]:
    """Compare each check's application field with the document; one result per check."""
    return [_check(check, application_fields.get(check.field), extraction, text)
            for check in checks]


def _check(check: CheckLike, expected: Any, extraction: Extraction, text: str) -> CheckResult:
    if expected is None or expected == "" or expected == []:
        return CheckResult(check.field, check.kind, CheckStatus.NO_VALUE)

    primary = next((extraction.fields[key] for key in _keys_for(check.field)
                    if key in extraction.fields), None)
    candidates = _candidates(check.kind, extraction)
    if primary is not None and primary not in candidates:
        candidates.insert(0, primary)

    for candidate in candidates:
        if values_agree(check.kind, expected, candidate):
            return CheckResult(check.field, check.kind, CheckStatus.MATCH, mask_aadhaar(candidate))
    found_in_text = _search_text(check.kind, expected, text)
    if found_in_text:
        return CheckResult(check.field, check.kind, CheckStatus.MATCH, mask_aadhaar(found_in_text))
    if not candidates:
        return CheckResult(check.field, check.kind, CheckStatus.NOT_FOUND)

    closest = primary or _closest(check.kind, expected, candidates)
    return CheckResult(check.field, check.kind, CheckStatus.MISMATCH, mask_aadhaar(closest))


def _keys_for(field: str) -> list[str]:
    keys = [field]
    if field in ("husband_name", "wife_name"):
        keys.append("groom_name" if field == "husband_name" else "bride_name")
    if field.endswith("date_of_birth"):
        keys.append("date_of_birth")
    elif field.endswith("_name") and field not in ("mother_name", "father_name"):
        keys.append("name")
    if field in ("address", "birth_address", "marriage_place"):
        keys += ["address", "venue"]
    return keys


def _candidates(kind: str, extraction: Extraction) -> list[str]:
    if kind == "name":
        return list(extraction.names)
    if kind == "date":
        return list(extraction.dates)
    if kind == "number":
        return [v for k, v in extraction.fields.items() if k.endswith(("number", "last4"))]
    return [v for k, v in extraction.fields.items() if k in ("address", "venue", "hospital_name")]


def _search_text(kind: str, expected: Any, text: str) -> str | None:
    """A value of the right kind found anywhere in the text, for fields printed without label."""
    text = normalise_text(text)
    if kind == "name":
        size = len(clean_name(str(expected)).split())
        for line in text.splitlines():
            words = clean_name(line).split()
            for width in {max(1, size - 1), size, size + 1}:
                for start in range(0, max(1, len(words) - width + 1)):
                    window = " ".join(words[start : start + width])
                    if window and names_match(str(expected), window):
                        return window
        return None
    if kind == "number":
        key = _number_key(str(expected))
        return str(expected) if key and key in _number_key(text) else None
    return None


def _closest(kind: str, expected: Any, candidates: list[str]) -> str:
    if kind == "name":
        return max(candidates, key=lambda c: name_similarity(str(expected), c))
    return max(candidates, key=lambda c: SequenceMatcher(None, str(expected), c).ratio())


def _number_key(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", ascii_digits(value).upper()).translate(_CONFUSABLE)


def _words(text: str) -> list[str]:
    words = []
    for word in re.findall(r"[\w\u0900-\u097f]+", normalise_text(text).lower()):
        words.append(word if word.isdigit() else romanise(word) or word)
    return [w for w in words if w]


def _ratio(first: str, second: str) -> float:
    return 1.0 if first == second else SequenceMatcher(None, first, second).ratio()
