import io

from PIL import Image
from sqlmodel import Session, select

from tests.whatsapp.conftest import GENERAL, Live
from tools.db.models import Document
from whatsapp.outbox import failed_messages
from whatsapp.webhook_bodies import message_body


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def send_media(live: Live, citizen: str, kind: str, data: bytes, mime: str) -> None:
    fake = live.app.state.fake_graph
    media_id = fake.store_media(data, mime, f"upload.{mime.split('/')[-1]}")
    media = {"id": media_id, "mime_type": mime, "sha256": fake.media[media_id].sha256}
    _, body = message_body(phone_number_id=GENERAL, display_phone_number="+91",
                           citizen=citizen, name="Asha", content={"type": kind, kind: media})
    assert live.post(body).status_code == 200


def test_photo_is_downloaded_stored_and_handed_over_as_a_document(live: Live) -> None:
    citizen = "919800000020"
    send_media(live, citizen, "image", png(), "image/png")
    sent = live.wait_for(lambda: live.sent_to(citizen))
    incoming = live.handler.seen[-1]
    assert incoming.kind == "document" and incoming.document_id
    assert sent[0].request["text"]["body"] == f"Got your document #{incoming.document_id}"
    with Session(live.engine) as session:
        document = session.exec(select(Document)).one()
        assert document.mime_type == "image/png"
        assert document.source_message_id == incoming.message_id


def test_unsupported_media_reaches_the_handler_as_unsupported(live: Live) -> None:
    citizen = "919800000021"
    send_media(live, citizen, "audio", b"OggS fake audio", "audio/ogg")
    live.wait_for(lambda: live.sent_to(citizen))
    assert live.handler.seen[-1].media_kind == "audio"

    send_media(live, citizen, "document", b"PK zip bytes", "application/zip")
    live.wait_for(lambda: len(live.sent_to(citizen)) == 2)
    assert live.handler.seen[-1].media_kind == "document:unsupported_type"

    # Bytes that claim to be a PNG but are not: document storage refuses them.
    send_media(live, citizen, "image", b"not really a png", "image/png")
    live.wait_for(lambda: len(live.sent_to(citizen)) == 3)
    assert live.handler.seen[-1].media_kind == "image:unsupported_type"


def test_documents_are_uploaded_then_sent_by_id(live: Live) -> None:
    citizen = "919800000022"
    _, body = message_body(
        phone_number_id=GENERAL, display_phone_number="+91", citizen=citizen, name="A",
        content={"type": "interactive",
                 "interactive": {"type": "button_reply",
                                 "button_reply": {"id": "pay", "title": "Pay now"}}},
    )
    live.post(body)
    sent = live.wait_for(lambda: len(live.sent_to(citizen)) == 2 and live.sent_to(citizen))
    assert "http://127.0.0.1/pay/abc" in sent[0].request["text"]["body"]
    document = sent[1].request["document"]
    assert document["filename"] == "receipt.pdf"
    stored = live.app.state.fake_graph.media[document["id"]]
    assert stored.data.startswith(b"%PDF")


def test_transient_failures_are_retried_and_permanent_ones_recorded(live: Live) -> None:
    fake = live.app.state.fake_graph
    fake.fail_next(1, status=503, code=131000)
    live.say("919800000023", "hello")
    live.wait_for(lambda: live.sent_to("919800000023"))

    fake.fail_next(1, status=400, code=131026)
    live.say("919800000024", "hello")

    def failed():
        with Session(live.engine) as session:
            return failed_messages(session)

    (row,) = live.wait_for(failed)
    assert row.error_code == 131026 and row.citizen_key == "919800000024"
