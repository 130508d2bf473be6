"""The officers' HTTP API: token checks, list and show, decisions and their refusals."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.tools.officer.conftest import submitted, submitted_template  # noqa: F401
from tools.db.models import Application, AuditEntry
from tools.notifications import CollectingNotifier
from whatsapp.officer_web import create_officer_router
from whatsapp.payments_web import create_payments_router
from whatsapp.verify_web import create_verify_router


@pytest.fixture
def office(submitted):  # noqa: F811
    runtime, number = submitted
    app = FastAPI()
    app.include_router(create_officer_router(runtime.settings, engine=runtime.engine,
                                             clock=runtime.clock))
    app.include_router(create_verify_router(runtime.settings, engine=runtime.engine))
    app.include_router(create_payments_router(runtime.settings, engine=runtime.engine,
                                              clock=runtime.clock, sandbox=runtime.gateway))
    app.state.event_notifier = CollectingNotifier()
    token = runtime.settings.secret("officer_token")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    return client, app.state.event_notifier, runtime, number


def test_the_token_is_required_and_checked(office):
    client, _, _, _ = office
    assert TestClient(client.app).get("/officer/applications").status_code == 401
    wrong = client.get("/officer/applications", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    basic = client.get("/officer/applications", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401


def test_list_show_and_filter(office):
    client, _, _, number = office
    rows = client.get("/officer/applications").json()
    assert [row["number"] for row in rows] == [number]
    assert client.get("/officer/applications", params={"status": "approved"}).json() == []
    detail = client.get(f"/officer/applications/{number}").json()
    assert detail["fields"]["father_name"] == "Ravi Kumar"
    assert detail["allowed_actions"] == ["approve", "reject", "ask"]
    assert client.get("/officer/applications/BC-2026-999999").status_code == 404


def test_reject_needs_a_reason_and_is_told_to_the_citizen(office):
    client, notices, runtime, number = office
    assert client.post(f"/officer/applications/{number}/reject", json={}).status_code == 422
    response = client.post(f"/officer/applications/{number}/reject",
                           json={"reason": "Slip unreadable", "officer": "meena"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert notices.events[0].event == "application_rejected"
    again = client.post(f"/officer/applications/{number}/approve", json={})
    assert again.status_code == 409
    with Session(runtime.engine) as session:
        actors = session.exec(select(AuditEntry.actor).where(AuditEntry.entity_id == number)).all()
    assert "officer:meena" in actors


def test_ask_validates_and_reopens(office):
    client, notices, runtime, number = office
    bad = client.post(f"/officer/applications/{number}/ask", json={"fields": ["nope"]})
    assert bad.status_code == 422
    nothing = client.post(f"/officer/applications/{number}/ask", json={})
    assert nothing.status_code == 422
    asked = client.post(f"/officer/applications/{number}/ask",
                        json={"documents": ["proof_of_birth"], "note": "Photo is blurred"})
    assert asked.status_code == 200 and asked.json()["status"] == "info_requested"
    with Session(runtime.engine) as session:
        row = session.exec(select(Application)).one()
    assert row.requested_documents == ["proof_of_birth"]
    assert notices.events[0].data["note"] == "Photo is blurred"


def test_events_from_the_cli_reach_the_notifier(office):
    client, notices, _, _ = office
    body = {"message_id": "officer:x:1", "citizen_wa_id": "919810000001", "department": "mcd",
            "event": "application_rejected", "data": {"reason": "r"}}
    assert client.post("/officer/events", json=body).status_code == 202
    assert notices.events[0].message_id == "officer:x:1"
    assert TestClient(client.app).post("/officer/events", json=body).status_code == 401


def test_approval_over_http_gives_a_verifiable_certificate(office):
    client, notices, _, number = office
    result = client.post(f"/officer/applications/{number}/approve", json={}).json()
    certificate = result["certificate_number"]
    from tools.verification import sign

    key = office[2].settings.secret("signing_key")
    page = client.get(f"/verify/{certificate}", params={"s": sign(key, certificate)})
    assert page.status_code == 200 and "Birth certificate" in page.text
    assert "Ravi" not in page.text  # the holder's name is masked on the public page
    data = client.get(f"/verify/{certificate}",
                      params={"s": sign(key, certificate), "format": "json"}).json()
    assert data["genuine"] and data["kind"] == "certificate"
    assert client.get(f"/verify/{certificate}", params={"s": "0" * 20}).status_code == 404
    assert client.get(f"/verify/{certificate}").status_code == 404


def test_sandbox_page_refuses_unknown_orders_and_bad_forms(office):
    client, _, _, _ = office
    assert client.get("/sandbox/pay/sbx_nothing").status_code == 404
    assert client.post("/sandbox/pay/sbx_nothing", data={"action": "pay"}).status_code == 404
    assert client.post("/sandbox/pay/sbx_nothing", data={"action": "steal"}).status_code == 400
