"""What officers see of applications: the list, one application in full, a decision's result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ApplicationRow(BaseModel):
    """One line of the officer's list."""

    number: str
    service_id: str
    service_name: str
    department: str
    status: str
    applicant: str | None
    submitted_at: datetime | None
    updated_at: datetime


class DocumentView(BaseModel):
    """A document attached to an application: its slot and what OCR made of it."""

    id: int
    slot: str | None
    mime_type: str
    pages: int
    ocr_status: str
    ocr_fields: dict[str, Any]


class PaymentView(BaseModel):
    """A payment toward an application."""

    id: int
    status: str
    amount_paise: int
    gateway: str
    gateway_payment_id: str | None
    receipt_number: str | None


class HistoryView(BaseModel):
    """One step of the status history."""

    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None


class ApplicationDetail(ApplicationRow):
    """One application in full, for a decision."""

    fields: dict[str, Any]
    documents: list[DocumentView]
    payments: list[PaymentView]
    history: list[HistoryView]
    requested_fields: list[str]
    requested_documents: list[str]
    decision_reason: str | None
    certificate_number: str | None
    allowed_actions: list[str]


class DecisionResult(BaseModel):
    """What an officer's action did."""

    number: str
    status: str
    action: str
    certificate_number: str | None = None
    certificate_path: str | None = None
    notified: bool
