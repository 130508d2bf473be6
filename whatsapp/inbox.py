"""The inbox: every inbound message stored under its WhatsApp id, then handled in order.

`store_webhook` runs before the webhook is acknowledged; a duplicate delivery inserts nothing.
`finish` marks a message handled in the same transaction that writes its replies, so a crash
either loses the work (done again after restart) or keeps both, never one without the other.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from tools.db.models import Citizen
from tools.notifications import ConversationEvent
from whatsapp.departments import DepartmentNumbers
from whatsapp.events import MessageKind, ParsedWebhook
from whatsapp.outbox import apply_status, outbox_row
from whatsapp.render import Outgoing
from whatsapp.sql import execute, insert_ignore, run, table_of, upsert_prepared
from whatsapp.store_models import (
    ChannelEvent,
    CitizenNumber,
    InboxMessage,
    InboxState,
    OutboxMessage,
)
from whatsapp.timeutil import from_epoch

logger = logging.getLogger(__name__)

# Kinds that need no answer at all: stored, then left alone.
SILENT_KINDS = frozenset({MessageKind.REACTION})


@dataclass
class Stored:
    """What one webhook body added: citizens with new messages, and counts for the log."""

    citizens: list[str] = field(default_factory=list)
    new: int = 0
    duplicates: int = 0
    statuses: int = 0
    others: int = 0


def citizen_ref(citizen_key: str) -> str:
    """A short, stable stand-in for a citizen in logs: never the phone number itself."""
    return hashlib.sha256(citizen_key.encode()).hexdigest()[:10]


def store_webhook(
    session: Session, parsed: ParsedWebhook, numbers: DepartmentNumbers, now: datetime
) -> Stored:
    """Write a parsed body to the inbox, statuses and events (the caller commits)."""
    stored = Stored()
    for message in parsed.messages:
        inserted = insert_ignore(
            session,
            InboxMessage,
            {
                "message_id": message.message_id,
                "citizen_key": message.citizen_key,
                "phone_number_id": message.phone_number_id,
                "department": numbers.department_for(message.phone_number_id),
                "kind": message.kind,
                "sent_at": from_epoch(message.sent_at) or now,
                "received_at": now,
                "state": InboxState.IGNORED if message.kind in SILENT_KINDS else InboxState.PENDING,
                "attempts": 0,
                "payload": message.model_dump(mode="json"),
            },
            "message_id",
        )
        if not inserted:
            stored.duplicates += 1
            continue
        stored.new += 1
        if message.kind not in SILENT_KINDS and message.citizen_key not in stored.citizens:
            stored.citizens.append(message.citizen_key)

    for status in parsed.statuses:
        apply_status(session, status, now)
        stored.statuses += 1

    for preference in parsed.preferences:
        if preference.category in (None, "marketing_messages") and preference.phone_number_id:
            _set_marketing(session, preference.citizen_key, preference.phone_number_id,
                           preference.value)
        _keep_event(session, "user_preferences", preference.phone_number_id,
                    f"marketing {preference.value}", preference.model_dump(mode="json"), now)
        stored.others += 1

    for other in parsed.others:
        _keep_event(session, other.field, other.phone_number_id, other.reason, other.raw, now)
        stored.others += 1
    return stored


def store_event(session: Session, event: ConversationEvent, now: datetime) -> bool:
    """Queue an event from outside the chat behind the citizen's messages; False if queued."""
    data = json.loads(json.dumps(event.data, default=str))  # paths and amounts as text
    return insert_ignore(
        session,
        InboxMessage,
        {
            "message_id": event.message_id,
            "citizen_key": event.citizen_wa_id,
            "phone_number_id": None,  # chosen when handled: see `finish_event`
            "department": event.department,
            "kind": MessageKind.EVENT,
            "sent_at": now,
            "received_at": now,
            "state": InboxState.PENDING,
            "attempts": 0,
            "payload": {"event": event.event, "data": data},
        },
        "message_id",
    )


def _keep_event(
    session: Session, field_name: str, number: str | None, reason: str, raw: dict, now: datetime
) -> None:
    digest = hashlib.sha256(
        json.dumps([field_name, raw], sort_keys=True, default=str).encode()
    ).hexdigest()
    insert_ignore(
        session,
        ChannelEvent,
        {"digest": digest, "field": field_name[:64], "phone_number_id": number,
         "reason": reason[:200], "received_at": now, "raw": raw},
        "digest",
    )


def _set_marketing(session: Session, citizen_key: str, number: str, value: str) -> None:
    contact = _contact(session, citizen_key, number)
    contact.marketing = "stop" if value == "stop" else "resume"
    session.add(contact)


def _contact(session: Session, citizen_key: str, number: str) -> CitizenNumber:
    contact = session.exec(
        orm_select(CitizenNumber).where(
            CitizenNumber.citizen_key == citizen_key, CitizenNumber.phone_number_id == number
        )
    ).first()
    return contact or CitizenNumber(citizen_key=citizen_key, phone_number_id=number)


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """An inbox row still to handle, as the worker needs it."""

    id: int
    message_id: str
    citizen_key: str
    phone_number_id: str | None
    department: str | None
    kind: str
    sent_at: datetime | None
    payload: dict[str, Any]


_INBOX = table_of(InboxMessage)
_PENDING_CITIZENS = (
    select(_INBOX.c.citizen_key, func.min(_INBOX.c.id).label("first"))
    .where(_INBOX.c.state == InboxState.PENDING.value)
    .group_by(_INBOX.c.citizen_key)
    .order_by(func.min(_INBOX.c.id))
)
_NEXT_PENDING = (
    select(*(_INBOX.c[name] for name in PendingMessage.__dataclass_fields__))
    .where(_INBOX.c.state == InboxState.PENDING.value)
    .where(_INBOX.c.citizen_key == bindparam("citizen_key"))
    .order_by(_INBOX.c.sent_at, _INBOX.c.id)
    .limit(bindparam("limit"))
)
_MARK_HANDLED = (
    update(_INBOX)
    .where(_INBOX.c.id == bindparam("row_id"), _INBOX.c.state == InboxState.PENDING.value)
    .values(state=bindparam("new_state"), handled_at=bindparam("at"),
            last_error=bindparam("error"))
)
_CONTACT = table_of(CitizenNumber)
_MENU = select(_CONTACT.c.numbered_menu).where(
    _CONTACT.c.citizen_key == bindparam("key"), _CONTACT.c.phone_number_id == bindparam("number")
)
_CITIZEN = table_of(Citizen)
_CITIZEN_SEEN = (
    update(_CITIZEN).where(_CITIZEN.c.wa_id == bindparam("of_key"))
    .values(last_message_at=bindparam("at"))
)


def pending_citizens(session: Session) -> list[str]:
    """Citizens with messages still to handle, oldest first."""
    return [row.citizen_key for row in run(session, _PENDING_CITIZENS)]


def next_pending(session: Session, citizen_key: str, limit: int = 20) -> list[PendingMessage]:
    """The citizen's oldest messages still to handle, by WhatsApp time then arrival."""
    rows = run(session, _NEXT_PENDING, {"citizen_key": citizen_key, "limit": limit})
    return [PendingMessage(**row._mapping) for row in rows]


def touch_citizen(
    session: Session, row: PendingMessage, name: str | None, citizen_now: datetime
) -> None:
    """Make sure the Citizen row exists before the handler runs."""
    # Insert-or-ignore: the agent may create the same citizen at the same moment.
    insert_ignore(
        session, Citizen,
        {"wa_id": row.citizen_key, "display_name": name, "created_at": citizen_now,
         "last_message_at": citizen_now},
        "wa_id",
    )


def menu_of(session: Session, citizen_key: str, reply_number: str) -> list[dict[str, str]]:
    """The numbered menu last sent to the citizen from this number, if one stands."""
    menu = run(session, _MENU, {"key": citizen_key, "number": reply_number}).scalar()
    return list(menu or [])


def change_number(session: Session, old_key: str, new_key: str) -> None:
    """Move a citizen who changed phone number to the new wa_id, if it is not taken."""
    taken = session.exec(orm_select(Citizen).where(Citizen.wa_id == new_key)).first()
    citizen = session.exec(orm_select(Citizen).where(Citizen.wa_id == old_key)).first()
    if citizen is not None and taken is None:
        citizen.wa_id = new_key
        session.add(citizen)
    execute(
        session,
        update(CitizenNumber)
        .where(col(CitizenNumber.citizen_key) == old_key)
        .values(citizen_key=new_key)
    )


def finish(
    session: Session,
    row: PendingMessage,
    outgoing: list[Outgoing],
    state: InboxState,
    now: datetime,
    *,
    reply_number: str,
    error: str | None = None,
    citizen_now: datetime | None = None,
) -> bool:
    """Mark a message handled and queue its replies (sent from `reply_number`), atomically.

    The caller commits: both happen, or neither. The citizen's window and last message time
    move on, and the numbered menu is replaced when replies go out.

    Returns:
        False when the message was already handled (by an earlier run), and nothing changed.
    """
    if not mark_handled(session, row, state, now, error):
        return False
    queue_replies(session, row.message_id, outgoing, citizen_key=row.citizen_key,
                  number=reply_number, department=row.department, now=now)
    remember_contact(session, row, reply_number, outgoing, inbound=True, now=now)
    if citizen_now is not None:
        run(session, _CITIZEN_SEEN, {"of_key": row.citizen_key, "at": citizen_now})
    return True


def queue_replies(
    session: Session,
    cause_id: str,
    outgoing: list[Outgoing],
    *,
    citizen_key: str,
    number: str,
    department: str | None,
    now: datetime,
) -> None:
    """Put the replies to one message or event in the outbox, keyed `<cause id>:<index>`."""
    for index, item in enumerate(outgoing):
        values = outbox_row(
            f"{cause_id}:{index}", item, citizen_key=citizen_key, phone_number_id=number,
            department=department, now=now, cause_message_id=cause_id,
        )
        insert_ignore(session, OutboxMessage, values, "key")


def mark_handled(
    session: Session, row: PendingMessage, state: InboxState, now: datetime, error: str | None
) -> bool:
    """Mark a pending row handled; False when an earlier run already did."""
    marked = run(
        session, _MARK_HANDLED,
        {"row_id": row.id, "new_state": state.value, "at": now, "error": error},
    )
    return bool(marked.rowcount)


def remember_contact(
    session: Session,
    row: PendingMessage,
    reply_number: str,
    outgoing: list[Outgoing],
    *,
    inbound: bool,
    now: datetime,
) -> None:
    """Move the 24-hour window on (for what the citizen sent) and keep the numbered menu."""
    contact: dict[str, Any] = {"last_inbound_at": row.sent_at or now} if inbound else {}
    if outgoing:
        # The numbers of a menu mean something only until the next reply.
        contact["numbered_menu"] = next_menu(outgoing)
    if not contact:
        return
    upsert_prepared(
        session, CitizenNumber,
        {"citizen_key": row.citizen_key, "phone_number_id": reply_number, **contact},
        ("citizen_key", "phone_number_id"), tuple(contact),
    )


def next_menu(outgoing: list[Outgoing]) -> list[dict[str, str]]:
    """The numbered menu that stands after these replies: the last one sent, or none."""
    menus = [item.menu for item in outgoing if item.menu]
    return menus[-1] if menus else []


def record_attempt(session: Session, row_id: int, error: str) -> int:
    """Count a failed attempt at handling a message; return the attempts so far."""
    row = session.get(InboxMessage, row_id)
    if row is None:
        return 0
    row.attempts += 1
    row.last_error = error[:500]
    session.add(row)
    return row.attempts
