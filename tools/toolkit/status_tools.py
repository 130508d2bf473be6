"""Tools that submit, cancel and report on applications."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field
from sqlmodel import col, select

from tools.catalog.schema import LocalText
from tools.db.models import Application, ApplicationStatus
from tools.eligibility import condition_holds, documents_needed, failed_rules, fields_needed
from tools.money import rupees as round_rupees
from tools.toolkit.context import ToolContext
from tools.toolkit.errors import ToolRefused
from tools.toolkit.lookups import field_values, own_application, uploaded_slots
from tools.toolkit.models import ApplicationSummary
from tools.toolkit.registry import WriteArgs, tool
from tools.toolkit.summary import fee_total_paise, is_paid, summarize
from tools.workflow import move

SUBMITTABLE = {ApplicationStatus.DRAFT.value, ApplicationStatus.INFO_REQUESTED.value}


class SubmitArgs(WriteArgs):
    """Arguments of submit_application."""

    application_number: str = Field(description="Like BC-2026-000001.")


class SubmitResult(BaseModel):
    """The submitted application and, for a notice period, what happens next."""

    application: ApplicationSummary
    notice: LocalText | None = None


@tool(SubmitArgs, SubmitResult, writes=True, confirm=True)
def submit_application(ctx: ToolContext, args: SubmitArgs) -> SubmitResult:
    """Submit a complete, paid application to the department. Ask the citizen to confirm first."""
    application = own_application(ctx, args.application_number)
    service = ctx.catalog.service(application.service_id)
    if application.status not in SUBMITTABLE:
        raise ToolRefused(
            "already_submitted",
            f"{application.number} is already {application.status}",
            number=application.number,
            status=application.status,
        )

    # Everything required must be there, eligible and paid.
    values = field_values(ctx, application)
    missing_fields = fields_needed(service, values)
    missing_documents = documents_needed(service, values, uploaded_slots(ctx, application))
    if missing_fields or missing_documents:
        raise ToolRefused(
            "incomplete",
            f"still missing: {', '.join(missing_fields + missing_documents)}",
            fields=missing_fields,
            documents=missing_documents,
        )
    failures = failed_rules(service, values, ctx.today())
    if failures:
        raise ToolRefused(
            "not_eligible",
            failures[0].rule.message.en,
            rule=failures[0].rule.id,
        )
    fee = fee_total_paise(ctx, service, application)
    if fee > 0 and not is_paid(ctx, application):
        raise ToolRefused(
            "unpaid",
            f"the fee of ₹{round_rupees(fee)} must be paid first (create_payment)",
            amount=round_rupees(fee),
        )

    # The catalog may route a submission elsewhere, such as a notice period.
    target, notice, wait_days = ApplicationStatus.SUBMITTED.value, None, None
    for route in service.workflow.on_submit if service.workflow else []:
        if condition_holds(route.when, values):
            target, notice, wait_days = route.status, route.message, route.wait_days
            break
    move(ctx.session, ctx.clock, service, application, target, actor=ctx.actor)
    application.submitted_at = ctx.clock.now()
    application.requested_fields = []
    application.requested_documents = []
    if wait_days is not None:
        application.wait_until = ctx.today() + timedelta(days=wait_days)
    ctx.session.add(application)
    ctx.session.flush()
    return SubmitResult(application=summarize(ctx, application), notice=notice)


class CheckStatusArgs(BaseModel):
    """Arguments of check_status."""

    application_number: str | None = Field(
        default=None, description="One application, like BC-2026-000001; omit for all of them."
    )


class CheckStatusResult(BaseModel):
    """The citizen's applications, newest first."""

    applications: list[ApplicationSummary]


@tool(CheckStatusArgs, CheckStatusResult)
def check_status(ctx: ToolContext, args: CheckStatusArgs) -> CheckStatusResult:
    """Tell the status of one of the citizen's applications, or of all of them."""
    if args.application_number:
        applications = [own_application(ctx, args.application_number)]
    else:
        applications = list(
            ctx.session.exec(
                select(Application)
                .where(Application.citizen_id == ctx.citizen_id)
                .order_by(col(Application.created_at).desc(), col(Application.id).desc())
            ).all()
        )
    return CheckStatusResult(applications=[summarize(ctx, a) for a in applications])


class CancelArgs(WriteArgs):
    """Arguments of cancel_application."""

    application_number: str = Field(description="Like BC-2026-000001.")
    reason: str | None = Field(default=None, description="Why, in the citizen's words.")


class CancelResult(BaseModel):
    """The cancelled application."""

    application: ApplicationSummary


@tool(CancelArgs, CancelResult, writes=True, confirm=True)
def cancel_application(ctx: ToolContext, args: CancelArgs) -> CancelResult:
    """Cancel one of the citizen's applications. Ask the citizen to confirm first."""
    application = own_application(ctx, args.application_number)
    service = ctx.catalog.service(application.service_id)
    if application.status == ApplicationStatus.CANCELLED:
        raise ToolRefused(
            "already_cancelled",
            f"{application.number} is already cancelled",
            number=application.number,
        )
    move(
        ctx.session,
        ctx.clock,
        service,
        application,
        ApplicationStatus.CANCELLED.value,
        actor=ctx.actor,
        reason=args.reason,
    )
    ctx.session.flush()
    return CancelResult(application=summarize(ctx, application))
