"""OCR results reach the citizen: what was read, whether it matches, and an unreadable photo."""

import io
from datetime import datetime

from PIL import Image
from sqlmodel import Session

from agent.document_events import document_read_event
from evals.ocr.render import encode, render
from evals.ocr.samples import make_samples
from tests.agent.conversation import Chat
from tests.tools.factories import make_runtime
from tools.clock import INDIA
from tools.documents.service import receive_document, run_ocr
from tools.documents.vault import Keyring, Vault


def slip():
    sample = next(s for s in make_samples(per_kind=1) if s.kind == "hospital_slip"
                  and s.language == "en")
    return sample, encode(sample, render(sample))


def start_birth_application(chat, sample):
    chat.say("birth certificate chahiye")
    born = datetime.fromisoformat(sample.fields["date_of_birth"]).strftime("%d/%m/%Y")
    chat.tap("skip")
    chat.tap("opt:male")
    chat.say(born)
    chat.tap("opt:hospital")
    chat.say("Lok Nayak Hospital, Delhi")
    chat.say(sample.fields["father_name"])
    chat.say(sample.fields["mother_name"])
    chat.tap("opt:father")
    chat.say("1")


def upload_and_read(chat, tmp_path, data):
    vault = Vault(tmp_path / "vault", Keyring("k1", {"k1": b"\x01" * 32}))
    with Session(chat.runtime.engine) as session:
        document = receive_document(
            session, vault, citizen_id=chat.runtime.ensure_citizen(chat.wa_id), data=data,
            declared_mime="image/png", filename="slip.png", source_message_id="wamid.slip",
            clock=chat.runtime.clock)
        session.commit()
        document_id = document.id
    chat._send(kind="document", document_id=document_id)
    with Session(chat.runtime.engine) as session:
        from tools.db.models import Document

        slot = session.get(Document, document_id).slot
        fields = {"date_of_birth": chat_fields(chat)["date_of_birth"],
                  "mother_name": chat_fields(chat)["mother_name"]}
        outcome = run_ocr(session, vault, document_id,
                          service=chat.runtime.catalog.service("birth_certificate"),
                          application_fields=fields, slot=slot)
        session.commit()
    event = document_read_event(outcome, citizen_id=chat.wa_id, department=None,
                                slot=slot, application_number="BC-2026-000001")
    chat.last = chat.agent.handle_turn(event)
    return chat.last


def chat_fields(chat):
    from tests.agent.test_offline_flows import fields_of

    return fields_of(chat)


def test_what_was_read_is_told_and_matches(tmp_path):
    sample, data = slip()
    chat = Chat(tmp_path, runtime=make_runtime(tmp_path, at=datetime(2026, 1, 10, tzinfo=INDIA)))
    start_birth_application(chat, sample)
    assert "photo" in chat.text.lower()
    upload_and_read(chat, tmp_path, data)
    assert "✅" in chat.text and "⚠️" not in chat.text


def test_unreadable_photo_asks_for_a_clearer_one(tmp_path):
    sample, _ = slip()
    chat = Chat(tmp_path, runtime=make_runtime(tmp_path, at=datetime(2026, 1, 10, tzinfo=INDIA)))
    start_birth_application(chat, sample)
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1600), (12, 12, 12)).save(buffer, format="PNG")
    upload_and_read(chat, tmp_path, buffer.getvalue())
    assert "clearer" in chat.text.lower() or "saaf" in chat.text.lower()
    assert chat.choices == ["resend:proof_of_birth"]
    chat.tap("resend:proof_of_birth")
    assert "photo" in chat.text.lower()
