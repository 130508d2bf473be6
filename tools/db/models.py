"""The tables of the application database (SQLModel), one class per table.

Invariants the database itself enforces are unique constraints: one citizen per WhatsApp id,
one application per number, one receipt per payment, one paid record per property and year,
one open payment per dues key, one result per idempotency key, one stored event per gateway
event id, one certificate per application.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from tools.db.types import IndiaDateTime


class ApplicationStatus(StrEnum):
    """Statuses shared by every workflow; a catalog workflow may add its own (notice_period)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    """Where a payment stands; only a verified gateway event moves it to captured."""

    PENDING = "pending"
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"


def require_id(row: SQLModel) -> int:
    """The primary key of a saved row (flush first); a clear error when it has none."""
    value = getattr(row, "id", None)
    if value is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush the session first")
    return int(value)


class Citizen(SQLModel, table=True):
    """A person who wrote to one of the numbers, known by wa_id or business-scoped user id."""

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str = Field(index=True, unique=True, max_length=64)
    display_name: str | None = Field(default=None, max_length=200)
    preferred_language: str | None = Field(default=None, max_length=10)
    created_at: datetime = Field(sa_type=IndiaDateTime)
    last_message_at: datetime | None = Field(default=None, sa_type=IndiaDateTime)


class Application(SQLModel, table=True):
    """One citizen's application for one service, numbered `<CODE>-<YEAR>-<6 digits>`."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=32)
    service_id: str = Field(index=True, max_length=64)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    status: str = Field(default=ApplicationStatus.DRAFT, max_length=32, index=True)
    created_at: datetime = Field(sa_type=IndiaDateTime)
    updated_at: datetime = Field(sa_type=IndiaDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=IndiaDateTime)
    wait_until: date | None = Field(default=None, description="End of a notice period.")
    decision_reason: str | None = None
    requested_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    requested_documents: list[str] = Field(default_factory=list, sa_column=Column(JSON))


class ApplicationField(SQLModel, table=True):
    """One field value of an application, stored in canonical form as JSON."""

    __table_args__ = (UniqueConstraint("application_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    name: str = Field(max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=IndiaDateTime)


class Document(SQLModel, table=True):
    """A citizen's uploaded document: metadata and OCR result here, encrypted bytes on disk."""

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    slot: str | None = Field(default=None, max_length=64)
    source_message_id: str | None = Field(default=None, unique=True, max_length=128)
    sha256: str = Field(max_length=64)
    mime_type: str = Field(max_length=64)
    size_bytes: int
    pages: int = 1
    key_id: str = Field(max_length=32)
    storage_path: str = Field(max_length=500)
    original_name: str | None = Field(default=None, max_length=255)
    ocr_status: str = Field(default="pending", max_length=16)
    ocr_text: str | None = None
    ocr_fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(sa_type=IndiaDateTime)


class Property(SQLModel, table=True):
    """A property in MCD's register, by its 15-character UPIC."""

    id: int | None = Field(default=None, primary_key=True)
    upic: str = Field(index=True, unique=True, max_length=15)
    owner_citizen_id: int = Field(foreign_key="citizen.id", index=True)
    address: str = ""
    category: str = Field(max_length=1)
    covered_area_sqm: float
    use: str = Field(default="residential", max_length=32)
    structure: str = Field(default="pucca", max_length=32)
    construction_year: int
    occupancy: str = Field(default="self", max_length=32)
    first_financial_year: str | None = Field(default=None, max_length=7)


class PropertyYearPaid(SQLModel, table=True):
    """A financial year of property tax paid in full for one property."""

    __table_args__ = (UniqueConstraint("property_id", "financial_year"),)

    id: int | None = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", index=True)
    financial_year: str = Field(max_length=7)
    payment_id: int | None = Field(default=None, foreign_key="payment.id")
    paid_on: date


class Payment(SQLModel, table=True):
    """An order for what a citizen owes; the amount always comes from fees or tax, never chat."""

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    property_id: int | None = Field(default=None, foreign_key="property.id", index=True)
    financial_year: str | None = Field(default=None, max_length=7)
    dues_key: str = Field(index=True, max_length=128)
    # Set while the payment is pending, cleared when it settles: at most one open order per dues.
    open_dues_key: str | None = Field(default=None, unique=True, max_length=128)
    department: str = Field(max_length=32)
    amount_paise: int
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = Field(default=PaymentStatus.PENDING, max_length=16, index=True)
    gateway: str = Field(max_length=32)
    gateway_order_id: str | None = Field(default=None, unique=True, max_length=64)
    gateway_payment_id: str | None = Field(default=None, max_length=64)
    pay_url: str | None = None
    mode: str | None = Field(default=None, max_length=32)
    failure_reason: str | None = None
    created_at: datetime = Field(sa_type=IndiaDateTime)
    captured_at: datetime | None = Field(default=None, sa_type=IndiaDateTime)


class Receipt(SQLModel, table=True):
    """The receipt of one captured payment, numbered `RCPT-<YEAR>-<6 digits>`."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=32)
    payment_id: int = Field(foreign_key="payment.id", unique=True)
    issued_at: datetime = Field(sa_type=IndiaDateTime)
    pdf_path: str | None = None


class Certificate(SQLModel, table=True):
    """A certificate issued on an approved application, numbered `CERT-<YEAR>-<6 digits>`."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=32)
    application_id: int = Field(foreign_key="application.id", unique=True)
    issued_at: datetime = Field(sa_type=IndiaDateTime)
    officer: str = Field(max_length=64)
    pdf_path: str | None = None


class GatewayEvent(SQLModel, table=True):
    """A verified gateway event, stored under its id before it is acted on: replays do nothing."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True, max_length=128)
    gateway: str = Field(max_length=32)
    kind: str = Field(max_length=64)
    order_id: str | None = Field(default=None, index=True, max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    received_at: datetime = Field(sa_type=IndiaDateTime)
    outcome: str = Field(default="received", max_length=32)


class HelpRequest(SQLModel, table=True):
    """A citizen asked for a person; an operator picks it up."""

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id")
    reason: str
    status: str = Field(default="open", max_length=16)
    created_at: datetime = Field(sa_type=IndiaDateTime)


class StatusChange(SQLModel, table=True):
    """One step of an application's status history."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str = Field(max_length=32)
    actor: str = Field(max_length=64)
    reason: str | None = None
    at: datetime = Field(sa_type=IndiaDateTime)


class AuditEntry(SQLModel, table=True):
    """Append-only record of every state change: who, what, when and why."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True, sa_type=IndiaDateTime)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=64)
    reason: str | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Sequence(SQLModel, table=True):
    """A named counter, such as `BC-2026` or `RCPT-2026`."""

    name: str = Field(primary_key=True, max_length=32)
    value: int = 0


class IdempotencyRecord(SQLModel, table=True):
    """The stored result of a write, so the same key twice returns the same result."""

    key: str = Field(primary_key=True, max_length=200)
    tool: str = Field(max_length=64)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id")
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(sa_type=IndiaDateTime)
