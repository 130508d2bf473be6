"""Delivering events from outside the chat (payments, officers' decisions) to a citizen.

An event becomes the agent's `Incoming(kind="event")`; the agent's replies (the receipt PDF,
the certificate) go to the outbox like any other reply, from the department's number, keyed
by the event's message id so a second delivery sends nothing twice.

TODO(channel-events): this runs the handler at once, in the caller's thread. The agent's
per-citizen lock keeps it from interleaving with the citizen's own messages, but it does not
wait its turn behind messages still queued in the inbox. When the inbox can hold events
(an `event` kind in `whatsapp.events.MessageKind`), store the event there instead and let the
worker take it in order.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agent.messages import ConversationHandler, Incoming, IncomingKind, Reply
from tools.clock import Clock
from tools.notifications import ConversationEvent, ConversationNotifier
from whatsapp.departments import DepartmentNumbers
from whatsapp.inbox import citizen_ref
from whatsapp.outbox import enqueue_proactive, outbox_row, window_open
from whatsapp.render import render
from whatsapp.sql import insert_ignore
from whatsapp.store_models import CitizenNumber, OutboxMessage
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


class EventDelivery:
    """A `ConversationNotifier` that runs the agent on the event and queues its replies."""

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
        """Hand the event to the agent and put its replies in the outbox.

        Outside the citizen's 24-hour window WhatsApp allows only templates: the agent still
        takes the event (its state moves on), and the citizen gets the event's template.
        """
        incoming = to_incoming(event)
        replies = self._handler.handle(incoming)
        outgoing = [item for reply in replies for item in render(reply)]
        now = now_utc(self._clock)
        with Session(self._engine) as session:
            number = self._speaking_number(session, event)
            if self._templates is not None and not window_open(
                session, event.citizen_wa_id, number, now
            ):
                self._send_template(session, event, replies, now, number)
                session.commit()
                return
            for index, item in enumerate(outgoing):
                values = outbox_row(
                    f"{event.message_id}:{index}", item, citizen_key=event.citizen_wa_id,
                    phone_number_id=number, department=event.department, now=now,
                    cause_message_id=event.message_id,
                )
                insert_ignore(session, OutboxMessage, values, "key")
            session.commit()
        logger.info(
            "event %s (%s) for citizen %s: %d messages queued",
            event.message_id, event.event, citizen_ref(event.citizen_wa_id), len(outgoing),
        )


    def _speaking_number(self, session: Session, event: ConversationEvent) -> str:
        """The number the citizen last wrote to, else the department's own number."""
        contact = session.exec(
            select(CitizenNumber)
            .where(CitizenNumber.citizen_key == event.citizen_wa_id)
            .where(col(CitizenNumber.last_inbound_at).is_not(None))
            .order_by(col(CitizenNumber.last_inbound_at).desc())
        ).first()
        if contact is not None and self._numbers.knows(contact.phone_number_id):
            return contact.phone_number_id
        return self._numbers.number_for(event.department).phone_number_id

    def _send_template(
        self,
        session: Session,
        event: ConversationEvent,
        replies: list[Reply],
        now: datetime,
        number: str,
    ) -> None:
        template = template_for(event, _language_of(replies))
        if template is None or self._templates is None:
            logger.warning("event %s (%s): window closed and no template fits; not sent",
                           event.message_id, event.event)
            return
        enqueue_proactive(
            session, citizen=event.citizen_wa_id,
            department=self._numbers.department_for(number) or event.department,
            message=template,
            key=event.message_id, numbers=self._numbers, templates=self._templates, now=now,
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
