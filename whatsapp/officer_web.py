"""The officers' HTTP API: list and show applications, approve, reject, ask for more.

Every request needs `Authorization: Bearer <NAGRIK_OFFICER_TOKEN>` (401 without it, 403 with
a wrong one). Decisions go through `tools.officer`, so they follow the catalog's workflow,
land in the audit log, and reach the citizen on WhatsApp. `POST /officer/events` lets the
`nagrik` CLI, which runs outside the server, hand its notifications to the channel.
"""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from tools.catalog import load_catalog
from tools.clock import Clock, SystemClock
from tools.db.engine import make_engine
from tools.notifications import ConversationEvent
from tools.officer import decisions, lookup
from tools.officer.lookup import OfficerError
from tools.officer.views import ApplicationDetail, ApplicationRow, DecisionResult
from tools.settings import Settings
from whatsapp.event_delivery import app_notifier

logger = logging.getLogger(__name__)

ERROR_STATUS = {"not_found": 404, "not_allowed": 409, "invalid": 422}


class ApproveBody(BaseModel):
    """An approval, with an optional note for the record."""

    officer: str = Field(default="officer", max_length=48)
    note: str | None = Field(default=None, max_length=500)


class RejectBody(BaseModel):
    """A rejection: the reason is sent to the citizen."""

    officer: str = Field(default="officer", max_length=48)
    reason: str = Field(min_length=3, max_length=500)


class AskBody(BaseModel):
    """A request for fields again, other documents, or an answer to a note."""

    officer: str = Field(default="officer", max_length=48)
    fields: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=500)


class EventBody(BaseModel):
    """A conversation event made by a process without a channel (the CLI)."""

    message_id: str = Field(max_length=200)
    citizen_wa_id: str = Field(max_length=64)
    department: str | None = None
    event: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict)


def create_officer_router(
    settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None
) -> APIRouter:
    """The officer API over the application database of `settings` (or `engine`)."""
    engine = engine or make_engine(settings.resolved_database_url)
    clock = clock or SystemClock()
    catalog = load_catalog(settings.catalog_dir)
    token = settings.secret("officer_token")

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise HTTPException(401, "officer token required",
                                headers={"WWW-Authenticate": "Bearer"})
        given = authorization[7:].strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            logger.warning("officer API: wrong token refused")
            raise HTTPException(403, "wrong officer token")

    router = APIRouter(prefix="/officer", dependencies=[Depends(authorised)])

    def deps(request: Request) -> decisions.IssuingDeps:
        return decisions.IssuingDeps.from_settings(settings, engine, clock, catalog,
                                                  app_notifier(request))

    @router.get("/applications", response_model=list[ApplicationRow])
    def list_applications(
        status: Annotated[list[str] | None, Query()] = None,
        service: str | None = None,
        department: str | None = None,
        limit: int = Query(default=100, ge=1, le=500),
    ) -> list[ApplicationRow]:
        """Applications awaiting a decision, or in the statuses asked for."""
        with Session(engine) as session:
            return lookup.list_applications(session, catalog, statuses=status,
                                            service_id=service, department=department,
                                            limit=limit)

    @router.get("/applications/{number}", response_model=ApplicationDetail)
    def show(number: str) -> ApplicationDetail:
        """One application in full."""
        with Session(engine) as session:
            return _run(lookup.show, session, catalog, number)

    @router.post("/applications/{number}/approve", response_model=DecisionResult)
    async def approve(number: str, body: ApproveBody, request: Request) -> DecisionResult:
        """Approve; a certificate service issues and sends the certificate."""
        return await run_in_threadpool(_run, decisions.approve, deps(request), number,
                                       officer=body.officer, note=body.note)

    @router.post("/applications/{number}/reject", response_model=DecisionResult)
    async def reject(number: str, body: RejectBody, request: Request) -> DecisionResult:
        """Reject with a reason the citizen is told."""
        return await run_in_threadpool(_run, decisions.reject, deps(request), number,
                                       officer=body.officer, reason=body.reason)

    @router.post("/applications/{number}/ask", response_model=DecisionResult)
    async def ask(number: str, body: AskBody, request: Request) -> DecisionResult:
        """Ask the citizen for fields again, other documents, or more information."""
        return await run_in_threadpool(_run, decisions.ask, deps(request), number,
                                       officer=body.officer, fields=body.fields,
                                       documents=body.documents, note=body.note)

    @router.post("/events", status_code=202)
    async def deliver(body: EventBody, request: Request) -> dict[str, str]:
        """Deliver a conversation event made by the CLI to the citizen."""
        event = ConversationEvent(message_id=body.message_id, citizen_wa_id=body.citizen_wa_id,
                                  department=body.department, event=body.event, data=body.data)
        await run_in_threadpool(app_notifier(request), event)
        return {"accepted": body.message_id}

    return router


def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a back-office function, turning its refusals into HTTP errors."""
    try:
        return function(*args, **kwargs)
    except OfficerError as error:
        raise HTTPException(ERROR_STATUS.get(error.code, 400), str(error)) from error
