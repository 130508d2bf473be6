from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from tests.tools.factories import CATALOG_DIR, make_test_engine
from tests.tools.payments.conftest import payment
from tests.tools.payments.fake_razorpay import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay
from tests.tools.test_toolkit_payments import RAVI, complete_birth_application
from tests.whatsapp.conftest import Server, free_port
from tools.catalog import load_catalog
from tools.clock import INDIA, FixedClock
from tools.db.models import GatewayEvent, Receipt
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.payments.razorpay import GatewayError, RazorpayGateway
from tools.payments.reconcile import reconcile
from tools.settings import Settings
from tools.toolkit.build import TARIFF_FILE_NAME, build_gateway
from tools.toolkit.runtime import ToolRuntime
from whatsapp.payments_web import create_payments_router


@pytest.fixture
def fake():
    fake = FakeRazorpay()
    port = free_port()
    with Server(fake.app, port):
        fake.url = f"http://127.0.0.1:{port}/v1"
        yield fake


@pytest.fixture
def world(tmp_path, fake):
    """The app's payment routes on loopback, a runtime on Razorpay, a collecting notifier."""
    port = free_port()
    settings = Settings(
        data_dir=tmp_path, catalog_dir=CATALOG_DIR, gateway="razorpay",
        razorpay_api_url=fake.url, razorpay_key_id=KEY_ID, razorpay_key_secret=KEY_SECRET,
        razorpay_webhook_secret=WEBHOOK_SECRET, public_base_url=f"http://127.0.0.1:{port}",
    )
    engine = make_test_engine(tmp_path)
    clock = FixedClock(datetime(2026, 11, 25, 10, 0, tzinfo=INDIA))
    runtime = ToolRuntime(engine=engine, clock=clock, catalog=load_catalog(CATALOG_DIR),
                          settings=settings, gateway=build_gateway(settings),
                          tariff_path=CATALOG_DIR / TARIFF_FILE_NAME)
    notices = CollectingNotifier()
    app = FastAPI()
    app.include_router(create_payments_router(settings, engine=engine, clock=clock))
    app.state.event_notifier = notices
    with Server(app, port):
        yield runtime, notices, f"{settings.public_base_url}/payments/webhook/razorpay"


def open_order(runtime):
    number = complete_birth_application(runtime)
    outcome = runtime.call(RAVI, "create_payment", {"application_number": number},
                           idempotency_key="rzp-1")
    assert outcome.ok, outcome.error
    return outcome.result


def test_an_order_is_opened_with_basic_auth_and_paid_through_the_signed_webhook(fake, world):
    runtime, notices, webhook = world
    order = open_order(runtime)
    [order_id] = fake.orders
    assert fake.orders[order_id]["amount"] == 1000
    assert fake.orders[order_id]["receipt"] == order.reference
    assert order.pay_url.endswith(f"/payments/razorpay/checkout/{order_id}")

    raw, headers = fake.pay(order_id, method="netbanking")
    response = fake.deliver(webhook, raw, headers)
    assert response.status_code == 200 and response.json()["outcome"] == "captured"
    row = payment(runtime, order.payment_id)
    assert (row.status, row.mode, row.gateway) == ("captured", "netbanking", "razorpay")
    with Session(runtime.engine) as session:
        receipt = session.exec(select(Receipt)).one()
    assert Path(receipt.pdf_path).exists()
    assert notices.events[0].data["receipt_number"] == receipt.number

    # Razorpay retries for a day: the same event again changes nothing.
    again = fake.deliver(webhook, raw, headers)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert len(notices.events) == 1


def test_unsigned_and_tampered_webhooks_are_refused(fake, world):
    runtime, notices, webhook = world
    open_order(runtime)
    [order_id] = fake.orders
    raw, headers = fake.pay(order_id)
    unsigned = {k: v for k, v in headers.items() if k != "X-Razorpay-Signature"}
    assert fake.deliver(webhook, raw, unsigned).status_code == 401
    tampered = raw.replace(b'"amount": 1000', b'"amount": 1')
    assert tampered != raw
    assert fake.deliver(webhook, tampered, headers).status_code == 403
    assert fake.deliver(webhook, b"{}", {"X-Razorpay-Signature": "00"}).status_code == 403
    with Session(runtime.engine) as session:
        assert session.exec(select(GatewayEvent)).all() == []
    assert notices.events == []


def test_a_failed_payment_is_reported_with_the_standard_advice_event(fake, world):
    runtime, notices, webhook = world
    order = open_order(runtime)
    [order_id] = fake.orders
    raw, headers = fake.pay(order_id, success=False)
    assert fake.deliver(webhook, raw, headers).json()["outcome"] == "failed"
    assert payment(runtime, order.payment_id).failure_reason.startswith("Payment failed")
    assert notices.events[0].event == "payment_failed"


def test_reconcile_asks_razorpay_about_payments_left_pending(fake, world):
    runtime, notices, _ = world
    order = open_order(runtime)
    [order_id] = fake.orders
    fake.pay(order_id, method="upi")  # paid, but the webhook is lost
    deps = IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, notices
    )
    assert reconcile(deps, runtime.gateway) == {"captured": 1}
    assert payment(runtime, order.payment_id).status == "captured"
    assert f"GET /v1/orders/{order_id}/payments" in fake.requests


def test_requests_are_retried_on_429_and_5xx(fake, tmp_path):
    gateway = RazorpayGateway(api_url=fake.url, key_id=KEY_ID, key_secret=KEY_SECRET,
                              public_base_url="http://app", backoff=0.01)
    fake.fail_next = [503, 429]
    order = gateway.create_order(reference="NGK000000001", amount_paise=500, description="x")
    assert order.order_id in fake.orders
    assert fake.requests.count("POST /v1/orders") == 3
    assert gateway.fetch_status(order.order_id).status == "pending"


def test_wrong_keys_fail_with_the_fix_in_the_message(fake):
    gateway = RazorpayGateway(api_url=fake.url, key_id=KEY_ID, key_secret="wrong",
                              public_base_url="http://app", backoff=0.01)
    with pytest.raises(GatewayError, match="NAGRIK_RAZORPAY_KEY_SECRET"):
        gateway.create_order(reference="NGK000000001", amount_paise=500, description="x")
    assert len(fake.requests) == 1  # a 401 is not retried


def test_razorpay_without_keys_is_refused_with_the_settings_to_set(tmp_path):
    with pytest.raises(ValueError, match="NAGRIK_RAZORPAY_KEY_ID"):
        build_gateway(Settings(data_dir=tmp_path, gateway="razorpay"))
