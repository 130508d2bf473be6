"""Reading rows on behalf of a citizen: only their own, and the same answer for absent rows."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select

from tools.catalog.schema import Service
from tools.db.models import Application, ApplicationField, Document, Property
from tools.toolkit.context import ToolContext
from tools.toolkit.errors import ToolRefused, ToolRetry
from tools.values import FieldValueError, canonical_upic

APPLICATION_NUMBER = re.compile(r"^([A-Z]{2,4})-(\d{4})-(\d{6})$")


def canonical_number(raw: str) -> str:
    """An application number in stored form (`bc-2026-1` becomes `BC-2026-000001`)."""
    text = re.sub(r"\s+", "", raw).upper().replace("/", "-")
    match = re.fullmatch(r"([A-Z]{2,4})-?(\d{4})-?(\d{1,6})", text)
    if not match:
        raise ToolRetry(
            "invalid_application_number",
            f"{raw!r} is not an application number like BC-2026-000001",
        )
    code, year, serial = match.groups()
    return f"{code}-{year}-{int(serial):06d}"


def own_application(ctx: ToolContext, number: str) -> Application:
    """The citizen's application with that number; another citizen's is reported as absent."""
    canonical = canonical_number(number)
    application = ctx.session.exec(
        select(Application).where(Application.number == canonical)
    ).first()
    # Someone else's application gets exactly the answer a missing one gets: no existence leak.
    if application is None or application.citizen_id != ctx.citizen_id:
        raise ToolRefused(
            "application_not_found",
            f"no application {canonical} belongs to this citizen",
            number=canonical,
        )
    return application


def service_of(ctx: ToolContext, service_id: str) -> Service:
    """The catalog service with that id; a retry error names the valid ids."""
    try:
        return ctx.catalog.service(service_id)
    except KeyError:
        known = ", ".join(sorted(ctx.catalog.services))
        raise ToolRetry(
            "unknown_service", f"no service {service_id!r}; use one of: {known}"
        ) from None


def field_values(ctx: ToolContext, application: Application) -> dict[str, Any]:
    """The application's stored field values by name."""
    return field_values_of(ctx.session, application)


def field_values_of(session: Session, application: Application) -> dict[str, Any]:
    """The stored field values of an application, by name, read in any session."""
    rows = session.exec(
        select(ApplicationField).where(ApplicationField.application_id == application.id)
    ).all()
    return {row.name: row.value for row in rows}


def uploaded_slots(ctx: ToolContext, application: Application) -> set[str]:
    """Document slots of the application that hold a document."""
    rows = ctx.session.exec(
        select(Document.slot).where(Document.application_id == application.id)
    ).all()
    return {slot for slot in rows if slot}


def own_property(ctx: ToolContext, upic: str) -> Property:
    """The citizen's property with that UPIC; another owner's is reported as absent."""
    try:
        canonical = canonical_upic(upic)
    except FieldValueError as error:
        raise ToolRetry(error.code, error.detail) from None
    found = ctx.session.exec(select(Property).where(Property.upic == canonical)).first()
    if found is None or found.owner_citizen_id != ctx.citizen_id:
        raise ToolRefused(
            "property_not_found",
            f"no property {canonical} is registered to this citizen",
            upic=canonical,
        )
    return found
