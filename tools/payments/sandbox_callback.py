"""The sandbox gateway's call back to the app: a signed event, sent as a real gateway sends it.

The pay page completes or fails the order, then posts the event to the app's webhook over
HTTP. `complete_sandbox_payment` runs the same steps in-process (sign, verify, settle) for
evals and tests that have no server running.
"""

from __future__ import annotations

import json
import logging

import httpx
from sqlmodel import Session, col, select
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from tools.db.models import Citizen, Payment, PaymentStatus
from tools.issuing import IssuingDeps
from tools.payments.sandbox import SandboxGateway, SandboxOrder, settle_sandbox_order
from tools.payments.settlement import Settlement, settle
from tools.payments.webhooks import SANDBOX, event_body, read_webhook, signature

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/payments/webhook/sandbox"
MODES = ("upi", "card", "netbanking", "whatsapp_pay")


def sandbox_event(
    order: SandboxOrder, secret: str, created_at: int
) -> tuple[bytes, dict[str, str]]:
    """The signed body and headers of the event for an order's latest attempt."""
    paid = order.status == "paid"
    event_id = f"evt_{order.payment_id}"
    body = event_body(
        "payment.captured" if paid else "payment.failed",
        event_id=event_id,
        order_id=order.order_id,
        payment_id=order.payment_id or "",
        amount_paise=order.amount_paise,
        method=order.mode or "upi",
        created_at=created_at,
        error=None if paid else "Payment was declined (sandbox)",
    )
    raw = json.dumps(body, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Sandbox-Signature": signature(secret, raw),
        "X-Sandbox-Event-Id": event_id,
    }
    return raw, headers


def _retryable(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError):
        return True
    return isinstance(error, httpx.HTTPStatusError) and error.response.status_code >= 500


@retry(
    retry=retry_if_exception(_retryable),
    stop=stop_after_attempt(4),
    wait=wait_exponential(multiplier=0.2, max=2),
    reraise=True,
)
def post_event(
    url: str, raw: bytes, headers: dict[str, str], transport: httpx.BaseTransport | None = None
) -> httpx.Response:
    """Post a signed event to the app's webhook, retrying network errors and 5xx answers."""
    with httpx.Client(transport=transport, timeout=10) as client:
        response = client.post(url, content=raw, headers=headers)
    if response.status_code >= 500:
        response.raise_for_status()
    return response


def complete_sandbox_payment(
    gateway: SandboxGateway,
    deps: IssuingDeps,
    secret: str,
    order_id: str,
    *,
    success: bool,
    mode: str = "upi",
) -> Settlement:
    """Pay (or fail) a sandbox order and settle it through the verified event path, in-process.

    The event is signed with the sandbox secret and read back through the same check the
    webhook uses, so a wrong secret fails here as it would over HTTP.
    """
    order = settle_sandbox_order(gateway, order_id, success=success, mode=mode)
    raw, headers = sandbox_event(order, secret, int(deps.clock.now().timestamp()))
    return settle(deps, read_webhook(SANDBOX, secret, raw, headers))


class NoOpenPayment(LookupError):
    """The citizen has no pending sandbox payment to settle."""


def pay_open_payment(
    gateway: SandboxGateway,
    deps: IssuingDeps,
    secret: str,
    wa_id: str,
    *,
    success: bool,
    mode: str = "upi",
) -> Settlement:
    """Pay (or fail) the citizen's newest pending payment on the sandbox, as the evals do.

    Raises:
        NoOpenPayment: the citizen has no pending payment with a sandbox order.
    """
    with Session(deps.engine) as session:
        order_id = session.exec(
            select(Payment.gateway_order_id)
            .join(Citizen, col(Citizen.id) == col(Payment.citizen_id))
            .where(Citizen.wa_id == wa_id, Payment.status == PaymentStatus.PENDING)
            .where(Payment.gateway == gateway.name)
            .order_by(col(Payment.id).desc())
        ).first()
    if not order_id:
        raise NoOpenPayment(f"citizen has no pending payment to {'pay' if success else 'fail'}")
    return complete_sandbox_payment(gateway, deps, secret, order_id, success=success, mode=mode)
