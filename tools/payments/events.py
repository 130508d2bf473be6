"""What the conversation is told when a payment settles: one description for every source."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from tools.db.models import Application, Payment, PaymentStatus, Property, Receipt
from tools.money import rupees


def payment_event(session: Session, payment_id: int) -> tuple[str, dict[str, Any]]:
    """The event name (`payment_captured` or `payment_failed`) and its data for a payment."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise LookupError(f"no payment {payment_id}")
    application = (
        session.get(Application, payment.application_id) if payment.application_id else None
    )
    prop = session.get(Property, payment.property_id) if payment.property_id else None
    receipt = session.exec(select(Receipt).where(Receipt.payment_id == payment.id)).first()
    data: dict[str, Any] = {
        "payment_id": payment.id,
        "amount_rupees": rupees(payment.amount_paise),
        "application_number": application.number if application else None,
        "upic": prop.upic if prop else None,
        "receipt_number": receipt.number if receipt else None,
        "receipt_path": receipt.pdf_path if receipt else None,
        "reason": payment.failure_reason,
    }
    captured = payment.status == PaymentStatus.CAPTURED
    return ("payment_captured" if captured else "payment_failed"), data
