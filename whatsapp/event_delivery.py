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
from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from agent.messages import ConversationHandler, Incoming, IncomingKind
from tools.clock import Clock
from tools.notifications import ConversationEvent, ConversationNotifier
from whatsapp.departments import DepartmentNumbers
from whatsapp.inbox import citizen_ref
from whatsapp.outbox import outbox_row
from whatsapp.render import render
from whatsapp.sql import insert_ignore
from whatsapp.store_models import OutboxMessage
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
    ) -> None:
        self._engine = engine
        self._handler = handler
        self._numbers = numbers
        self._clock = clock

    def __call__(self, event: ConversationEvent) -> None:
        """Hand the event to the agent and put its replies in the outbox."""
        incoming = to_incoming(event)
        replies = self._handler.handle(incoming)
        outgoing = [item for reply in replies for item in render(reply)]
        number = self._numbers.number_for(event.department).phone_number_id
        now = now_utc(self._clock)
        with Session(self._engine) as session:
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
