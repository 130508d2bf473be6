"""Tools that start an application and fill it in: fields and documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import select

from tools import audit
from tools.catalog.schema import LocalText, ServiceKind
from tools.clock import today
from tools.db.models import (
    Application,
    ApplicationField,
    ApplicationStatus,
    Document,
    StatusChange,
    require_id,
)
from tools.db.sequences import application_number
from tools.eligibility import failed_rules, fields_to_ask
from tools.toolkit.context import ToolContext
from tools.toolkit.errors import ToolRefused, ToolRetry
from tools.toolkit.lookups import field_values, own_application, service_of
from tools.toolkit.models import ApplicationSummary, FieldQuestion
from tools.toolkit.registry import WriteArgs, tool
from tools.toolkit.summary import summarize
from tools.values import FieldValueError, canonical_value

EDITABLE = {ApplicationStatus.DRAFT.value, ApplicationStatus.INFO_REQUESTED.value}


class StartApplicationArgs(WriteArgs):
    """Arguments of start_application."""

    service_id: str = Field(description="The service id, e.g. birth_certificate.")


class StartApplicationResult(BaseModel):
    """The new (or resumed) draft application."""

    application: ApplicationSummary
    resumed: bool = Field(description="True when an unfinished draft was picked up again.")
    next_question: FieldQuestion | None


@tool(StartApplicationArgs, StartApplicationResult, writes=True)
def start_application(ctx: ToolContext, args: StartApplicationArgs) -> StartApplicationResult:
    """Start an application for a service, or resume the citizen's unfinished draft of it."""
    service = service_of(ctx, args.service_id)
    if service.kind is not ServiceKind.APPLICATION:
        raise ToolRetry(
            "not_an_application",
            f"{service.id} is paid, not applied for: use get_property_tax_due and create_payment",
            service_id=service.id,
        )

    # One draft per service and citizen: a second start picks the first one up again.
    draft = ctx.session.exec(
        select(Application).where(
            Application.citizen_id == ctx.citizen_id,
            Application.service_id == service.id,
            Application.status == ApplicationStatus.DRAFT,
        )
    ).first()
    if draft is not None:
        return StartApplicationResult(
            application=summarize(ctx, draft),
            resumed=True,
            next_question=_next_question(ctx, draft),
        )

    now = ctx.clock.now()
    number = application_number(ctx.session, service.code, today(ctx.clock).year)
    application = Application(
        number=number,
        service_id=service.id,
        citizen_id=ctx.citizen_id,
        status=ApplicationStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(application)
    ctx.session.flush()
    ctx.session.add(
        StatusChange(
            application_id=require_id(application),
            to_status=application.status,
            actor=ctx.actor,
            at=now,
        )
    )
    audit.record(
        ctx.session,
        ctx.clock,
        actor=ctx.actor,
        action="application_started",
        entity="application",
        entity_id=number,
        service=service.id,
    )
    return StartApplicationResult(
        application=summarize(ctx, application),
        resumed=False,
        next_question=_next_question(ctx, application),
    )


class SetFieldsArgs(WriteArgs):
    """Arguments of set_application_fields."""

    application_number: str = Field(description="Like BC-2026-000001.")
    values: dict[str, Any] = Field(
        description=(
            "Field name to value, as the citizen gave it. Dates as YYYY-MM-DD; choices by their "
            "value; lists as JSON lists. describe_service names the fields."
        )
    )


class FieldProblem(BaseModel):
    """A value that was not stored, and why."""

    field: str
    code: str
    detail: str


class RuleProblem(BaseModel):
    """An eligibility rule the values break; the values that broke it were not stored."""

    rule: str
    fields: list[str]
    message: LocalText


class SetFieldsResult(BaseModel):
    """Which values were stored, which were not, and what is still missing."""

    accepted: dict[str, Any]
    rejected: list[FieldProblem]
    ineligible: list[RuleProblem]
    application: ApplicationSummary
    next_question: FieldQuestion | None


@tool(SetFieldsArgs, SetFieldsResult, writes=True)
def set_application_fields(ctx: ToolContext, args: SetFieldsArgs) -> SetFieldsResult:
    """Save answers to an application's fields; each value is checked, bad ones are reported."""
    application = own_application(ctx, args.application_number)
    service = ctx.catalog.service(application.service_id)
    _require_editable(application, "it can no longer be changed")
    if not args.values:
        raise ToolRetry("no_values", "give at least one field value")

    # Check each value against its field.
    accepted: dict[str, Any] = {}
    rejected: list[FieldProblem] = []
    for name, raw in args.values.items():
        try:
            spec = service.field(name)
        except KeyError:
            known = ", ".join(f.name for f in service.fields)
            rejected.append(FieldProblem(field=name, code="unknown_field", detail=f"use {known}"))
            continue
        try:
            accepted[name] = canonical_value(spec, raw, ctx.today())
        except FieldValueError as error:
            rejected.append(FieldProblem(field=name, code=error.code, detail=error.detail))

    # Eligibility: values that break a rule are refused, with the rule's reason.
    stored = field_values(ctx, application)
    ineligible = []
    for failure in failed_rules(service, {**stored, **accepted}, ctx.today()):
        rule = failure.rule
        involved = [rule.check.field]
        if rule.when:
            involved.append(rule.when.field)
        on_field = getattr(rule.check, "on_field", None)
        if on_field:
            involved.append(on_field)
        culprits = [name for name in involved if name in accepted]
        for name in culprits:
            accepted.pop(name, None)
        ineligible.append(RuleProblem(rule=rule.id, fields=culprits, message=rule.message))

    _store(ctx, application, accepted)
    return SetFieldsResult(
        accepted=accepted,
        rejected=rejected,
        ineligible=ineligible,
        application=summarize(ctx, application),
        next_question=_next_question(ctx, application),
    )


def _require_editable(application: Application, what_not: str) -> None:
    """Refuse a change to an application that is no longer a draft or reopened for changes."""
    if application.status not in EDITABLE:
        raise ToolRefused(
            "not_editable",
            f"{application.number} is {application.status}; {what_not}",
            number=application.number,
            status=application.status,
        )


def _store(ctx: ToolContext, application: Application, values: dict[str, Any]) -> None:
    if not values:
        return
    now = ctx.clock.now()
    existing = {
        row.name: row
        for row in ctx.session.exec(
            select(ApplicationField).where(ApplicationField.application_id == application.id)
        ).all()
    }
    for name, value in values.items():
        row = existing.get(name) or ApplicationField(
            application_id=require_id(application), name=name, value=value, updated_at=now
        )
        row.value = value
        row.updated_at = now
        ctx.session.add(row)
    application.updated_at = now
    ctx.session.add(application)
    # Field names only: values can be personal data.
    audit.record(
        ctx.session,
        ctx.clock,
        actor=ctx.actor,
        action="fields_set",
        entity="application",
        entity_id=application.number,
        fields=sorted(values),
    )
    ctx.session.flush()


def _next_question(ctx: ToolContext, application: Application) -> FieldQuestion | None:
    service = ctx.catalog.service(application.service_id)
    pending = fields_to_ask(service, field_values(ctx, application), skipped=set())
    if not pending:
        return None
    spec = service.field(pending[0])
    return FieldQuestion(
        name=spec.name,
        label=spec.label,
        question=spec.question,
        required=spec.required,
        example=spec.example,
    )


class UploadDocumentArgs(WriteArgs):
    """Arguments of upload_document."""

    application_number: str = Field(description="Like BC-2026-000001.")
    slot: str = Field(description="Which required document this is, e.g. proof_of_birth.")
    document_id: int = Field(description="Id of the stored document the citizen sent.")


class UploadDocumentResult(BaseModel):
    """The document is attached; what is still missing."""

    slot: str
    replaced_document_id: int | None
    application: ApplicationSummary


@tool(UploadDocumentArgs, UploadDocumentResult, writes=True)
def upload_document(ctx: ToolContext, args: UploadDocumentArgs) -> UploadDocumentResult:
    """Attach a document the citizen sent to one of the application's document slots."""
    application = own_application(ctx, args.application_number)
    service = ctx.catalog.service(application.service_id)
    _require_editable(application, "documents can no longer be added")
    try:
        service.document(args.slot)
    except KeyError:
        known = ", ".join(d.id for d in service.documents)
        raise ToolRetry("unknown_slot", f"no document slot {args.slot!r}; use {known}") from None

    document = ctx.session.get(Document, args.document_id)
    if document is None or document.citizen_id != ctx.citizen_id:
        raise ToolRefused("document_not_found", "no such document was sent by this citizen")

    # A new document in a filled slot replaces the old one, which stays stored but unattached.
    previous = ctx.session.exec(
        select(Document).where(
            Document.application_id == application.id,
            Document.slot == args.slot,
            Document.id != document.id,
        )
    ).first()
    if previous is not None:
        previous.slot = None
        ctx.session.add(previous)

    document.application_id = application.id
    document.slot = args.slot
    ctx.session.add(document)
    application.updated_at = ctx.clock.now()
    ctx.session.add(application)
    audit.record(
        ctx.session,
        ctx.clock,
        actor=ctx.actor,
        action="document_attached",
        entity="application",
        entity_id=application.number,
        slot=args.slot,
        document_id=document.id,
        replaced=previous.id if previous else None,
    )
    ctx.session.flush()
    return UploadDocumentResult(
        slot=args.slot,
        replaced_document_id=previous.id if previous else None,
        application=summarize(ctx, application),
    )
