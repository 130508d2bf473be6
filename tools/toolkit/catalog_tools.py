"""Tools that read the service catalog."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.catalog.schema import LocalText
from tools.toolkit.context import ToolContext
from tools.toolkit.lookups import service_of
from tools.toolkit.models import FieldQuestion, MissingDocument
from tools.toolkit.registry import tool


class ListServicesArgs(BaseModel):
    """Arguments of list_services."""

    department: str | None = Field(
        default=None, description="Department id to list first (mcd, revenue, transport)."
    )


class ServiceBrief(BaseModel):
    """A service in the menu."""

    id: str
    code: str
    name: LocalText
    description: LocalText
    department: str


class ListServicesResult(BaseModel):
    """The services offered, the department's own first."""

    services: list[ServiceBrief]


@tool(ListServicesArgs, ListServicesResult)
def list_services(ctx: ToolContext, args: ListServicesArgs) -> ListServicesResult:
    """List the government services this bot offers, with their ids and names."""
    department = args.department or ctx.department
    services = [
        ServiceBrief(
            id=s.id, code=s.code, name=s.name, description=s.description, department=s.department
        )
        for s in ctx.catalog.for_department(department)
    ]
    return ListServicesResult(services=services)


class DescribeServiceArgs(BaseModel):
    """Arguments of describe_service."""

    service_id: str = Field(description="The service id, e.g. birth_certificate.")


class DescribeServiceResult(BaseModel):
    """What a service needs and costs."""

    id: str
    name: LocalText
    description: LocalText
    department: str
    fields: list[FieldQuestion]
    documents: list[MissingDocument]
    optional_documents: list[MissingDocument]
    fee_heads: list[LocalText]
    sla_days: int | None


@tool(DescribeServiceArgs, DescribeServiceResult)
def describe_service(ctx: ToolContext, args: DescribeServiceArgs) -> DescribeServiceResult:
    """Describe one service: the details it asks for, the documents needed, fees and timeline."""
    service = service_of(ctx, args.service_id)
    return DescribeServiceResult(
        id=service.id,
        name=service.name,
        description=service.description,
        department=service.department,
        fields=[
            FieldQuestion(
                name=f.name,
                label=f.label,
                question=f.question,
                required=f.required,
                example=f.example,
            )
            for f in service.fields
        ],
        documents=[
            MissingDocument(slot=d.id, name=d.name) for d in service.documents if not d.optional
        ],
        optional_documents=[
            MissingDocument(slot=d.id, name=d.name) for d in service.documents if d.optional
        ],
        fee_heads=[fee.label for fee in service.fees],
        sla_days=service.sla_days,
    )
