"""Money as integer paise: rounding to whole rupees and writing amounts the Indian way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PAISE_PER_RUPEE = 100


def paise(amount: Decimal) -> int:
    """Round an exact amount of paise (a Decimal) to whole paise, halves up."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rupees(amount_paise: int) -> int:
    """Whole rupees from paise, halves rounded up (₹4,319.50 → ₹4,320), as paid and shown."""
    return paise(Decimal(amount_paise) / PAISE_PER_RUPEE)


def format_rupees(amount_paise: int) -> str:
    """An amount rounded to rupees and grouped in lakhs and crores: `₹4,320`, `₹1,25,000`."""
    value = rupees(amount_paise)
    sign = "-" if value < 0 else ""
    digits = str(abs(value))
    if len(digits) <= 3:
        return f"{sign}₹{digits}"

    # Indian grouping: the last three digits, then pairs.
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return f"{sign}₹{','.join([head, *pairs, tail])}"
