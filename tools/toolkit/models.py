"""Result models shared by several tools."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tools.catalog.schema import LocalText


class FieldQuestion(BaseModel):
    """A field still to be filled, with the question to ask for it."""

    name: str
    label: LocalText
    question: LocalText
    required: bool
    example: str


class MissingDocument(BaseModel):
    """A document slot still to be filled."""

    slot: str
    name: LocalText


class FeeLineOut(BaseModel):
    """One line of what is due."""

    head: str
    label: LocalText
    amount_rupees: int


class ApplicationSummary(BaseModel):
    """An application as its owner sees it."""

    number: str
    service_id: str
    service_name: LocalText
    status: str
    fields: dict[str, Any] = Field(default_factory=dict)
    documents: list[str] = Field(default_factory=list)
    missing_fields: list[str] = Field(default_factory=list)
    missing_documents: list[str] = Field(default_factory=list)
    fee_rupees: int = 0
    paid: bool = False
    submitted_on: str | None = None
    expected_by: str | None = Field(default=None, description="Decision due by, from the SLA.")
    wait_until: str | None = None
    decision_reason: str | None = None
