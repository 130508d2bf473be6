"""What the rest of Nagrik calls for documents: receive, attach, read and check, rotate keys.

`receive_document` runs on the request path and is quick: intake checks, encryption, one row
with `ocr_status = pending`. `run_ocr` is slow and runs in the background (see `worker.py`):
it decrypts, reads, extracts, compares with the application, and saves the result on the row.
The database keeps hashes, types, sizes, slots and OCR results, never the bytes; Aadhaar
numbers are masked to their last four digits before anything is saved or logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tools import audit
from tools.catalog.schema import DocumentCheck, Service
from tools.clock import Clock, SystemClock
from tools.db.models import Application, Document
from tools.documents.aadhaar import mask_aadhaar, mask_value
from tools.documents.extract import extract_fields
from tools.documents.intake import IntakeLimits, check_file
from tools.documents.matching import CheckResult, run_checks
from tools.documents.ocr import read_document
from tools.documents.quality import UnreadableReason, unreadable_reason
from tools.documents.tesseract import TesseractFailed
from tools.documents.vault import RotationReport, Vault, VaultError
from tools.settings import Settings
from tools.toolkit.lookups import field_values_of

logger = logging.getLogger(__name__)


class OcrStatus(StrEnum):
    """Where a document's reading stands (`Document.ocr_status`)."""

    PENDING = "pending"  # stored, not read yet
    DONE = "done"  # read; fields and checks saved
    UNREADABLE = "unreadable"  # read, but too little text: ask for a clearer photo
    FAILED = "failed"  # could not be read at all (see `OcrOutcome.error`)


class DocumentNotFound(LookupError):
    """No document with that id (or not the citizen's)."""


class ApplicationNotFound(LookupError):
    """No application with that id belonging to the citizen."""


@dataclass(frozen=True)
class OcrOutcome:
    """The result of reading one document, for the agent to tell the citizen.

    `checks` hold one result per catalog check: `match`, `mismatch` (with the value read),
    `not_found` or `no_value`. `unreadable_reason` is set when `readable` is false; `error`
    is `decrypt_failed` or `ocr_failed` when `status` is `failed`.
    """

    document_id: int
    status: OcrStatus
    readable: bool
    kind: str = "other"
    fields: dict[str, str] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    unreadable_reason: UnreadableReason | None = None
    pages: int = 0
    confidence: float = 0.0
    error: str | None = None

    @property
    def all_match(self) -> bool:
        """Whether every check that could be made matched."""
        return all(c.status in ("match", "no_value") for c in self.checks)


def intake_limits(settings: Settings) -> IntakeLimits:
    """The intake limits configured in settings."""
    return IntakeLimits(
        max_bytes=settings.document_max_bytes,
        max_pages=settings.document_max_pages,
        max_pixels=settings.document_max_pixels,
    )


def receive_document(
    session: Session,
    vault: Vault,
    *,
    citizen_id: int,
    data: bytes,
    declared_mime: str | None,
    filename: str | None,
    source_message_id: str | None,
    clock: Clock,
    application_id: int | None = None,
    slot: str | None = None,
    limits: IntakeLimits | None = None,
) -> Document:
    """Check, encrypt and record an uploaded file; the same message id twice gives the same row.

    Raises:
        DocumentRejected: the file is not an accepted type, too big, too long, corrupt or a bomb.
    """
    if source_message_id:
        existing = _by_message(session, source_message_id)
        if existing is not None:
            return existing

    checked = check_file(data, limits or IntakeLimits(), declared_mime=declared_mime)
    storage_path, key_id = vault.put(data)
    document = Document(
        citizen_id=citizen_id,
        application_id=application_id,
        slot=slot,
        source_message_id=source_message_id,
        sha256=hashlib.sha256(data).hexdigest(),
        mime_type=checked.mime_type,
        size_bytes=len(data),
        pages=checked.pages,
        key_id=key_id,
        storage_path=storage_path,
        original_name=mask_aadhaar(filename)[:255] if filename else None,
        ocr_status=OcrStatus.PENDING,
        created_at=clock.now(),
    )
    session.add(document)
    try:
        session.commit()
    except IntegrityError:
        # The same message delivered twice at once: keep the first row, drop our copy.
        session.rollback()
        vault.delete(storage_path)
        existing = _by_message(session, source_message_id) if source_message_id else None
        if existing is None:
            raise
        return existing
    session.refresh(document)
    logger.info(
        "document %s received: %s, %d bytes, %d page(s)",
        document.id, document.mime_type, document.size_bytes, document.pages,
    )
    return document


def attach_document(
    session: Session, document_id: int, *, citizen_id: int, application_id: int, slot: str
) -> Document:
    """Put a citizen's document into a slot of one of their applications (for late answers).

    Raises:
        DocumentNotFound: no such document of this citizen.
        ApplicationNotFound: no such application of this citizen.
    """
    document = session.get(Document, document_id)
    if document is None or document.citizen_id != citizen_id:
        raise DocumentNotFound(f"document {document_id} is not this citizen's")
    application = session.get(Application, application_id)
    if application is None or application.citizen_id != citizen_id:
        raise ApplicationNotFound(f"application {application_id} is not this citizen's")
    document.application_id, document.slot = application_id, slot
    session.add(document)
    session.commit()
    session.refresh(document)
    return document


def run_ocr(
    session: Session,
    vault: Vault,
    document_id: int,
    *,
    service: Service | None = None,
    application_fields: Mapping[str, Any] | None = None,
    slot: str | None = None,
    max_pixels: int = 40_000_000,
    clock: Clock | None = None,
) -> OcrOutcome:
    """Read a stored document, extract its fields, run the slot's checks, and save the result.

    The checks come from `service.document(slot)`; the values compared with come from
    `application_fields`, or from the document's application in the database.

    Raises:
        DocumentNotFound: no document with that id.
        VaultError: the file cannot be decrypted (the row is marked failed first).
    """
    document = session.get(Document, document_id)
    if document is None:
        raise DocumentNotFound(f"no document {document_id}")
    slot = slot or document.slot
    checks = _checks_for(service, slot)
    if application_fields is None:
        application = (
            session.get(Application, document.application_id) if document.application_id else None
        )
        application_fields = field_values_of(session, application) if application else {}

    try:
        data = vault.get(document.storage_path)
    except VaultError:
        outcome = OcrOutcome(document_id, OcrStatus.FAILED, False, error="decrypt_failed")
        _save(session, document, outcome, None)
        logger.error("document %s could not be decrypted", document_id)
        raise
    try:
        reading = read_document(data, document.mime_type, max_pixels=max_pixels)
    except (TesseractFailed, OSError, ValueError) as exc:
        outcome = OcrOutcome(document_id, OcrStatus.FAILED, False, error="ocr_failed")
        _save(session, document, outcome, None)
        logger.error("document %s could not be read: %s", document_id, type(exc).__name__)
        return outcome

    reasons = [
        unreadable_reason(p.quality, p.confident_words, p.mean_confidence) for p in reading.pages
    ]
    readable = any(reason is None for reason in reasons)
    # Extraction sees the full text to find an Aadhaar number's last four; it masks its output.
    extraction = extract_fields(reading.text)
    text = mask_aadhaar(reading.text)
    outcome = OcrOutcome(
        document_id=document_id,
        status=OcrStatus.DONE if readable else OcrStatus.UNREADABLE,
        readable=readable,
        kind=extraction.kind,
        fields=extraction.fields,
        checks=run_checks(checks, application_fields, extraction, text) if readable else [],
        unreadable_reason=None if readable else reasons[0],
        pages=len(reading.pages),
        confidence=round(reading.mean_confidence, 1),
    )
    _save(session, document, outcome, text, extra={
        "names": extraction.names,
        "dates": extraction.dates,
        "page_seconds": [round(p.seconds, 2) for p in reading.pages],
    })
    if not readable and document.slot and _holds_text(service, document.slot):
        # A page nobody can read does not fill a required slot: the citizen is asked again.
        audit.record(session, clock or SystemClock(), actor="ocr", action="document_unreadable",
                     entity="document", entity_id=document_id, slot=document.slot,
                     reason=str(outcome.unreadable_reason))
        document.slot = None
        session.add(document)
    logger.info(
        "document %s read: %s, kind %s, %d field(s), checks %s",
        document_id, outcome.status, outcome.kind, len(outcome.fields),
        ",".join(c.status for c in outcome.checks) or "none",
    )
    return outcome


def rotate_document_keys(session: Session, vault: Vault) -> RotationReport:
    """Re-encrypt every stored document under the current key and record the new key ids."""
    report = vault.rotate()
    failed = set(report.failed)
    for document in session.exec(select(Document)).all():
        if document.storage_path in failed:
            continue
        try:
            key_id = vault.key_id_of(document.storage_path)
        except (VaultError, OSError):
            continue
        if key_id != document.key_id:
            document.key_id = key_id
            session.add(document)
    session.commit()
    return report


def pending_document_ids(session: Session) -> list[int]:
    """Documents stored but not yet read, oldest first (to resume after a restart)."""
    statement = select(Document.id).where(Document.ocr_status == OcrStatus.PENDING)
    return [i for i in session.exec(statement.order_by(col(Document.id))).all() if i is not None]


def _by_message(session: Session, source_message_id: str) -> Document | None:
    statement = select(Document).where(Document.source_message_id == source_message_id)
    return session.exec(statement).first()


def _holds_text(service: Service | None, slot: str) -> bool:
    """Whether the slot's document is text to read (a photograph or a signature is not)."""
    if service is None:
        return True
    try:
        return bool(getattr(service.document(slot), "read_text", True))
    except KeyError:
        return True


def _checks_for(service: Service | None, slot: str | None) -> Iterable[DocumentCheck]:
    if service is None or slot is None:
        return []
    try:
        return service.document(slot).checks
    except KeyError:
        logger.warning("service %s has no document slot %s", service.id, slot)
        return []


def _save(
    session: Session,
    document: Document,
    outcome: OcrOutcome,
    text: str | None,
    extra: dict[str, Any] | None = None,
) -> None:
    summary = {
        "kind": outcome.kind,
        "fields": outcome.fields,
        "checks": [asdict(check) for check in outcome.checks],
        "readable": outcome.readable,
        "unreadable_reason": outcome.unreadable_reason,
        "confidence": outcome.confidence,
        "error": outcome.error,
        **(extra or {}),
    }
    document.ocr_status = outcome.status
    document.ocr_text = mask_aadhaar(text) if text is not None else None
    document.ocr_fields = mask_value(summary)  # type: ignore[assignment]
    session.add(document)
    session.commit()
