import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.tools.payments.conftest import birth_fee_order, payment, tax_order
from tools.db.models import AuditEntry, GatewayEvent, Payment, PropertyYearPaid, Receipt
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.payments.reconcile import reconcile
from tools.payments.sandbox import SandboxOrderClosed, settle_sandbox_order
from tools.payments.sandbox_callback import complete_sandbox_payment, sandbox_event
from tools.payments.settlement import settle
from tools.payments.webhooks import (
    SANDBOX,
    SignatureInvalid,
    event_body,
    read_webhook,
    signature,
)


def secret(runtime) -> str:
    return runtime.settings.secret("sandbox_webhook_secret")


def test_a_sandbox_payment_is_captured_with_a_receipt_and_the_citizen_is_told(runtime, deps,
                                                                              notices):
    number, order = birth_fee_order(runtime)
    result = complete_sandbox_payment(runtime.gateway, deps, secret(runtime),
                                      f"sbx_{order.reference}", success=True, mode="card")

    assert result.outcome == "captured" and result.receipt_number == "RCPT-2026-000001"
    row = payment(runtime, order.payment_id)
    assert (row.status, row.mode, row.open_dues_key) == ("captured", "card", None)
    assert row.gateway_payment_id == f"sbxpay_{order.reference}_1"
    with Session(runtime.engine) as session:
        receipt = session.exec(select(Receipt)).one()
    assert receipt.pdf_path == str(runtime.settings.data_dir / "receipts" / f"{receipt.number}.pdf")
    assert Path(receipt.pdf_path).read_bytes().startswith(b"%PDF")

    [event] = notices.events
    assert event.event == "payment_captured"
    assert event.message_id == f"gateway:evt_sbxpay_{order.reference}_1"
    assert event.citizen_wa_id == "919810000001" and event.department == "mcd"
    assert event.data["receipt_number"] == receipt.number
    assert event.data["receipt_path"] == receipt.pdf_path
    assert event.data["application_number"] == number and event.data["amount_rupees"] == 10


def test_a_replayed_event_changes_nothing(runtime, deps, notices):
    _, order = birth_fee_order(runtime)
    sandbox_order = settle_sandbox_order(runtime.gateway, f"sbx_{order.reference}", success=True,
                                         mode="upi")
    raw, headers = sandbox_event(sandbox_order, secret(runtime), 1_700_000_000)
    first = settle(deps, read_webhook(SANDBOX, secret(runtime), raw, headers))
    again = settle(deps, read_webhook(SANDBOX, secret(runtime), raw, headers))

    assert (first.outcome, again.outcome) == ("captured", "duplicate")
    assert len(notices.events) == 1
    with Session(runtime.engine) as session:
        assert len(session.exec(select(Receipt)).all()) == 1
        assert len(session.exec(select(GatewayEvent)).all()) == 1
        captures = session.exec(
            select(AuditEntry).where(AuditEntry.action == "payment_captured")).all()
        assert len(captures) == 1


def test_a_second_event_for_a_paid_order_is_stored_but_settles_nothing(runtime, deps, notices):
    _, order = birth_fee_order(runtime)
    complete_sandbox_payment(runtime.gateway, deps, secret(runtime), f"sbx_{order.reference}",
                             success=True)
    other = event_body("order.paid", event_id="evt_other", order_id=f"sbx_{order.reference}",
                       payment_id="sbxpay_x", amount_paise=1000, method="upi", created_at=1)
    raw = json.dumps(other).encode()
    outcome = settle(deps, read_webhook(SANDBOX, secret(runtime), raw,
                                        {"x-sandbox-signature": signature(secret(runtime), raw)}))
    assert outcome.outcome == "already_settled"
    assert len(notices.events) == 1
    with pytest.raises(SandboxOrderClosed):
        settle_sandbox_order(runtime.gateway, f"sbx_{order.reference}", success=True, mode="upi")


def test_an_amount_mismatch_is_rejected_and_logged(runtime, deps, notices, caplog):
    _, order = birth_fee_order(runtime)
    forged = event_body("payment.captured", event_id="evt_cheap", order_id=f"sbx_{order.reference}",
                        payment_id="pay_cheap", amount_paise=100, method="upi", created_at=1)
    raw = json.dumps(forged).encode()
    event = read_webhook(SANDBOX, secret(runtime), raw,
                         {"x-sandbox-signature": signature(secret(runtime), raw)})
    with caplog.at_level(logging.WARNING):
        outcome = settle(deps, event)

    assert outcome.outcome == "mismatch"
    assert payment(runtime, order.payment_id).status == "pending"
    assert "differs from order" in caplog.text
    assert notices.events == []
    with Session(runtime.engine) as session:
        stored = session.exec(select(GatewayEvent)).one()
        assert (stored.event_id, stored.outcome) == ("evt_cheap", "mismatch")


def test_a_wrong_secret_never_reaches_settlement(runtime, deps):
    _, order = birth_fee_order(runtime)
    paid = settle_sandbox_order(runtime.gateway, f"sbx_{order.reference}", success=True,
                                mode="upi")
    raw, headers = sandbox_event(paid, "not-the-secret", 1_700_000_000)
    with pytest.raises(SignatureInvalid):
        settle(deps, read_webhook(SANDBOX, secret(runtime), raw, headers))
    with Session(runtime.engine) as session:
        assert session.exec(select(GatewayEvent)).all() == []
    assert payment(runtime, order.payment_id).status == "pending"


def test_a_failed_payment_tells_the_citizen_and_a_retry_opens_a_new_order(runtime, deps, notices):
    number, order = birth_fee_order(runtime)
    result = complete_sandbox_payment(runtime.gateway, deps, secret(runtime),
                                      f"sbx_{order.reference}", success=False)
    assert result.outcome == "failed"
    assert notices.events[0].event == "payment_failed"
    assert notices.events[0].data["application_number"] == number

    retry = runtime.call("919810000001", "create_payment", {"application_number": number},
                         idempotency_key="pay-2")
    assert retry.ok and retry.result.payment_id != order.payment_id and not retry.result.reused


def test_a_second_attempt_reuses_the_open_order(runtime):
    number, order = birth_fee_order(runtime)
    again = runtime.call("919810000001", "create_payment", {"application_number": number},
                         idempotency_key="pay-again")
    assert again.result.reused and again.result.payment_id == order.payment_id


def test_reconcile_settles_what_the_gateway_says(runtime, deps, notices):
    _, order = birth_fee_order(runtime)
    # The citizen paid but the callback never arrived.
    settle_sandbox_order(runtime.gateway, f"sbx_{order.reference}", success=True, mode="upi")

    counts = reconcile(deps, runtime.gateway)
    assert counts == {"captured": 1}
    assert payment(runtime, order.payment_id).status == "captured"
    assert notices.events[0].event == "payment_captured"
    assert reconcile(deps, runtime.gateway) == {}


def test_reconcile_leaves_young_and_unpaid_orders_alone(runtime, deps):
    birth_fee_order(runtime)
    assert reconcile(deps, runtime.gateway, older_than=timedelta(minutes=15)) == {}
    assert reconcile(deps, runtime.gateway) == {"pending": 1}


@pytest.mark.parametrize(
    ("at", "amount_paise", "rebate"),
    [(datetime(2026, 6, 15, 11), 432000, True), (datetime(2026, 7, 1, 11), 480000, False)],
)
def test_property_tax_rebate_before_30_june_only(tmp_path, at, amount_paise, rebate):
    runtime, order = tax_order(tmp_path, at)
    notices = CollectingNotifier()
    deps = IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, notices
    )
    complete_sandbox_payment(runtime.gateway, deps, secret(runtime), f"sbx_{order.reference}",
                             success=True)

    row = payment(runtime, order.payment_id)
    assert row.amount_paise == amount_paise and row.status == "captured"
    assert bool(row.lines[0]["rebate_paise"]) is rebate
    with Session(runtime.engine) as session:
        paid = session.exec(select(PropertyYearPaid)).one()
        assert paid.financial_year == "2026-27" and paid.payment_id == row.id
    assert notices.events[0].data["upic"] == "DL0123456789AB1"
    assert runtime.call("919810000001", "get_property_tax_due",
                        {"upic": "DL0123456789AB1"}).result.total_rupees == 0


def test_payments_of_other_gateways_are_not_reconciled_here(runtime, deps):
    _, order = birth_fee_order(runtime)
    with Session(runtime.engine) as session:
        row = session.get(Payment, order.payment_id)
        row.gateway = "razorpay"
        session.add(row)
        session.commit()
    assert reconcile(deps, runtime.gateway) == {}


def test_the_evals_pay_a_citizens_open_payment(runtime, deps, notices):
    from tools.payments.sandbox_callback import NoOpenPayment, pay_open_payment

    _, order = birth_fee_order(runtime)
    result = pay_open_payment(runtime.gateway, deps, secret(runtime), "919810000001",
                              success=True)
    assert (result.outcome, result.payment_id) == ("captured", order.payment_id)
    with pytest.raises(NoOpenPayment):
        pay_open_payment(runtime.gateway, deps, secret(runtime), "919810000001", success=True)
