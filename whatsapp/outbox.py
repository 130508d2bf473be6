"""The outbox: replies and proactive messages waiting to be sent, and their statuses.

Each row has a unique `key` derived from what caused it (inbound message id and reply index,
or a caller's key for proactive messages), so writing the same reply twice stores it once.
Statuses only move forward: queued < sending < accepted < sent < delivered < read; a failure
is final and keeps Meta's error code for operators.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from agent.messages import Reply
from tools.db.models import Citizen
from whatsapp.departments import DepartmentNumbers
from whatsapp.events import StatusUpdate
from whatsapp.render import Outgoing, render
from whatsapp.sql import insert_ignore, run, table_of
from whatsapp.store_models import (
    STATUS_RANK,
    CitizenNumber,
    OutboxMessage,
    OutboxState,
    StatusEvent,
)
from whatsapp.templates import TemplateCategory, TemplateMessage, TemplateRegistry
from whatsapp.timeutil import from_epoch

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
WEBHOOK_STATES = {
    "sent": OutboxState.SENT,
    "delivered": OutboxState.DELIVERED,
    "read": OutboxState.READ,
    "played": OutboxState.READ,
    "failed": OutboxState.FAILED,
}


class OutsideWindow(Exception):
    """A free-form message for a citizen whose 24-hour window is closed, with no template."""


class MarketingOptOut(Exception):
    """A marketing template for a citizen who asked to stop marketing messages."""


def outbox_row(
    key: str,
    outgoing: Outgoing,
    *,
    citizen_key: str,
    phone_number_id: str,
    department: str | None,
    now: datetime,
    cause_message_id: str | None = None,
) -> dict[str, Any]:
    """The column values of one outbox row."""
    return {
        "key": key,
        "cause_message_id": cause_message_id,
        "citizen_key": citizen_key,
        "phone_number_id": phone_number_id,
        "department": department,
        "kind": outgoing.kind,
        "payload": outgoing.body,
        "media_path": outgoing.media_path,
        "state": OutboxState.QUEUED,
        "next_attempt_at": now,
        "created_at": now,
        "attempts": 0,
    }


def window_open(session: Session, citizen_key: str, phone_number_id: str, now: datetime) -> bool:
    """Whether the citizen wrote to this number in the last 24 hours."""
    contact = session.exec(
        select(CitizenNumber).where(
            CitizenNumber.citizen_key == citizen_key,
            CitizenNumber.phone_number_id == phone_number_id,
        )
    ).first()
    last = contact.last_inbound_at if contact else None
    return last is not None and now - last < WINDOW


def enqueue_proactive(
    session: Session,
    *,
    citizen: Citizen | str,
    department: str | None,
    message: Reply | TemplateMessage,
    key: str,
    numbers: DepartmentNumbers,
    templates: TemplateRegistry,
    now: datetime,
    template: TemplateMessage | None = None,
) -> list[OutboxMessage]:
    """Queue a message that answers nothing, such as a receipt sent by an officer.

    Inside the citizen's 24-hour window a free-form `message` goes as it is; outside it only a
    template may go: `message` itself when it is one, else `template`. The caller commits.
    `key` makes the call idempotent: the same key queues nothing new. `now` is aware.

    Returns:
        The outbox rows of this key (new or already queued).

    Raises:
        OutsideWindow: free-form message, window closed, and no template given.
        MarketingOptOut: a marketing template for a citizen who asked to stop them.
        TemplateError: an unregistered template or missing values.
    """
    citizen_key = citizen if isinstance(citizen, str) else citizen.wa_id
    number = numbers.number_for(department)

    if isinstance(message, TemplateMessage):
        chosen: Reply | TemplateMessage = message
    elif window_open(session, citizen_key, number.phone_number_id, now):
        chosen = message
    elif template is not None:
        chosen = template
    else:
        raise OutsideWindow("the 24-hour window is closed: send a template instead")

    if isinstance(chosen, TemplateMessage):
        spec = templates.check(chosen)
        if spec.category is TemplateCategory.MARKETING and _opted_out(
            session, citizen_key, number.phone_number_id
        ):
            raise MarketingOptOut("the citizen asked to stop marketing messages")
        outgoing = [
            Outgoing("template", chosen.model_dump(mode="json"), media_path=chosen.header_path)
        ]
    else:
        outgoing = render(chosen)

    for index, item in enumerate(outgoing):
        row = outbox_row(
            f"{key}:{index}", item, citizen_key=citizen_key,
            phone_number_id=number.phone_number_id, department=department or number.department,
            now=now,
        )
        insert_ignore(session, OutboxMessage, row, "key")
    rows = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(f"{key}:"))
        .order_by(col(OutboxMessage.id))
    ).all()
    logger.info("proactive message queued: key=%s rows=%d", key, len(rows))
    return list(rows)


def _opted_out(session: Session, citizen_key: str, phone_number_id: str) -> bool:
    contact = session.exec(
        select(CitizenNumber).where(
            CitizenNumber.citizen_key == citizen_key,
            CitizenNumber.phone_number_id == phone_number_id,
        )
    ).first()
    return contact is not None and contact.marketing == "stop"


_OUTBOX = table_of(OutboxMessage)
_STATUS = table_of(StatusEvent)
_CLAIM_WAMID = (
    update(_OUTBOX)
    .where(_OUTBOX.c.key == bindparam("of_key"), _OUTBOX.c.wamid.is_(None))
    .values(wamid=bindparam("new_wamid"))
)
_STATUSES_OF = core_select(
    _STATUS.c.status, _STATUS.c.error_code, _STATUS.c.error_title, _STATUS.c.error_detail
).where(_STATUS.c.wamid == bindparam("wamid"))


def apply_status(session: Session, status: StatusUpdate, now: datetime) -> bool:
    """Keep a status webhook and move its outbox row forward; True when the row moved."""
    state = WEBHOOK_STATES.get(status.status)
    inserted = insert_ignore(
        session,
        StatusEvent,
        {
            "wamid": status.wamid,
            "status": status.status,
            "occurred_at": from_epoch(status.timestamp),
            "received_at": now,
            "callback_data": (status.callback_data or "")[:250] or None,
            "error_code": status.error_code,
            "error_title": (status.error_title or "")[:300] or None,
            "error_detail": status.error_detail,
        },
        "wamid",
        "status",
    )
    if not inserted or state is None:
        return False

    moved = move_state(session, status.wamid, state, now, status)
    if not moved and status.callback_data:
        # The status overtook our record of the send: the callback data is the outbox key.
        claimed = run(
            session, _CLAIM_WAMID, {"of_key": status.callback_data, "new_wamid": status.wamid}
        )
        if claimed.rowcount:
            moved = move_state(session, status.wamid, state, now, status)
    if state is OutboxState.FAILED and moved:
        logger.warning("message %s failed: error %s", status.wamid, status.error_code)
    return moved


@lru_cache(maxsize=16)
def _move_statement(state: OutboxState, with_error: bool) -> Any:
    """The UPDATE that moves a row to `state` only from the states before it."""
    if state is OutboxState.FAILED:
        earlier = [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.ACCEPTED, OutboxState.SENT]
    else:
        earlier = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[state]]
    values: dict[str, Any] = {"state": state.value, "status_at": bindparam("at")}
    if with_error:
        values |= {
            name: bindparam(f"new_{name}") for name in ("error_code", "error_title", "error_detail")
        }
    return (
        update(_OUTBOX)
        .where(_OUTBOX.c.wamid == bindparam("of_wamid"))
        .where(_OUTBOX.c.state.in_([s.value for s in earlier]))
        .values(**values)
    )


def move_state(
    session: Session,
    wamid: str,
    state: OutboxState,
    now: datetime,
    status: StatusUpdate | None = None,
) -> bool:
    """Set a row's state only if that moves it forward; failures only before delivery."""
    params: dict[str, Any] = {"of_wamid": wamid, "at": now}
    with_error = status is not None and status.error_code is not None
    if status is not None and with_error:
        params |= {
            "new_error_code": status.error_code,
            "new_error_title": (status.error_title or "")[:300] or None,
            "new_error_detail": status.error_detail,
        }
    result = run(session, _move_statement(state, with_error), params)
    return bool(result.rowcount)


def catch_up_statuses(session: Session, wamid: str, now: datetime) -> None:
    """Apply statuses that arrived before the send was recorded, best first."""
    for event in run(session, _STATUSES_OF, {"wamid": wamid}).all():
        state = WEBHOOK_STATES.get(event.status)
        if state is None:
            continue
        status = StatusUpdate(
            wamid=wamid, status=event.status, error_code=event.error_code,
            error_title=event.error_title, error_detail=event.error_detail,
        )
        move_state(session, wamid, state, now, status)


def failed_messages(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """The most recent failed sends, newest first, for operators."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.FAILED)
            .order_by(col(OutboxMessage.id).desc())
            .limit(limit)
        ).all()
    )
