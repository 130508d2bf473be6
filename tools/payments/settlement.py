"""Settling payments from verified gateway events: one path for both webhooks and reconcile.

Store the event under its id (a replay stops here) → find the payment by order id →
capture or fail it → draw the receipt PDF → commit → tell the citizen's conversation. Storing
and acting share one transaction: if drawing the receipt fails, nothing is kept and the
gateway's retry does it all again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tools.db.models import Citizen, GatewayEvent, Payment, PaymentStatus
from tools.issuing import IssuingDeps
from tools.notifications import ConversationEvent
from tools.payments.capture import PaymentMismatch, capture, fail
from tools.payments.events import payment_event
from tools.payments.webhooks import VerifiedEvent
from tools.receipts.receipt import issue_receipt_pdf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settlement:
    """What one event did to a payment.

    Attributes:
        outcome: captured, failed, duplicate, already_settled, mismatch, unknown_order or
            ignored.
        payment_id: the payment the event named, when it was found.
        receipt_number: the receipt issued, when the payment was captured.
    """

    outcome: str
    payment_id: int | None = None
    receipt_number: str | None = None


def settle(deps: IssuingDeps, event: VerifiedEvent) -> Settlement:
    """Act on a verified event once; a second delivery of the same event id changes nothing."""
    with Session(deps.engine, expire_on_commit=False) as session:
        stored = GatewayEvent(
            event_id=event.event_id,
            gateway=event.gateway,
            kind=event.kind,
            order_id=event.order_id,
            payload=event.payload,
            received_at=deps.clock.now(),
        )
        session.add(stored)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            logger.info("gateway event %s seen before: nothing to do", event.event_id)
            return Settlement("duplicate")

        result, notice = _act(deps, session, event)
        stored.outcome = result.outcome
        session.add(stored)
        session.commit()

    logger.info(
        "gateway event %s (%s %s): %s, payment %s",
        event.event_id, event.gateway, event.kind, result.outcome, result.payment_id,
    )
    if notice is not None:
        deps.notifier(notice)
    return result


def _act(
    deps: IssuingDeps, session: Session, event: VerifiedEvent
) -> tuple[Settlement, ConversationEvent | None]:
    if event.outcome == "ignored" or not event.order_id:
        return Settlement("ignored"), None
    payment = session.exec(
        select(Payment).where(Payment.gateway_order_id == event.order_id)
    ).first()
    if payment is None:
        logger.warning("gateway event %s names unknown order %s", event.event_id, event.order_id)
        return Settlement("unknown_order"), None
    if payment.status == PaymentStatus.CAPTURED:
        return Settlement("already_settled", payment.id), None

    if event.outcome == "failed":
        if payment.status != PaymentStatus.PENDING:
            return Settlement("already_settled", payment.id), None
        fail(session, deps.clock, payment, reason=event.reason or "declined", actor=event.gateway)
        return Settlement("failed", payment.id), _notice(session, event, payment)

    try:
        receipt = capture(
            session,
            deps.clock,
            payment,
            gateway_payment_id=event.payment_id or event.event_id,
            amount_paise=event.amount_paise if event.amount_paise is not None else -1,
            mode=event.mode,
            actor=event.gateway,
        )
    except PaymentMismatch:
        # capture() has logged the amounts; the event stays stored with this outcome.
        return Settlement("mismatch", payment.id), None
    issue_receipt_pdf(
        session, deps.catalog, receipt, data_dir=deps.data_dir,
        base_url=deps.public_base_url, signing_key=deps.signing_key,
    )
    notice = _notice(session, event, payment)
    return Settlement("captured", payment.id, receipt.number), notice


def _notice(session: Session, event: VerifiedEvent, payment: Payment) -> ConversationEvent | None:
    citizen = session.get(Citizen, payment.citizen_id)
    if citizen is None or payment.id is None:
        return None
    session.flush()  # the receipt's PDF path must be visible to the description below
    name, data = payment_event(session, payment.id)
    return ConversationEvent(
        message_id=f"gateway:{event.event_id}",
        citizen_wa_id=citizen.wa_id,
        department=payment.department,
        event=name,
        data=data,
    )
