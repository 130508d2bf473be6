"""Telling the conversation what OCR read from a document, as an event in the citizen's queue."""

from __future__ import annotations

from dataclasses import asdict

from agent.messages import Incoming, IncomingKind
from tools.documents.service import OcrOutcome


def document_read_event(
    outcome: OcrOutcome,
    *,
    citizen_id: str,
    department: str | None,
    slot: str | None,
    application_number: str | None,
) -> Incoming:
    """The event that brings an OCR result to the agent, keyed by document for idempotency."""
    return Incoming(
        message_id=f"ocr:{outcome.document_id}",
        citizen_id=citizen_id,
        department=department,
        kind=IncomingKind.EVENT,
        event="document_read",
        event_data={
            "document_id": outcome.document_id,
            "slot": slot,
            "application_number": application_number,
            "status": str(outcome.status),
            "readable": outcome.readable,
            "unreadable_reason": str(outcome.unreadable_reason)
            if outcome.unreadable_reason
            else None,
            "checks": [asdict(check) for check in outcome.checks],
        },
    )
