"""Our own references for payments, stable and unique, derived from the payment row."""

from __future__ import annotations


def payment_reference(payment_id: int) -> str:
    """The reference we give the gateway and the UPI link for a payment."""
    return f"NGK{payment_id:09d}"
