"""Tables of the WhatsApp channel: inbox, outbox, statuses, contacts and other events.

They live on the application's `SQLModel.metadata`, so one migration creates them with the
rest. Citizens are keyed here by `citizen_key` (wa_id, or the business-scoped user id), the
same string that `tools.db.models.Citizen.wa_id` holds.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class InboxState(StrEnum):
    """Where an inbound message stands."""

    PENDING = "pending"  # stored, not yet handled
    DONE = "done"  # handled; its replies are in the outbox
    IGNORED = "ignored"  # needs no answer (reaction, system notice)
    FAILED = "failed"  # the handler kept failing; the citizen got an apology


class OutboxState(StrEnum):
    """Where an outbound message stands; the order of the ranks below never goes back."""

    QUEUED = "queued"
    SENDING = "sending"
    ACCEPTED = "accepted"  # the Cloud API took it and gave a wamid
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


STATUS_RANK = {
    OutboxState.QUEUED: 0,
    OutboxState.SENDING: 1,
    OutboxState.ACCEPTED: 2,
    OutboxState.SENT: 3,
    OutboxState.DELIVERED: 4,
    OutboxState.READ: 5,
}


class InboxMessage(SQLModel, table=True):
    """One inbound message, stored under its WhatsApp id before the webhook is acknowledged."""

    __tablename__ = "whatsapp_inbox"
    __table_args__ = (Index("ix_whatsapp_inbox_pending", "state", "citizen_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, max_length=200)
    citizen_key: str = Field(max_length=64)
    phone_number_id: str | None = Field(default=None, max_length=64)
    department: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=32)
    sent_at: datetime | None = None
    received_at: datetime
    state: str = Field(default=InboxState.PENDING, max_length=16)
    attempts: int = 0
    last_error: str | None = None
    handled_at: datetime | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class OutboxMessage(SQLModel, table=True):
    """One message to send; `key` (cause id + index) makes each reply exist once."""

    __tablename__ = "whatsapp_outbox"
    __table_args__ = (Index("ix_whatsapp_outbox_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=250)
    cause_message_id: str | None = Field(default=None, index=True, max_length=200)
    citizen_key: str = Field(index=True, max_length=64)
    phone_number_id: str = Field(max_length=64)
    department: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=16, description="text, interactive, image, document, template")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    media_path: str | None = Field(default=None, max_length=500)
    media_id: str | None = Field(default=None, max_length=200)
    state: str = Field(default=OutboxState.QUEUED, max_length=16)
    wamid: str | None = Field(default=None, unique=True, max_length=200)
    attempts: int = 0
    next_attempt_at: datetime
    error_code: int | None = None
    error_title: str | None = Field(default=None, max_length=300)
    error_detail: str | None = None
    created_at: datetime
    accepted_at: datetime | None = None
    status_at: datetime | None = None


class StatusEvent(SQLModel, table=True):
    """One status webhook for one of our messages, kept as received."""

    __tablename__ = "whatsapp_status"
    __table_args__ = (UniqueConstraint("wamid", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    wamid: str = Field(index=True, max_length=200)
    status: str = Field(max_length=16)
    occurred_at: datetime | None = None
    received_at: datetime
    callback_data: str | None = Field(default=None, max_length=250)
    error_code: int | None = None
    error_title: str | None = Field(default=None, max_length=300)
    error_detail: str | None = None


class CitizenNumber(SQLModel, table=True):
    """A citizen on one business number: the 24-hour window and marketing choice live here."""

    __tablename__ = "whatsapp_contact"
    __table_args__ = (UniqueConstraint("citizen_key", "phone_number_id"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_key: str = Field(index=True, max_length=64)
    phone_number_id: str = Field(max_length=64)
    last_inbound_at: datetime | None = None
    marketing: str | None = Field(default=None, max_length=16, description="stop or resume.")
    numbered_menu: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON),
        description="Choices last sent as numbered text, so `2` can mean the second.",
    )


class CitizenLease(SQLModel, table=True):
    """Which worker holds a citizen's queue, until when: one worker per citizen at a time."""

    __tablename__ = "whatsapp_lease"

    citizen_key: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=64, description="host:pid:random of the worker.")
    expires_at: datetime


class ChannelEvent(SQLModel, table=True):
    """A change we keep but do not act on: unknown fields, preferences, unreadable bodies."""

    __tablename__ = "whatsapp_event"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(unique=True, max_length=64, description="sha256 of the change JSON.")
    field: str = Field(max_length=64)
    phone_number_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(max_length=200)
    received_at: datetime
    raw: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
