"""Builds the citizen-facing summary of an application from its rows and the catalog."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tools.catalog.schema import Service
from tools.db.models import Application, Payment, PaymentStatus
from tools.eligibility import documents_needed, fields_needed
from tools.fees import compute_fees
from tools.money import rupees as round_rupees
from tools.toolkit.context import ToolContext
from tools.toolkit.lookups import field_values, uploaded_slots
from tools.toolkit.models import ApplicationSummary


def fee_total_paise(ctx: ToolContext, service: Service, application: Application) -> int:
    """What the application costs, computed from its fields on the day it was started."""
    values = field_values(ctx, application)
    return compute_fees(service, values, application.created_at.date()).total_paise


def is_paid(ctx: ToolContext, application: Application) -> bool:
    """Whether a captured payment covers the application's fees."""
    captured = ctx.session.exec(
        select(Payment).where(
            Payment.application_id == application.id,
            Payment.status == PaymentStatus.CAPTURED,
        )
    ).first()
    return captured is not None


def summarize(ctx: ToolContext, application: Application) -> ApplicationSummary:
    """The application's status, values, what is missing, the fee and dates."""
    service = ctx.catalog.service(application.service_id)
    values = field_values(ctx, application)
    slots = uploaded_slots(ctx, application)
    fee = compute_fees(service, values, application.created_at.date()).total_paise
    expected = None
    if application.submitted_at and service.sla_days is not None:
        expected = (application.submitted_at.date() + timedelta(days=service.sla_days)).isoformat()
    return ApplicationSummary(
        number=application.number,
        service_id=service.id,
        service_name=service.name,
        status=application.status,
        fields=values,
        documents=sorted(slots),
        missing_fields=fields_needed(service, values),
        missing_documents=documents_needed(service, values, slots),
        fee_rupees=round_rupees(fee),
        paid=is_paid(ctx, application),
        submitted_on=application.submitted_at.date().isoformat()
        if application.submitted_at
        else None,
        expected_by=expected,
        wait_until=application.wait_until.isoformat() if application.wait_until else None,
        decision_reason=application.decision_reason,
    )

