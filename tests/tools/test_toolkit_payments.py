from datetime import datetime

import pytest
from sqlmodel import Session, select

from tests.tools.factories import citizen, document, make_runtime, property_row
from tools.clock import INDIA
from tools.db.models import Application, Payment, Receipt
from tools.payments.capture import PaymentMismatch, capture
from tools.toolkit.errors import ToolRefused

RAVI = "919810000001"
SUNITA = "919810000002"


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path)


def complete_birth_application(runtime, date_of_birth="2026-10-01"):
    number = runtime.call(RAVI, "start_application", {"service_id": "birth_certificate"},
                          idempotency_key="s").result.application.number
    outcome = runtime.call(
        RAVI,
        "set_application_fields",
        {
            "application_number": number,
            "values": {
                "sex": "male", "date_of_birth": date_of_birth, "place_of_birth": "hospital",
                "birth_address": "AIIMS, New Delhi", "father_name": "Ravi Kumar",
                "mother_name": "Sunita Devi", "informant_relation": "father", "copies": 2,
            },
        },
        idempotency_key="f",
    )
    assert outcome.result.rejected == [], outcome.result.rejected
    ravi = runtime.ensure_citizen(RAVI)
    for index, slot in enumerate(outcome.result.application.missing_documents):
        doc = document(runtime.engine, ravi, f"doc{index}".encode())
        runtime.call(RAVI, "upload_document",
                     {"application_number": number, "slot": slot, "document_id": doc},
                     idempotency_key=f"d{index}")
    return number


def pay(runtime, payment_id, amount_paise=None, mode="upi"):
    with Session(runtime.engine) as session:
        payment = session.get(Payment, payment_id)
        receipt = capture(session, runtime.clock, payment, gateway_payment_id="pay_1",
                          amount_paise=amount_paise or payment.amount_paise, mode=mode)
        session.commit()
        return receipt.number


def test_late_birth_registration_fee_and_copies(runtime):
    number = complete_birth_application(runtime, "2026-10-01")  # 55 days before 25 Nov
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1")
    assert order.ok, order.error
    assert order.result.amount_rupees == 5 + 5  # late fee up to a year, one extra copy
    assert order.result.pay_url.endswith(f"/sandbox/pay/sbx_{order.result.reference}")
    assert order.result.upi_link.startswith("upi://pay?pa=")
    assert "am=10.00" in order.result.upi_link and f"tr={order.result.reference}" in (
        order.result.upi_link
    )


def test_submit_refuses_until_complete_and_paid(runtime):
    number = runtime.call(RAVI, "start_application", {"service_id": "birth_certificate"},
                          idempotency_key="s").result.application.number
    early = runtime.call(RAVI, "submit_application", {"application_number": number},
                         idempotency_key="x1")
    assert isinstance(early.error, ToolRefused) and early.error.code == "incomplete"
    assert "sex" in early.error.params["fields"]

    number = complete_birth_application(runtime)
    unpaid = runtime.call(RAVI, "submit_application", {"application_number": number},
                          idempotency_key="x2")
    assert unpaid.error.code == "unpaid"

    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    pay(runtime, order.payment_id)
    done = runtime.call(RAVI, "submit_application", {"application_number": number},
                        idempotency_key="x3")
    assert done.ok and done.result.application.status == "submitted"
    assert done.result.application.expected_by == "2026-12-02"

    twice = runtime.call(RAVI, "submit_application", {"application_number": number},
                         idempotency_key="x4")
    assert twice.error.code == "already_submitted"


def test_free_registration_submits_without_payment(runtime):
    number = complete_birth_application(runtime, "2026-11-20")
    # Within 21 days and one extra copy: only the copy is charged.
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p").result
    assert order.amount_rupees == 5


def test_second_attempt_reuses_the_open_order(runtime):
    number = complete_birth_application(runtime)
    first = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    second = runtime.call(RAVI, "create_payment", {"application_number": number},
                          idempotency_key="p2").result
    assert second.reused and second.payment_id == first.payment_id
    with Session(runtime.engine) as session:
        assert len(session.exec(select(Payment)).all()) == 1


def test_captured_once_and_never_twice(runtime):
    number = complete_birth_application(runtime)
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    first = pay(runtime, order.payment_id)
    second = pay(runtime, order.payment_id)
    assert first == second == "RCPT-2026-000001"
    with Session(runtime.engine) as session:
        assert len(session.exec(select(Receipt)).all()) == 1
    again = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p3")
    assert again.error.code == "already_paid"


def test_amount_mismatch_is_rejected(runtime):
    number = complete_birth_application(runtime)
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    with pytest.raises(PaymentMismatch):
        pay(runtime, order.payment_id, amount_paise=100)
    with Session(runtime.engine) as session:
        assert session.get(Payment, order.payment_id).status == "pending"


def test_receipts_are_only_the_citizens_own(runtime):
    number = complete_birth_application(runtime)
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    receipt = pay(runtime, order.payment_id)
    mine = runtime.call(RAVI, "get_receipt", {"receipt_number": receipt}).result.receipts
    assert [r.receipt_number for r in mine] == [receipt]
    assert mine[0].amount_rupees == order.amount_rupees
    theirs = runtime.call(SUNITA, "get_receipt", {"receipt_number": receipt})
    assert theirs.error.code == "receipt_not_found"


def test_marriage_under_sma_waits_for_the_notice_period(runtime):
    number = runtime.call(RAVI, "start_application", {"service_id": "marriage_certificate"},
                          idempotency_key="s").result.application.number
    values = {
        "act": "special marriage act", "marriage_date": "2026-10-10",
        "marriage_place": "Saket, New Delhi", "husband_name": "Ravi Kumar",
        "husband_date_of_birth": "1995-01-01", "wife_name": "Priya Singh",
        "wife_date_of_birth": "1997-05-05", "address": "Saket, New Delhi",
        "witness_names": "Amit Jain, Neha Gupta, Raj Malhotra",
    }
    result = runtime.call(RAVI, "set_application_fields",
                          {"application_number": number, "values": values},
                          idempotency_key="f").result
    assert result.rejected == [] and result.ineligible == []
    ravi = runtime.ensure_citizen(RAVI)
    for index, slot in enumerate(result.application.missing_documents):
        doc = document(runtime.engine, ravi, f"m{index}".encode())
        runtime.call(RAVI, "upload_document",
                     {"application_number": number, "slot": slot, "document_id": doc},
                     idempotency_key=f"d{index}")
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p").result
    assert order.amount_rupees == 150
    pay(runtime, order.payment_id)
    done = runtime.call(RAVI, "submit_application", {"application_number": number},
                        idempotency_key="x").result
    assert done.application.status == "notice_period"
    assert done.application.wait_until == "2026-12-25"
    assert done.notice is not None and "30" in done.notice.en


def test_property_tax_due_with_and_without_rebate(tmp_path):
    runtime = make_runtime(tmp_path, at=datetime(2026, 6, 30, 18, 0, tzinfo=INDIA))
    owner = citizen(runtime.engine, RAVI)
    property_row(runtime.engine, owner, first_financial_year="2026-27")
    due = runtime.call(RAVI, "get_property_tax_due", {"upic": "dl0123456789ab1"}).result
    assert [(y.financial_year, y.due_rupees) for y in due.years] == [("2026-27", 4320)]
    assert due.rebate_until == "2026-06-30"

    runtime.clock.set(datetime(2026, 7, 1, 9, 0, tzinfo=INDIA))
    later = runtime.call(RAVI, "get_property_tax_due", {"upic": "DL0123456789AB1"}).result
    assert [(y.financial_year, y.due_rupees) for y in later.years] == [("2026-27", 4800)]


def test_property_tax_payment_marks_years_paid(runtime):
    owner = citizen(runtime.engine, RAVI)
    property_row(runtime.engine, owner, first_financial_year="2025-26")
    order = runtime.call(RAVI, "create_payment", {"upic": "DL0123456789AB1"},
                         idempotency_key="p").result
    # Arrears for 2025-26 and the current year after the rebate date, both in full.
    assert [(line.financial_year, line.amount_rupees) for line in order.lines] == [
        ("2025-26", 4800), ("2026-27", 4800)
    ]
    pay(runtime, order.payment_id)
    due = runtime.call(RAVI, "get_property_tax_due", {"upic": "DL0123456789AB1"}).result
    assert due.years == [] and due.paid_years == ["2025-26", "2026-27"]
    again = runtime.call(RAVI, "create_payment", {"upic": "DL0123456789AB1"},
                         idempotency_key="p2")
    assert again.error.code == "already_paid"


def test_someone_elses_property_looks_absent(runtime):
    owner = citizen(runtime.engine, RAVI)
    property_row(runtime.engine, owner)
    outcome = runtime.call(SUNITA, "get_property_tax_due", {"upic": "DL0123456789AB1"})
    assert outcome.error.code == "property_not_found"
    pay_theirs = runtime.call(SUNITA, "create_payment", {"upic": "DL0123456789AB1"},
                              idempotency_key="p")
    assert pay_theirs.error.code == "property_not_found"


def test_bad_upic_asks_for_correction(runtime):
    outcome = runtime.call(RAVI, "get_property_tax_due", {"upic": "12345"})
    assert outcome.error.code == "invalid_upic"


def test_create_payment_needs_exactly_one_target(runtime):
    outcome = runtime.call(RAVI, "create_payment", {}, idempotency_key="p")
    assert outcome.error.code == "invalid_arguments"


def test_every_application_stays_with_its_owner(runtime):
    complete_birth_application(runtime)
    with Session(runtime.engine) as session:
        owners = {a.citizen_id for a in session.exec(select(Application)).all()}
    assert owners == {runtime.ensure_citizen(RAVI)}


def test_an_old_failed_order_paid_late_does_not_pay_the_dues_twice(runtime):
    from tools.payments.capture import fail

    number = complete_birth_application(runtime)
    first = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p1").result
    with Session(runtime.engine) as session:
        fail(session, runtime.clock, session.get(Payment, first.payment_id), reason="declined")
        session.commit()
    second = runtime.call(RAVI, "create_payment", {"application_number": number},
                          idempotency_key="p2").result
    assert second.payment_id != first.payment_id
    pay(runtime, second.payment_id)

    with pytest.raises(PaymentMismatch, match="refund"):
        pay(runtime, first.payment_id)
    with Session(runtime.engine) as session:
        statuses = {p.id: p.status for p in session.exec(select(Payment)).all()}
        assert len(session.exec(select(Receipt)).all()) == 1
    assert statuses == {first.payment_id: "failed", second.payment_id: "captured"}


class RecordingBackend:
    name = "recording"

    def __init__(self, fail: bool = False) -> None:
        self.submitted: list[str] = []
        self.fail = fail

    def submit(self, application_number: str) -> str:
        self.submitted.append(application_number)
        if self.fail:
            raise ConnectionError("e-District is down")
        return f"EDIST-{application_number}"

    def decisions(self):
        return []


@pytest.mark.parametrize("fail", [False, True])
def test_a_submitted_application_is_handed_to_the_department_once(runtime, fail):
    from tools.db.models import AuditEntry

    runtime.backend = RecordingBackend(fail=fail)
    number = complete_birth_application(runtime)
    order = runtime.call(RAVI, "create_payment", {"application_number": number},
                         idempotency_key="p").result
    pay(runtime, order.payment_id)
    for _ in range(2):  # a redelivered message replays the result and hands over nothing
        done = runtime.call(RAVI, "submit_application", {"application_number": number},
                            idempotency_key="same")
        assert done.ok and done.result.application.status == "submitted"
    assert runtime.backend.submitted == [number]
    with Session(runtime.engine) as session:
        handed = session.exec(select(AuditEntry).where(AuditEntry.action == "handed_over")).one()
    assert handed.details["ok"] is (not fail)
