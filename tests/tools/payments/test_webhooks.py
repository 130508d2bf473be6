import json

import pytest

from tools.payments.webhooks import (
    RAZORPAY,
    SANDBOX,
    MalformedEvent,
    SignatureInvalid,
    SignatureMissing,
    event_body,
    read_webhook,
    signature,
)

SECRET = "whsec-test"


def body(kind="payment.captured", **overrides):
    data = event_body(kind, event_id="evt_1", order_id="order_1", payment_id="pay_1",
                      amount_paise=1000, method="upi", created_at=1_700_000_000, **overrides)
    return json.dumps(data).encode()


def test_a_signed_capture_is_read():
    raw = body()
    event = read_webhook(RAZORPAY, SECRET, raw, {
        "X-Razorpay-Signature": signature(SECRET, raw), "X-Razorpay-Event-Id": "evt_header"})
    assert event.event_id == "evt_header"
    assert (event.outcome, event.order_id, event.payment_id) == ("captured", "order_1", "pay_1")
    assert (event.amount_paise, event.mode) == (1000, "upi")


def test_a_failure_carries_its_reason():
    raw = body("payment.failed", error="Insufficient balance")
    event = read_webhook(SANDBOX, SECRET, raw, {"x-sandbox-signature": signature(SECRET, raw)})
    assert event.outcome == "failed" and event.reason == "Insufficient balance"
    assert event.event_id == "evt_1"  # from the body when the header is absent


def test_other_events_are_ignored():
    raw = json.dumps({"event": "refund.created", "id": "evt_9", "payload": {}}).encode()
    event = read_webhook(SANDBOX, SECRET, raw, {"x-sandbox-signature": signature(SECRET, raw)})
    assert event.outcome == "ignored"


def test_missing_and_wrong_signatures_are_refused():
    raw = body()
    with pytest.raises(SignatureMissing) as missing:
        read_webhook(RAZORPAY, SECRET, raw, {})
    assert missing.value.status == 401
    with pytest.raises(SignatureInvalid) as wrong:
        read_webhook(RAZORPAY, SECRET, raw, {"x-razorpay-signature": signature("other", raw)})
    assert wrong.value.status == 403
    tampered = raw.replace(b"1000", b"1")
    with pytest.raises(SignatureInvalid):
        read_webhook(RAZORPAY, SECRET, tampered, {"x-razorpay-signature": signature(SECRET, raw)})


def test_a_signed_body_that_is_not_an_event_is_malformed():
    raw = b"not json"
    with pytest.raises(MalformedEvent):
        read_webhook(SANDBOX, SECRET, raw, {"x-sandbox-signature": signature(SECRET, raw)})
