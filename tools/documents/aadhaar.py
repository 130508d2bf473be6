"""Aadhaar numbers: recognised in text and masked to their last four digits everywhere.

An Aadhaar number is 12 digits, printed in groups of four ("1234 5678 9012"), in Latin or
Devanagari digits; a Virtual ID is 16. Every such run not touching other digits is masked as
`XXXX XXXX 9012`, whether or not its checksum is right: a misread digit must not let a full
number through into the database or the logs.
"""

from __future__ import annotations

import logging
import re

_DIGIT = "[0-9\u0966-\u096f]"
_SEP = r"[ \t\-.]?"
_QUAD = f"{_DIGIT}{{4}}"
_NOT_DIGIT_BEFORE = f"(?<!{_DIGIT})"
_NOT_DIGIT_AFTER = f"(?!{_DIGIT})"

VID_PATTERN = re.compile(
    f"{_NOT_DIGIT_BEFORE}{_QUAD}{_SEP}{_QUAD}{_SEP}{_QUAD}{_SEP}({_QUAD}){_NOT_DIGIT_AFTER}"
)
AADHAAR_PATTERN = re.compile(
    f"{_NOT_DIGIT_BEFORE}{_QUAD}{_SEP}{_QUAD}{_SEP}({_QUAD}){_NOT_DIGIT_AFTER}"
)
_TO_ASCII = str.maketrans("\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
                          "0123456789")


def ascii_digits(text: str) -> str:
    """The text with Devanagari digits turned into ASCII digits."""
    return text.translate(_TO_ASCII)


def find_last_fours(text: str) -> list[str]:
    """The last four digits (ASCII) of every Aadhaar number or Virtual ID in the text."""
    found = [ascii_digits(m.group(1)) for m in VID_PATTERN.finditer(text)]
    remaining = VID_PATTERN.sub(" ", text)
    found += [ascii_digits(m.group(1)) for m in AADHAAR_PATTERN.finditer(remaining)]
    return found


def mask_aadhaar(text: str) -> str:
    """The text with every Aadhaar number and Virtual ID reduced to its last four digits."""
    text = VID_PATTERN.sub(lambda m: "XXXX XXXX XXXX " + ascii_digits(m.group(1)), text)
    return AADHAAR_PATTERN.sub(lambda m: "XXXX XXXX " + ascii_digits(m.group(1)), text)


def mask_value(value: object) -> object:
    """A JSON-like value with Aadhaar numbers masked in every string it holds."""
    if isinstance(value, str):
        return mask_aadhaar(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return value


class AadhaarMaskingFilter(logging.Filter):
    """A logging filter that masks Aadhaar numbers in a record's message and arguments.

    Attach it to handlers (not loggers) so it covers records from every module.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place; always keeps it."""
        if isinstance(record.msg, str):
            record.msg = mask_aadhaar(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_mask_arg(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _mask_arg(arg) for key, arg in record.args.items()}
        return True


def _mask_arg(arg: object) -> object:
    if isinstance(arg, str | int) and not isinstance(arg, bool):
        masked = mask_aadhaar(str(arg))
        return masked if masked != str(arg) else arg
    return arg
