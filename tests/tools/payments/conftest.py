"""Fixtures of the payment tests: a runtime with the sandbox gateway, settlement, a notifier."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session

from tests.tools.factories import citizen, make_runtime, property_row
from tests.tools.test_toolkit_payments import RAVI, complete_birth_application
from tools.clock import INDIA
from tools.db.models import Payment
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path)


@pytest.fixture
def notices() -> CollectingNotifier:
    return CollectingNotifier()


@pytest.fixture
def deps(runtime, notices) -> IssuingDeps:
    return IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, notices
    )


def birth_fee_order(runtime):
    """A complete birth application whose ₹10 fee is open for payment: (number, order)."""
    number = complete_birth_application(runtime)
    outcome = runtime.call(RAVI, "create_payment", {"application_number": number},
                           idempotency_key="pay-1")
    assert outcome.ok, outcome.error
    return number, outcome.result


def tax_order(tmp_path, at: datetime):
    """A runtime at `at` with Ravi's property and its tax open for payment: (runtime, order)."""
    runtime = make_runtime(tmp_path, at=at.replace(tzinfo=INDIA))
    owner = citizen(runtime.engine, RAVI, display_name="Ravi Kumar")
    property_row(runtime.engine, owner)
    outcome = runtime.call(RAVI, "create_payment", {"upic": "DL0123456789AB1"},
                           idempotency_key="tax-1")
    assert outcome.ok, outcome.error
    return runtime, outcome.result


def payment(runtime, payment_id: int) -> Payment:
    with Session(runtime.engine) as session:
        row = session.get(Payment, payment_id)
        assert row is not None
        return row
