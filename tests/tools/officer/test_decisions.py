import subprocess
from pathlib import Path

import pypdfium2
import pytest
from sqlmodel import Session, select

from tools.db.models import (
    Application,
    ApplicationField,
    AuditEntry,
    Certificate,
    Document,
    StatusChange,
)
from tools.officer import decisions, lookup
from tools.officer.backend import DepartmentDecision, LocalBackOffice, apply_decision
from tools.officer.lookup import OfficerError
from tools.verification import sign, verify


def application(runtime, number) -> Application:
    with Session(runtime.engine) as session:
        return session.exec(select(Application).where(Application.number == number)).one()


def test_the_list_shows_what_awaits_a_decision(runtime, number):
    with Session(runtime.engine) as session:
        rows = lookup.list_applications(session, runtime.catalog)
        assert [row.number for row in rows] == [number]
        assert rows[0].status == "submitted" and rows[0].department == "mcd"
        assert lookup.list_applications(session, runtime.catalog, statuses=["approved"]) == []
        assert lookup.list_applications(session, runtime.catalog, department="revenue") == []
        detail = lookup.show(session, runtime.catalog, number.lower())
    assert detail.fields["mother_name"] == "Sunita Devi"
    assert {doc.slot for doc in detail.documents} == {"proof_of_birth", "parents_id_proof"}
    assert detail.payments[0].status == "captured" and detail.payments[0].receipt_number
    assert detail.allowed_actions == ["approve", "reject", "ask"]
    assert [step.to_status for step in detail.history] == ["draft", "submitted"]


def test_approval_issues_a_verifiable_bilingual_certificate(runtime, office, notices, number,
                                                             tmp_path):
    result = decisions.approve(office, number, officer="asha.mcd")

    assert result.status == "approved" and result.certificate_number == "CERT-2026-000001"
    path = Path(result.certificate_path)
    assert path == runtime.settings.data_dir / "certificates" / "CERT-2026-000001.pdf"
    document = pypdfium2.PdfDocument(str(path))
    text = document[0].get_textpage().get_text_range()
    document.close()
    for expected in ("Birth certificate", "CERT-2026-000001", number, "Sunita Devi",
                     "Ravi Kumar", "25-11-2026", "asha.mcd", "Boy"):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "cert")], check=True, timeout=30)
    assert list(tmp_path.glob("cert*.png"))

    [event] = notices.events
    assert event.event == "application_approved" and event.citizen_wa_id == "919810000001"
    assert event.data == {"application_number": number, "service_id": "birth_certificate",
                          "certificate_number": "CERT-2026-000001",
                          "certificate_path": str(path)}
    assert event.message_id.startswith(f"officer:{number}:")

    key = runtime.settings.secret("signing_key")
    with Session(runtime.engine) as session:
        verdict = verify(session, runtime.catalog, key, "CERT-2026-000001",
                         sign(key, "CERT-2026-000001"))
        steps = session.exec(select(StatusChange).order_by(StatusChange.id)).all()
        audit = session.exec(select(AuditEntry).where(AuditEntry.entity_id == number)).all()
    assert verdict.genuine and verdict.title_en == "Birth certificate"
    assert steps[-1].to_status == "approved" and steps[-1].actor == "officer:asha.mcd"
    assert any(entry.actor == "officer:asha.mcd" and entry.details["target"] == "approved"
               for entry in audit)


def test_a_decided_application_cannot_be_decided_again(office, notices, number):
    decisions.approve(office, number, officer="asha")
    with pytest.raises(OfficerError) as refused:
        decisions.reject(office, number, officer="asha", reason="changed my mind")
    assert refused.value.code == "not_allowed"
    assert len(notices.events) == 1


def test_a_draft_cannot_be_approved(runtime, office):
    number = runtime.call("919810000001", "start_application",
                          {"service_id": "caste_certificate"},
                          idempotency_key="draft").result.application.number
    with pytest.raises(OfficerError) as refused:
        decisions.approve(office, number, officer="asha")
    assert refused.value.code == "not_allowed"
    with pytest.raises(OfficerError) as missing:
        decisions.approve(office, "BC-2026-999999", officer="asha")
    assert missing.value.code == "not_found"


def test_rejection_records_and_sends_the_reason(runtime, office, notices, number):
    with pytest.raises(OfficerError):
        decisions.reject(office, number, officer="asha", reason="  ")
    result = decisions.reject(office, number, officer="asha",
                              reason="The discharge slip is for another child")
    assert result.status == "rejected" and result.certificate_number is None
    assert application(runtime, number).decision_reason == "The discharge slip is for another child"
    assert notices.events[0].event == "application_rejected"
    assert notices.events[0].data["reason"] == "The discharge slip is for another child"


def test_asking_reopens_the_form_for_exactly_those_fields_and_documents(runtime, office, notices,
                                                                       number):
    with pytest.raises(OfficerError):
        decisions.ask(office, number, officer="asha", fields=["favourite_colour"])
    decisions.ask(office, number, officer="asha", fields=["birth_address"],
                  documents=["parents_id_proof"], note="Write the hospital's full address.")

    row = application(runtime, number)
    assert row.status == "info_requested"
    assert (row.requested_fields, row.requested_documents) == (["birth_address"],
                                                              ["parents_id_proof"])
    assert row.decision_reason == "Write the hospital's full address."
    with Session(runtime.engine) as session:
        names = set(session.exec(select(ApplicationField.name)
                                 .where(ApplicationField.application_id == row.id)).all())
        slots = set(session.exec(select(Document.slot)
                                 .where(Document.application_id == row.id)).all())
    assert "birth_address" not in names and "mother_name" in names
    assert slots == {"proof_of_birth", None}  # the old file stays, out of its slot

    status = runtime.call("919810000001", "check_status", {"application_number": number})
    summary = status.result.applications[0]
    assert summary.missing_fields == ["birth_address"]
    assert summary.missing_documents == ["parents_id_proof"]

    event = notices.events[0]
    assert event.event == "info_requested"
    assert event.data["fields"] == ["birth_address"]
    assert event.data["documents"] == ["parents_id_proof"]

    # The citizen answers and resubmits; the workflow allows info_requested → submitted.
    runtime.call("919810000001", "set_application_fields",
                 {"application_number": number,
                  "values": {"birth_address": "AIIMS, Ansari Nagar, New Delhi 110029"}},
                 idempotency_key="again-field")
    from tests.tools.factories import document

    doc = document(runtime.engine, row.citizen_id, b"new id")
    runtime.call("919810000001", "upload_document",
                 {"application_number": number, "slot": "parents_id_proof", "document_id": doc},
                 idempotency_key="again-doc")
    resubmitted = runtime.call("919810000001", "submit_application",
                               {"application_number": number}, idempotency_key="again-submit")
    assert resubmitted.ok, resubmitted.error
    assert application(runtime, number).requested_fields == []


def test_the_local_back_office_is_the_default_backend(office, number):
    backend = LocalBackOffice()
    assert backend.submit(number) == number and backend.decisions() == []
    result = apply_decision(office, DepartmentDecision(number, "approve", officer="edistrict"))
    assert result.status == "approved"
    with Session(office.engine) as session:
        assert session.exec(select(Certificate)).one().officer == "edistrict"
