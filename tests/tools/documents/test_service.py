import io
import logging
import secrets
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evals.ocr.render import render
from evals.ocr.samples import Line, Sample
from tests.tools.documents.conftest import (
    NOW,
    image_bytes,
    make_citizen,
    make_keyring,
    pdf_bytes,
)
from tools.catalog.schema import DocumentCheck
from tools.clock import FixedClock
from tools.db.models import Application, Document
from tools.documents.intake import DocumentRejected, RejectReason
from tools.documents.matching import CheckStatus
from tools.documents.quality import UnreadableReason
from tools.documents.service import (
    ApplicationNotFound,
    DocumentNotFound,
    OcrStatus,
    attach_document,
    receive_document,
    rotate_document_keys,
    run_ocr,
)
from tools.documents.vault import Keyring, TamperedDocument, Vault
from tools.documents.worker import OcrWorker

AADHAAR = "4630 5953 8667"


def _slip_png() -> bytes:
    sample = Sample(
        id="slip", kind="hospital_slip", language="hi", fields={}, field_kinds={},
        lines=[
            Line("लोक नायक अस्पताल  Lok Nayak Hospital", 36, bold=True, center=True),
            Line("डिस्चार्ज पर्ची / DISCHARGE SLIP", 32, bold=True, center=True),
            Line("Registration No: LNH/2024/04512"),
            Line("माता का नाम / Mother's Name: श्रीमती कविता जैन"),
            Line("पिता का नाम / Father's Name: Shri Suresh Jain"),
            Line("जन्म तिथि / Date of Birth: 6 अगस्त 2024"),
            Line(f"माता का आधार / Mother's Aadhaar: {AADHAAR}"),
        ],
    )
    buffer = io.BytesIO()
    render(sample).save(buffer, format="PNG")
    return buffer.getvalue()


def _receive(
    session: Session, vault: Vault, citizen_id: int, data: bytes, message_id: str = "wamid.1",
    **extra: Any,
) -> Document:
    return receive_document(
        session, vault, citizen_id=citizen_id, data=data, declared_mime="image/jpeg",
        filename="slip.jpg", source_message_id=message_id, clock=FixedClock(NOW), **extra,
    )


def test_receiving_stores_encrypted_bytes_and_metadata_only(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    data = image_bytes("PNG")

    document = _receive(session, vault, citizen_id, data, slot="proof_of_birth")

    assert document.mime_type == "image/png"  # the bytes win over the declared JPEG
    assert document.size_bytes == len(data)
    assert document.ocr_status == OcrStatus.PENDING
    assert document.key_id == "k1"
    assert document.slot == "proof_of_birth"
    assert vault.get(document.storage_path) == data
    assert data not in (vault.root / document.storage_path).read_bytes()


def test_the_same_message_twice_gives_the_same_row(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    first = _receive(session, vault, citizen_id, pdf_bytes(2))
    second = _receive(session, vault, citizen_id, pdf_bytes(2))

    assert first.id == second.id
    assert first.pages == 2
    assert len(session.exec(select(Document)).all()) == 1
    assert len(list(vault.paths())) == 1


def test_a_refused_file_leaves_nothing_behind(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    with pytest.raises(DocumentRejected) as caught:
        _receive(session, vault, citizen_id, b"GIF89a....")

    assert caught.value.code is RejectReason.UNSUPPORTED_TYPE
    assert session.exec(select(Document)).all() == []
    assert list(vault.paths()) == []


def test_a_document_without_an_application_can_be_attached_later(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    document = _receive(session, vault, citizen_id, image_bytes("JPEG"))
    assert document.application_id is None
    other = make_citizen(session, "919810000002")
    application = Application(number="BC-2026-000001", service_id="birth_certificate",
                              citizen_id=citizen_id, created_at=document.created_at,
                              updated_at=document.created_at)
    session.add(application)
    session.commit()
    assert document.id is not None and application.id is not None

    attached = attach_document(session, document.id, citizen_id=citizen_id,
                               application_id=application.id, slot="proof_of_birth")

    assert (attached.application_id, attached.slot) == (application.id, "proof_of_birth")
    with pytest.raises(ApplicationNotFound):
        attach_document(session, document.id, citizen_id=citizen_id, application_id=999,
                        slot="proof_of_birth")
    with pytest.raises(DocumentNotFound):
        attach_document(session, document.id, citizen_id=other, application_id=application.id,
                        slot="proof_of_birth")


class _Slot:
    """A service stand-in with one document slot, as the catalog describes it."""

    id = "birth_certificate"

    def document(self, slot: str):
        assert slot == "proof_of_birth"
        return type("Spec", (), {"checks": [
            DocumentCheck(field="date_of_birth", kind="date"),
            DocumentCheck(field="mother_name", kind="name"),
            DocumentCheck(field="father_name", kind="name"),
        ]})()


def test_ocr_reads_a_hindi_english_slip_checks_it_and_never_keeps_the_aadhaar_number(
    session: Session, vault: Vault, citizen_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    document = _receive(session, vault, citizen_id, _slip_png(), slot="proof_of_birth")
    assert document.id is not None

    with caplog.at_level(logging.DEBUG, logger="tools.documents"):
        outcome = run_ocr(
            session, vault, document.id, service=_Slot(),  # type: ignore[arg-type]
            application_fields={"date_of_birth": "2024-08-06", "mother_name": "Kavita Jain",
                                "father_name": "Mahesh Jain"},
        )

    assert outcome.status is OcrStatus.DONE and outcome.readable
    assert outcome.kind == "hospital_slip"
    assert outcome.fields["date_of_birth"] == "2024-08-06"
    assert outcome.fields["mother_name"] == "कविता जैन"
    assert outcome.fields["certificate_number"] == "LNH/2024/04512"
    statuses = {c.field: c.status for c in outcome.checks}
    assert statuses == {"date_of_birth": CheckStatus.MATCH, "mother_name": CheckStatus.MATCH,
                        "father_name": CheckStatus.MISMATCH}

    session.refresh(document)
    assert document.ocr_status == "done"
    stored = f"{document.ocr_text} {document.ocr_fields}"
    assert "XXXX XXXX 8667" in (document.ocr_text or "")
    assert "4630" not in stored and "5953" not in stored
    assert "कविता" not in caplog.text and "4630" not in caplog.text
    assert all("8667" not in m for m in caplog.messages)


def test_a_blurred_photo_is_unreadable_with_a_reason(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    blurred = Image.open(io.BytesIO(_slip_png())).filter(ImageFilter.GaussianBlur(9))
    buffer = io.BytesIO()
    blurred.save(buffer, format="JPEG", quality=60)
    document = _receive(session, vault, citizen_id, buffer.getvalue())
    assert document.id is not None

    outcome = run_ocr(session, vault, document.id)

    assert outcome.status is OcrStatus.UNREADABLE and not outcome.readable
    assert outcome.unreadable_reason is UnreadableReason.BLURRY
    assert outcome.checks == []


def test_a_tampered_file_marks_the_row_failed_and_raises(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    document = _receive(session, vault, citizen_id, image_bytes("PNG"))
    assert document.id is not None
    path = vault.root / document.storage_path
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")

    with pytest.raises(TamperedDocument):
        run_ocr(session, vault, document.id)

    session.refresh(document)
    assert document.ocr_status == "failed"
    assert document.ocr_fields["error"] == "decrypt_failed"


def test_the_worker_reads_off_the_request_path(
    engine: Engine, session: Session, vault: Vault, citizen_id: int
) -> None:
    document = _receive(session, vault, citizen_id, image_bytes("PNG", (1200, 400), "x"))
    seen = []
    worker = OcrWorker(lambda: Session(engine), vault, on_done=seen.append)

    future = worker.submit(document.id)
    assert worker.wait(timeout=60)
    worker.shutdown()

    assert future.result().document_id == document.id
    assert [o.document_id for o in seen] == [document.id]
    session.refresh(document)
    assert document.ocr_status in ("done", "unreadable")


def test_rotation_updates_rows_and_files(
    tmp_path: Path, session: Session, citizen_id: int
) -> None:
    old_key = secrets.token_bytes(32)
    old_vault = Vault(tmp_path / "vault", Keyring("k1", {"k1": old_key}))
    documents = [_receive(session, old_vault, citizen_id, image_bytes("PNG"),
                          message_id=f"wamid.{i}") for i in range(2)]

    new_vault = Vault(tmp_path / "vault", make_keyring("k2", k1=old_key))
    report = rotate_document_keys(session, new_vault)

    assert (report.rotated, report.failed) == (2, [])
    for document in documents:
        session.refresh(document)
        assert document.key_id == "k2"
        assert new_vault.get(document.storage_path) == image_bytes("PNG")


def test_a_page_on_its_side_is_turned_upright(
    session: Session, vault: Vault, citizen_id: int
) -> None:
    sample = Sample(
        id="slip", kind="hospital_slip", language="en", fields={}, field_kinds={},
        lines=[Line("Lok Nayak Hospital", 40, bold=True, center=True),
               Line("DISCHARGE SLIP", 34, bold=True, center=True),
               Line("Mother's Name: Smt. Kavita Jain"),
               Line("Father's Name: Shri Suresh Jain"),
               Line("Date of Birth: 06/08/2024"),
               Line("Mother and baby are healthy and discharged.")],
    )
    buffer = io.BytesIO()
    render(sample).rotate(90, expand=True).save(buffer, format="PNG")
    document = _receive(session, vault, citizen_id, buffer.getvalue())
    assert document.id is not None

    outcome = run_ocr(session, vault, document.id)

    assert outcome.readable
    assert outcome.fields["date_of_birth"] == "2024-08-06"
    assert outcome.fields["mother_name"] == "Kavita Jain"
