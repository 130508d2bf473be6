"""The gateway's side of a `pay` step: settle the citizen's open payment, as a callback would.

TODO(payments): this captures or fails the payment directly in the database; when the sandbox
gateway sends signed callbacks, replace `settle_open_payment` with a call to its pay page so
that the eval runs the verified callback path too. Nothing else in the runner changes.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from tools.clock import Clock
from tools.db.models import Citizen, Payment, PaymentStatus
from tools.payments.capture import capture, fail


class NoOpenPayment(LookupError):
    """The citizen has no pending payment to settle."""


def settle_open_payment(
    engine_session: Session, clock: Clock, wa_id: str, *, success: bool, reference: str
) -> int:
    """Capture (or fail) the citizen's newest pending payment; returns its id.

    Raises:
        NoOpenPayment: the citizen has no pending payment.
    """
    citizen = engine_session.exec(select(Citizen).where(Citizen.wa_id == wa_id)).first()
    payment = None
    if citizen is not None:
        payment = engine_session.exec(
            select(Payment)
            .where(Payment.citizen_id == citizen.id, Payment.status == PaymentStatus.PENDING)
            .order_by(col(Payment.id).desc())
        ).first()
    if payment is None or payment.id is None:
        raise NoOpenPayment(f"citizen has no pending payment to {'pay' if success else 'fail'}")

    if success:
        capture(
            engine_session,
            clock,
            payment,
            gateway_payment_id=f"pay_{reference}",
            amount_paise=payment.amount_paise,
            mode="upi",
            actor="eval",
        )
    else:
        fail(engine_session, clock, payment, reason="declined by the bank (eval)", actor="eval")
    engine_session.commit()
    return payment.id
