"""Reconciliation: ask the gateway about payments left pending and settle what it reports.

A webhook can be lost (our server down for longer than the gateway retries); the gateway's
status API is the other proof of payment the design accepts. Settling goes through the same
path as a webhook, so a payment already settled by its webhook is left alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from sqlmodel import Session, col, select

from tools.db.models import Payment, PaymentStatus
from tools.issuing import IssuingDeps
from tools.payments.gateway import Gateway
from tools.payments.settlement import settle
from tools.payments.webhooks import VerifiedEvent

logger = logging.getLogger(__name__)


def reconcile(
    deps: IssuingDeps, gateway: Gateway, *, older_than: timedelta = timedelta(0)
) -> Counter[str]:
    """Settle this gateway's pending payments opened at least `older_than` ago.

    Returns:
        How many payments ended in each outcome (captured, failed, pending, error, …).
    """
    cutoff = deps.clock.now() - older_than
    with Session(deps.engine) as session:
        pending = session.exec(
            select(Payment.id, Payment.gateway_order_id)
            .where(Payment.status == PaymentStatus.PENDING)
            .where(Payment.gateway == gateway.name)
            .where(col(Payment.gateway_order_id).is_not(None))
            .where(col(Payment.created_at) <= cutoff)
            .order_by(col(Payment.id))
        ).all()

    counts: Counter[str] = Counter()
    for payment_id, order_id in pending:
        assert order_id is not None
        try:
            status = gateway.fetch_status(order_id)
        except Exception as error:  # one unreachable order must not stop the others
            logger.warning("reconcile: status of order %s failed: %s", order_id, error)
            counts["error"] += 1
            continue
        if status.status not in ("paid", "failed"):
            counts["pending"] += 1
            continue
        paid = status.status == "paid"
        event = VerifiedEvent(
            gateway=gateway.name,
            event_id=f"reconcile:{order_id}:{status.payment_id or status.status}",
            kind=f"reconcile.{status.status}",
            outcome="captured" if paid else "failed",
            order_id=order_id,
            payment_id=status.payment_id,
            amount_paise=status.amount_paise,
            mode=status.mode,
            reason=None if paid else "failed at the gateway (found by reconciliation)",
            payload={"status": status.status, "payment_id": status.payment_id},
        )
        counts[settle(deps, event).outcome] += 1
        logger.info("reconcile: payment %s order %s was %s", payment_id, order_id, status.status)
    return counts
