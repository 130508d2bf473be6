"""The agent's replies to events from outside the chat: receipts, decisions, requests."""

from __future__ import annotations

from sqlmodel import Session, select

from agent.messages import ButtonsReply, DocumentReply
from tests.agent.conversation import Chat
from tests.tools.officer.conftest import submitted, submitted_template  # noqa: F401
from tools.db.models import Receipt
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.officer.decisions import approve, ask, reject


def office(chat: Chat, notices: CollectingNotifier) -> IssuingDeps:
    runtime = chat.runtime
    return IssuingDeps.from_settings(runtime.settings, runtime.engine, runtime.clock,
                                    runtime.catalog, notices)


def deliver(chat: Chat, notices: CollectingNotifier):
    event = notices.events[-1]
    return chat.event(event.event, **event.data)


def test_the_receipt_pdf_follows_the_payment_message(submitted, tmp_path):  # noqa: F811
    chat = Chat(tmp_path, wa_id="919810000001", runtime=submitted[0])
    chat.say("hi")
    with Session(chat.runtime.engine) as session:
        receipt = session.exec(select(Receipt)).one()
    result = chat.event("payment_captured", payment_id=1, amount_rupees=10,
                        receipt_number=receipt.number, receipt_path=receipt.pdf_path,
                        application_number=None, upic=None)
    documents = [r for r in result.replies if isinstance(r, DocumentReply)]
    assert [d.filename for d in documents] == [f"{receipt.number}.pdf"]
    assert documents[0].path == receipt.pdf_path


def test_approval_sends_the_certificate(submitted, tmp_path):  # noqa: F811
    runtime, number = submitted
    chat = Chat(tmp_path, wa_id="919810000001", runtime=runtime)
    chat.say("hi")
    notices = CollectingNotifier()
    approve(office(chat, notices), number, officer="asha")
    result = deliver(chat, notices)
    [document] = [r for r in result.replies if isinstance(r, DocumentReply)]
    assert document.filename == "CERT-2026-000001.pdf"
    assert number in chat.text


def test_rejection_gives_the_reason_and_a_way_on(submitted, tmp_path):  # noqa: F811
    runtime, number = submitted
    chat = Chat(tmp_path, wa_id="919810000001", runtime=runtime)
    chat.say("hello")
    notices = CollectingNotifier()
    reject(office(chat, notices), number, officer="asha", reason="Slip belongs to another child")
    result = deliver(chat, notices)
    assert "Slip belongs to another child" in chat.text
    assert isinstance(result.replies[-1], ButtonsReply) and chat.choices == ["menu"]


def test_a_request_for_more_reopens_the_form_at_that_field(submitted, tmp_path):  # noqa: F811
    runtime, number = submitted
    chat = Chat(tmp_path, wa_id="919810000001", runtime=runtime)
    chat.say("hello")
    notices = CollectingNotifier()
    ask(office(chat, notices), number, officer="asha", fields=["birth_address"],
        note="Please give the full address with PIN code.")
    deliver(chat, notices)
    assert "full address with PIN code" in chat.text
    assert "address" in chat.text.lower()  # the question for birth_address
    chat.say("AIIMS, Ansari Nagar, New Delhi 110029")
    assert "set_application_fields" in chat.tools
    chat.tap("yes")
    assert "submit_application" in chat.tools
