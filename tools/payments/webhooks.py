"""Gateway webhooks: check the signature of the raw body, then read the event it carries.

Both gateways sign the same way (hex HMAC-SHA256 of the raw body under a webhook secret, in a
header) and send the same event shape, Razorpay's: `{"event": "payment.captured", "payload":
{"payment": {"entity": {...}}}}`. Nothing in a body counts before its signature is checked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class WebhookRefused(ValueError):
    """A webhook body that must not be acted on; `status` is the HTTP answer to give."""

    status = 400


class SignatureMissing(WebhookRefused):
    """The signature header is absent."""

    status = 401


class SignatureInvalid(WebhookRefused):
    """The signature does not match the body."""

    status = 403


class MalformedEvent(WebhookRefused):
    """The body is not an event we can read."""

    status = 400


@dataclass(frozen=True)
class WebhookFormat:
    """Where a gateway puts its signature and event id."""

    gateway: str
    signature_header: str
    event_id_header: str


RAZORPAY = WebhookFormat("razorpay", "x-razorpay-signature", "x-razorpay-event-id")
SANDBOX = WebhookFormat("sandbox", "x-sandbox-signature", "x-sandbox-event-id")

CAPTURED_EVENTS = frozenset({"payment.captured", "order.paid"})
FAILED_EVENTS = frozenset({"payment.failed"})


@dataclass(frozen=True)
class VerifiedEvent:
    """A gateway event whose signature checked out (or a status read by reconciliation)."""

    gateway: str
    event_id: str
    kind: str
    outcome: str  # "captured", "failed" or "ignored"
    order_id: str | None = None
    payment_id: str | None = None
    amount_paise: int | None = None
    mode: str | None = None
    reason: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


def signature(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of a body under a webhook secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, given: str | None) -> None:
    """Raise unless `given` is the body's signature; compared in constant time."""
    if not given:
        raise SignatureMissing("the signature header is missing")
    if not hmac.compare_digest(signature(secret, body), given.strip().lower()):
        raise SignatureInvalid("the signature does not match the body")


def read_webhook(
    fmt: WebhookFormat, secret: str, body: bytes, headers: Mapping[str, str]
) -> VerifiedEvent:
    """Check a webhook's signature and read its event.

    Raises:
        SignatureMissing, SignatureInvalid, MalformedEvent: the body must not be acted on.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    verify_signature(secret, body, lowered.get(fmt.signature_header))
    try:
        data = json.loads(body)
    except ValueError as error:
        raise MalformedEvent("the body is not JSON") from error
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise MalformedEvent("the body has no event name")
    event_id = lowered.get(fmt.event_id_header) or data.get("id")
    if not event_id:
        raise MalformedEvent(f"the {fmt.event_id_header} header is missing")
    return event_from_body(fmt.gateway, str(event_id), data)


def event_from_body(gateway: str, event_id: str, data: dict[str, Any]) -> VerifiedEvent:
    """Read a verified Razorpay-shaped event body."""
    kind = data["event"]
    payload = data.get("payload") or {}
    payment = (payload.get("payment") or {}).get("entity") or {}
    order = (payload.get("order") or {}).get("entity") or {}
    if kind in CAPTURED_EVENTS:
        outcome = "captured"
    elif kind in FAILED_EVENTS:
        outcome = "failed"
    else:
        outcome = "ignored"
    amount = payment.get("amount", order.get("amount_paid"))
    return VerifiedEvent(
        gateway=gateway,
        event_id=event_id,
        kind=kind,
        outcome=outcome,
        order_id=payment.get("order_id") or order.get("id"),
        payment_id=payment.get("id"),
        amount_paise=int(amount) if amount is not None else None,
        mode=payment.get("method"),
        reason=payment.get("error_description") or payment.get("error_reason"),
        payload=data,
    )


def event_body(
    kind: str,
    *,
    event_id: str,
    order_id: str,
    payment_id: str,
    amount_paise: int,
    method: str,
    created_at: int,
    error: str | None = None,
) -> dict[str, Any]:
    """A Razorpay-shaped event body, as the sandbox (and the tests' fake Razorpay) send it."""
    entity: dict[str, Any] = {
        "id": payment_id,
        "entity": "payment",
        "amount": amount_paise,
        "currency": "INR",
        "status": "failed" if kind in FAILED_EVENTS else "captured",
        "order_id": order_id,
        "method": method,
        "captured": kind not in FAILED_EVENTS,
        "created_at": created_at,
    }
    if error:
        entity["error_code"] = "BAD_REQUEST_ERROR"
        entity["error_description"] = error
    return {
        "id": event_id,
        "entity": "event",
        "event": kind,
        "contains": ["payment"],
        "payload": {"payment": {"entity": entity}},
        "created_at": created_at,
    }
