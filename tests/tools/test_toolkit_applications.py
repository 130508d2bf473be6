from datetime import datetime

import pytest
from sqlmodel import Session, select

from tests.tools.factories import citizen, document, make_runtime
from tools.clock import INDIA
from tools.db.models import Application, ApplicationField, AuditEntry, StatusChange
from tools.toolkit.errors import ToolRefused, ToolRetry

RAVI = "919810000001"
SUNITA = "919810000002"


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path)


def start(runtime, wa_id=RAVI, service="birth_certificate", key="k-start"):
    outcome = runtime.call(wa_id, "start_application", {"service_id": service}, idempotency_key=key)
    assert outcome.ok, outcome.error
    return outcome.result.application.number


def test_start_numbers_by_service_and_year(runtime):
    assert start(runtime) == "BC-2026-000001"
    assert start(runtime, wa_id=SUNITA, key="k2") == "BC-2026-000002"
    assert start(runtime, service="caste_certificate", key="k3") == "CC-2026-000001"


def test_numbering_restarts_each_year(tmp_path):
    runtime = make_runtime(tmp_path, at=datetime(2026, 12, 31, 23, 0, tzinfo=INDIA))
    assert start(runtime) == "BC-2026-000001"
    runtime.clock.set(datetime(2027, 1, 1, 9, 0, tzinfo=INDIA))
    assert start(runtime, wa_id=SUNITA, key="k2") == "BC-2027-000001"


def test_same_idempotency_key_gives_same_result_and_one_row(runtime):
    first = runtime.call(RAVI, "start_application", {"service_id": "marriage_certificate"},
                         idempotency_key="msg-1")
    again = runtime.call(RAVI, "start_application", {"service_id": "marriage_certificate"},
                         idempotency_key="msg-1")
    assert again.replayed
    assert again.result == first.result
    with Session(runtime.engine) as session:
        assert len(session.exec(select(Application)).all()) == 1


def test_second_start_resumes_the_draft(runtime):
    number = start(runtime)
    outcome = runtime.call(RAVI, "start_application", {"service_id": "birth_certificate"},
                           idempotency_key="another")
    assert outcome.result.resumed
    assert outcome.result.application.number == number


def test_unknown_service_asks_for_a_corrected_call(runtime):
    outcome = runtime.call(RAVI, "start_application", {"service_id": "passport"},
                           idempotency_key="k")
    assert isinstance(outcome.error, ToolRetry)
    assert outcome.error.code == "unknown_service"
    assert "birth_certificate" in outcome.error.detail


def test_property_tax_is_not_applied_for(runtime):
    outcome = runtime.call(RAVI, "start_application", {"service_id": "property_tax"},
                           idempotency_key="k")
    assert outcome.error.code == "not_an_application"


def test_missing_idempotency_key_is_a_retry(runtime):
    outcome = runtime.call(RAVI, "start_application", {"service_id": "birth_certificate"})
    assert isinstance(outcome.error, ToolRetry)
    assert outcome.error.code == "invalid_arguments"


def set_fields(runtime, number, values, key, wa_id=RAVI):
    return runtime.call(
        wa_id,
        "set_application_fields",
        {"application_number": number, "values": values},
        idempotency_key=key,
    )


def test_values_are_stored_in_canonical_form(runtime):
    number = start(runtime)
    outcome = set_fields(
        runtime,
        number,
        {"sex": "beti", "date_of_birth": "०५/११/2026", "place_of_birth": "Hospital",
         "copies": "२", "father_name": "रवि कुमार"},
        "k1",
    )
    assert outcome.ok
    assert outcome.result.accepted == {
        "sex": "female",
        "date_of_birth": "2026-11-05",
        "place_of_birth": "hospital",
        "copies": 2,
        "father_name": "रवि कुमार",
    }
    assert "sex" not in outcome.result.application.missing_fields
    assert outcome.result.next_question.name not in outcome.result.accepted


def test_bad_values_are_reported_and_not_stored(runtime):
    number = start(runtime)
    outcome = set_fields(
        runtime,
        number,
        {"date_of_birth": "31/02/2026", "sex": "maybe", "shoe_size": "9", "copies": "50",
         "mother_name": "Sunita"},
        "k1",
    )
    codes = {problem.field: problem.code for problem in outcome.result.rejected}
    assert codes == {
        "date_of_birth": "invalid_date",
        "sex": "invalid_choice",
        "shoe_size": "unknown_field",
        "copies": "out_of_range",
    }
    assert outcome.result.accepted == {"mother_name": "Sunita"}
    with Session(runtime.engine) as session:
        names = {row.name for row in session.exec(select(ApplicationField)).all()}
    assert names == {"mother_name"}


def test_future_birth_date_is_refused(runtime):
    number = start(runtime)
    outcome = set_fields(runtime, number, {"date_of_birth": "2026-12-25"}, "k1")
    assert outcome.result.rejected[0].code == "future_date"


def test_obc_needs_residence_since_1993(runtime):
    number = start(runtime, service="caste_certificate")
    outcome = set_fields(runtime, number, {"category": "OBC", "resident_since_year": 2001}, "k1")
    assert len(outcome.result.ineligible) == 1
    assert "1993" in outcome.result.ineligible[0].message.en
    assert "resident_since_year" not in outcome.result.accepted

    fine = set_fields(runtime, number, {"category": "OBC", "resident_since_year": 1990}, "k2")
    assert fine.result.ineligible == []
    assert fine.result.accepted["resident_since_year"] == 1990


def test_sc_has_no_residence_cut_off(runtime):
    number = start(runtime, service="caste_certificate")
    outcome = set_fields(runtime, number, {"category": "SC", "resident_since_year": 2010}, "k1")
    assert outcome.result.ineligible == []


def test_marriage_age_limits(runtime):
    number = start(runtime, service="marriage_certificate")
    outcome = set_fields(
        runtime,
        number,
        {"marriage_date": "2026-02-10", "husband_date_of_birth": "2006-01-01",
         "wife_date_of_birth": "2008-03-01"},
        "k1",
    )
    failed_fields = {f for problem in outcome.result.ineligible for f in problem.fields}
    assert {"husband_date_of_birth", "wife_date_of_birth"} <= failed_fields | {"marriage_date"}
    assert outcome.result.ineligible


def test_learner_licence_age(runtime):
    number = start(runtime, service="learner_licence")
    too_young = set_fields(
        runtime, number, {"date_of_birth": "2009-06-01", "vehicle_classes": ["LMV"]}, "k1"
    )
    assert too_young.result.ineligible
    gearless = set_fields(
        runtime, number, {"date_of_birth": "2009-06-01", "vehicle_classes": ["MC50CC"]}, "k2"
    )
    assert gearless.result.ineligible == []


def test_another_citizens_application_looks_absent(runtime):
    number = start(runtime)
    for tool, args in [
        ("set_application_fields", {"application_number": number, "values": {"sex": "male"}}),
        ("check_status", {"application_number": number}),
        ("submit_application", {"application_number": number}),
        ("cancel_application", {"application_number": number}),
        ("create_payment", {"application_number": number}),
    ]:
        outcome = runtime.call(SUNITA, tool, args, idempotency_key=f"x-{tool}")
        assert isinstance(outcome.error, ToolRefused), tool
        assert outcome.error.code == "application_not_found", tool

    missing = runtime.call(SUNITA, "check_status", {"application_number": "BC-2026-999999"})
    assert missing.error.code == "application_not_found"
    assert number not in missing.error.detail.replace("BC-2026-999999", "")


def test_upload_document_to_a_slot(runtime):
    number = start(runtime)
    set_fields(runtime, number, {"place_of_birth": "home"}, "k1")
    ravi_id = runtime.ensure_citizen(RAVI)
    doc = document(runtime.engine, ravi_id)
    outcome = runtime.call(
        RAVI,
        "upload_document",
        {"application_number": number, "slot": "home_birth_affidavit", "document_id": doc},
        idempotency_key="u1",
    )
    assert outcome.ok
    assert "home_birth_affidavit" in outcome.result.application.documents
    assert "home_birth_affidavit" not in outcome.result.application.missing_documents

    bad_slot = runtime.call(
        RAVI,
        "upload_document",
        {"application_number": number, "slot": "passport_photo", "document_id": doc},
        idempotency_key="u2",
    )
    assert bad_slot.error.code == "unknown_slot"

    sunita_doc = document(runtime.engine, citizen(runtime.engine, SUNITA), b"other")
    theirs = runtime.call(
        RAVI,
        "upload_document",
        {"application_number": number, "slot": "parents_id_proof", "document_id": sunita_doc},
        idempotency_key="u3",
    )
    assert theirs.error.code == "document_not_found"


def test_status_history_and_audit_are_written(runtime):
    number = start(runtime)
    runtime.call(RAVI, "cancel_application", {"application_number": number, "reason": "mistake"},
                 idempotency_key="c1")
    with Session(runtime.engine) as session:
        steps = [(s.from_status, s.to_status) for s in session.exec(select(StatusChange)).all()]
        actions = [a.action for a in session.exec(select(AuditEntry)).all()]
    assert steps == [(None, "draft"), ("draft", "cancelled")]
    assert actions == ["application_started", "status_changed"]


def test_cancel_twice_is_refused_and_cancelled_cannot_change(runtime):
    number = start(runtime)
    runtime.call(RAVI, "cancel_application", {"application_number": number}, idempotency_key="c1")
    again = runtime.call(RAVI, "cancel_application", {"application_number": number},
                         idempotency_key="c2")
    assert again.error.code == "already_cancelled"
    edit = set_fields(runtime, number, {"sex": "male"}, "k9")
    assert edit.error.code == "not_editable"


def test_check_status_lists_only_own_applications(runtime):
    mine = start(runtime)
    start(runtime, wa_id=SUNITA, key="s1")
    outcome = runtime.call(RAVI, "check_status", {})
    assert [a.number for a in outcome.result.applications] == [mine]


def test_request_human_help(runtime):
    outcome = runtime.call(RAVI, "request_human_help", {"reason": "my name is misspelt"},
                           idempotency_key="h1")
    assert outcome.result.ticket == "HELP-000001"
