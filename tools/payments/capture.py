"""Settling a payment from a verified gateway event: captured at most once, with a receipt."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, select

from tools import audit
from tools.clock import INDIA, Clock
from tools.db.models import Payment, PaymentStatus, PropertyYearPaid, Receipt
from tools.db.sequences import receipt_number

logger = logging.getLogger(__name__)


class PaymentMismatch(ValueError):
    """A gateway event does not match the order (amount or state); it is rejected and logged."""


def capture(
    session: Session,
    clock: Clock,
    payment: Payment,
    *,
    gateway_payment_id: str,
    amount_paise: int,
    mode: str | None,
    actor: str = "gateway",
) -> Receipt:
    """Mark a pending payment captured and issue its receipt; a second capture returns the first.

    The caller has verified the gateway's signature; this checks the amount and the state.
    """
    if payment.status == PaymentStatus.CAPTURED:
        existing = session.exec(select(Receipt).where(Receipt.payment_id == payment.id)).one()
        return existing
    if amount_paise != payment.amount_paise:
        logger.warning(
            "payment %s: gateway amount %d paise differs from order %d paise; rejected",
            payment.id,
            amount_paise,
            payment.amount_paise,
        )
        raise PaymentMismatch(f"amount {amount_paise} does not match {payment.amount_paise}")
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        raise PaymentMismatch(f"payment {payment.id} is {payment.status}")

    # The same dues paid twice (an old failed order paid late beside a newer one): the money
    # came in, but the dues are settled once; the second is held for a refund, never counted.
    settled = session.exec(
        select(Payment).where(
            Payment.dues_key == payment.dues_key,
            Payment.status == PaymentStatus.CAPTURED,
            Payment.id != payment.id,
        )
    ).first()
    if settled is not None:
        logger.warning(
            "payment %s: dues already paid by payment %s; needs a refund, not a capture",
            payment.id,
            settled.id,
        )
        raise PaymentMismatch(
            f"dues {payment.dues_key} already paid by payment {settled.id}: refund this one"
        )

    now = clock.now()
    payment.status = PaymentStatus.CAPTURED
    payment.gateway_payment_id = gateway_payment_id
    payment.mode = mode
    payment.captured_at = now
    payment.open_dues_key = None
    session.add(payment)

    # Any other open order for the same dues is closed, so it can never be paid as well.
    for other in session.exec(
        select(Payment).where(
            Payment.dues_key == payment.dues_key,
            Payment.status == PaymentStatus.PENDING,
            Payment.id != payment.id,
        )
    ).all():
        other.status = PaymentStatus.FAILED
        other.failure_reason = f"superseded: the dues were paid by payment {payment.id}"
        other.open_dues_key = None
        session.add(other)

    # Property tax: each financial year in the order is now paid.
    if payment.property_id is not None:
        for line in payment.lines:
            year = line.get("financial_year")
            already = session.exec(
                select(PropertyYearPaid).where(
                    PropertyYearPaid.property_id == payment.property_id,
                    PropertyYearPaid.financial_year == year,
                )
            ).first()
            if year and already is None:
                session.add(
                    PropertyYearPaid(
                        property_id=payment.property_id,
                        financial_year=year,
                        payment_id=payment.id,
                        paid_on=now.astimezone(INDIA).date(),
                    )
                )

    receipt = Receipt(
        number=receipt_number(session, now.astimezone(INDIA).year),
        payment_id=payment.id,  # type: ignore[arg-type]
        issued_at=now,
    )
    session.add(receipt)
    audit.record(
        session,
        clock,
        actor=actor,
        action="payment_captured",
        entity="payment",
        entity_id=payment.id or 0,
        amount_paise=amount_paise,
        receipt=receipt.number,
    )
    session.flush()
    logger.info("payment %s captured, receipt %s", payment.id, receipt.number)
    return receipt


def fail(
    session: Session, clock: Clock, payment: Payment, *, reason: str, actor: str = "gateway"
) -> None:
    """Mark a pending payment failed; the citizen may open a new attempt for the same dues."""
    if payment.status != PaymentStatus.PENDING:
        return
    payment.status = PaymentStatus.FAILED
    payment.failure_reason = reason
    payment.open_dues_key = None
    session.add(payment)
    audit.record(
        session,
        clock,
        actor=actor,
        action="payment_failed",
        entity="payment",
        entity_id=payment.id or 0,
        reason=reason,
    )
    session.flush()


def paid_at_local(payment: Payment) -> datetime | None:
    """When the payment was captured, in India time."""
    return payment.captured_at.astimezone(INDIA) if payment.captured_at else None
