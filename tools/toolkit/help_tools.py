"""The tool that hands a conversation to a person."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools import audit
from tools.db.models import HelpRequest
from tools.toolkit.context import ToolContext
from tools.toolkit.lookups import own_application
from tools.toolkit.registry import WriteArgs, tool


class HelpArgs(WriteArgs):
    """Arguments of request_human_help."""

    reason: str = Field(min_length=1, max_length=500, description="What the citizen needs.")
    application_number: str | None = Field(default=None, description="If it is about one.")


class HelpResult(BaseModel):
    """The ticket opened for a person to pick up."""

    ticket: str


@tool(HelpArgs, HelpResult, writes=True)
def request_human_help(ctx: ToolContext, args: HelpArgs) -> HelpResult:
    """Ask a person at the department to contact the citizen about their problem."""
    application_id = None
    if args.application_number:
        application_id = own_application(ctx, args.application_number).id
    request = HelpRequest(
        citizen_id=ctx.citizen_id,
        application_id=application_id,
        reason=args.reason,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(request)
    ctx.session.flush()
    ticket = f"HELP-{request.id:06d}"
    audit.record(
        ctx.session,
        ctx.clock,
        actor=ctx.actor,
        action="help_requested",
        entity="help_request",
        entity_id=ticket,
    )
    return HelpResult(ticket=ticket)
