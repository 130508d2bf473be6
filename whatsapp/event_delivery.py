"""Delivering events from outside the chat (payments, officers' decisions) to a citizen.

An event becomes the agent's `Incoming(kind="event")`; the agent's replies (the receipt PDF,
the certificate) go to the outbox like any other reply, from the number the citizen last
wrote to, keyed by the event's message id so a second delivery sends nothing twice.

The channel's notifier is `InboxEvents`: it stores the event in the inbox, where it waits its
turn behind the citizen's own messages and survives a crash, and the worker (in this process
or another) runs the agent on it; `queue_event_replies` writes what goes out.
`EventDelivery` runs the agent at once instead, for callers without an inbox worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agent.messages import ConversationHandler, Incoming, IncomingKind, Reply
from tools.clock import Clock
from tools.notifications import ConversationEvent, ConversationNotifier
from whatsapp.departments import DepartmentNumbers
from whatsapp.inbox import (
    PendingMessage,
    citizen_ref,
    mark_handled,
    queue_replies,
    remember_contact,
    store_event,
)
from whatsapp.outbox import enqueue_proactive, window_open
from whatsapp.render import Outgoing, render
from whatsapp.store_models import CitizenNumber, InboxState
from whatsapp.templates import TemplateMessage, TemplateRegistry
from whatsapp.timeutil import now_utc

logger = logging.getLogger(__name__)


def to_incoming(event: ConversationEvent) -> Incoming:
    """The agent's message for an event."""
    return Incoming(
        message_id=event.message_id,
        citizen_id=event.citizen_wa_id,
        department=event.department,
        kind=IncomingKind.EVENT,
        event=event.event,
        event_data=dict(event.data),
    )


class InboxEvents:
    """A `ConversationNotifier` that puts each event in the inbox, in the citizen's queue."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: Clock,
        wake: Callable[[list[str]], None] | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._wake = wake

    def __call__(self, event: ConversationEvent) -> None:
        """Store the event (once per message id) and wake the worker if it runs here."""
        with Session(self._engine) as session:
            stored = store_event(session, event, now_utc(self._clock))
            session.commit()
        if stored and self._wake is not None:
            self._wake([event.citizen_wa_id])
        logger.info("event %s (%s) for citizen %s %s", event.message_id, event.event,
                    citizen_ref(event.citizen_wa_id), "queued" if stored else "already queued")


class EventDelivery:
    """A `ConversationNotifier` that runs the agent on the event now and queues its replies."""

    def __init__(
        self,
        *,
        engine: Engine,
        handler: ConversationHandler,
        numbers: DepartmentNumbers,
        clock: Clock,
        templates: TemplateRegistry | None = None,
    ) -> None:
        self._engine = engine
        self._handler = handler
        self._numbers = numbers
        self._clock = clock
        self._templates = templates

    def __call__(self, event: ConversationEvent) -> None:
        """Hand the event to the agent and put its replies in the outbox."""
        replies = self._handler.handle(to_incoming(event))
        with Session(self._engine) as session:
            number = speaking_number(session, event, self._numbers)
            queue_event_replies(
                session, event, list(replies), number=number, numbers=self._numbers,
                templates=self._templates, now=now_utc(self._clock),
            )
            session.commit()


def event_of(row: PendingMessage) -> ConversationEvent:
    """The event an inbox row of kind `event` holds (see `whatsapp.inbox.store_event`)."""
    return ConversationEvent(
        message_id=row.message_id,
        citizen_wa_id=row.citizen_key,
        department=row.department,
        event=str(row.payload.get("event", "")),
        data=dict(row.payload.get("data") or {}),
    )


def finish_event(
    session: Session,
    row: PendingMessage,
    replies: list[Reply],
    state: InboxState,
    now: datetime,
    *,
    numbers: DepartmentNumbers,
    templates: TemplateRegistry | None,
    error: str | None = None,
) -> tuple[str, list[Outgoing]] | None:
    """Mark an event handled and queue what it says, atomically (the caller commits).

    The number that speaks is chosen now, not when the event was stored: messages ahead of
    it in the queue may have been the citizen's first words to a number. Unlike a message,
    an event does not open the citizen's 24-hour window.

    Returns:
        The number and the free-form messages queued, or None when an earlier run handled
        the event.
    """
    if not mark_handled(session, row, state, now, error):
        return None
    event = event_of(row)
    number = speaking_number(session, event, numbers)
    outgoing = queue_event_replies(
        session, event, replies, number=number, numbers=numbers, templates=templates, now=now,
    )
    remember_contact(session, row, number, outgoing, inbound=False, now=now)
    return number, outgoing


def speaking_number(session: Session, event: ConversationEvent, numbers: DepartmentNumbers) -> str:
    """The number the citizen last wrote to, else the department's own number."""
    contact = session.exec(
        select(CitizenNumber)
        .where(CitizenNumber.citizen_key == event.citizen_wa_id)
        .where(col(CitizenNumber.last_inbound_at).is_not(None))
        .order_by(col(CitizenNumber.last_inbound_at).desc())
    ).first()
    if contact is not None and numbers.knows(contact.phone_number_id):
        return contact.phone_number_id
    return numbers.number_for(event.department).phone_number_id


def queue_event_replies(
    session: Session,
    event: ConversationEvent,
    replies: list[Reply],
    *,
    number: str,
    numbers: DepartmentNumbers,
    templates: TemplateRegistry | None,
    now: datetime,
) -> list[Outgoing]:
    """Queue what the agent said about an event, from `number`; the caller commits.

    Outside the citizen's 24-hour window WhatsApp allows only templates: the agent still
    took the event (its state moved on), and the citizen gets the event's template.

    Returns:
        The free-form messages queued (none when a template went instead).
    """
    if templates is not None and not window_open(session, event.citizen_wa_id, number, now):
        _send_template(session, event, replies, now, number, numbers, templates)
        return []
    outgoing = [item for reply in replies for item in render(reply)]
    queue_replies(session, event.message_id, outgoing, citizen_key=event.citizen_wa_id,
                  number=number, department=event.department, now=now)
    logger.info(
        "event %s (%s) for citizen %s: %d messages queued",
        event.message_id, event.event, citizen_ref(event.citizen_wa_id), len(outgoing),
    )
    return outgoing


def _send_template(
    session: Session,
    event: ConversationEvent,
    replies: list[Reply],
    now: datetime,
    number: str,
    numbers: DepartmentNumbers,
    templates: TemplateRegistry,
) -> None:
    template = template_for(event, _language_of(replies))
    if template is None:
        logger.warning("event %s (%s): window closed and no template fits; not sent",
                       event.message_id, event.event)
        return
    enqueue_proactive(
        session, citizen=event.citizen_wa_id,
        department=numbers.department_for(number) or event.department,
        message=template,
        key=event.message_id, numbers=numbers, templates=templates, now=now,
    )
    logger.info("event %s (%s) for citizen %s: window closed, template %s queued",
                event.message_id, event.event, citizen_ref(event.citizen_wa_id),
                template.name)


def template_for(event: ConversationEvent, language: str) -> TemplateMessage | None:
    """The approved template that carries an event outside the 24-hour window, if one does."""
    data = event.data
    if event.event == "payment_captured" and data.get("receipt_number"):
        return TemplateMessage(
            name="receipt_ready", language=language,
            values={"receipt_number": str(data["receipt_number"]),
                    "amount": str(data.get("amount_rupees", ""))},
            header_path=data.get("receipt_path"),
            header_filename=f"{data['receipt_number']}.pdf",
        )
    if event.event == "application_approved" and data.get("certificate_path"):
        return TemplateMessage(
            name="certificate_ready", language=language,
            values={"application_number": str(data.get("application_number", ""))},
            header_path=data["certificate_path"],
            header_filename=f"{data.get('certificate_number') or 'certificate'}.pdf",
        )
    status = STATUS_WORDS.get(event.event)
    if status and data.get("application_number"):
        return TemplateMessage(
            name="application_update", language=language,
            values={"application_number": str(data["application_number"]),
                    "status": status[language]},
        )
    return None


STATUS_WORDS = {
    "application_approved": {"hi": "स्वीकृत", "en": "approved"},
    "application_rejected": {"hi": "अस्वीकृत", "en": "rejected"},
    "info_requested": {"hi": "और जानकारी चाहिए", "en": "more information needed"},
    "payment_failed": {"hi": "भुगतान नहीं हुआ", "en": "payment failed"},
}


def _language_of(replies: list[Reply]) -> str:
    """Templates exist in Hindi and English: Hindi when the agent wrote in Devanagari."""
    text = " ".join(getattr(reply, "body", "") or "" for reply in replies)
    return "hi" if any("\u0900" <= ch <= "\u097f" for ch in text) else "en"


def undelivered(event: ConversationEvent) -> None:
    """The fallback when no channel runs here: the citizen is not told, and the log says so."""
    logger.warning(
        "event %s (%s) not delivered: no event notifier in this app; set "
        "app.state.event_notifier when the channel starts",
        event.message_id, event.event,
    )


def app_notifier(request: Request) -> ConversationNotifier:
    """The notifier of the running app (`app.state.event_notifier`), or the logging fallback."""
    notifier: Any = getattr(request.app.state, "event_notifier", None)
    return notifier if notifier is not None else undelivered
