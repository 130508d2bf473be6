"""Events for a citizen's conversation that come from outside the chat: payments, decisions.

tools/ cannot see the agent, so it describes such an event in its own small type; the channel
turns it into the agent's `Incoming(kind="event")` and puts it in the citizen's ordered queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConversationEvent:
    """Something the citizen must hear about, addressed to their conversation.

    Attributes:
        message_id: unique per cause (`gateway:<event id>`, `officer:<audit id>`), so a
            repeated delivery is recognised as the same message.
        citizen_wa_id: the citizen's wa_id (or business-scoped user id).
        department: the department whose number should speak.
        event: `payment_captured`, `payment_failed`, `application_approved`,
            `application_rejected` or `info_requested`.
        data: what the agent needs to reply; never read by logs.
    """

    message_id: str
    citizen_wa_id: str
    department: str | None
    event: str
    data: dict[str, Any] = field(default_factory=dict)


ConversationNotifier = Callable[[ConversationEvent], None]


class CollectingNotifier:
    """A notifier that keeps what it is given (tests, evals, and the CLI's dry runs)."""

    def __init__(self) -> None:
        self.events: list[ConversationEvent] = []

    def __call__(self, event: ConversationEvent) -> None:
        """Keep the event."""
        self.events.append(event)


def no_notifier(event: ConversationEvent) -> None:
    """A notifier that tells no one (when no channel runs in this process)."""


class ServerNotifier:
    """Hands events to the running server (`POST /officer/events`), for the `nagrik` CLI.

    The CLI has no WhatsApp channel of its own; the server has. An event the server cannot
    take is kept in `failed`, so the command can say which citizens were not told.
    """

    def __init__(self, base_url: str, officer_token: str, timeout: float = 30.0) -> None:
        self._url = base_url.rstrip("/") + "/officer/events"
        self._token = officer_token
        self._timeout = timeout
        self.failed: list[ConversationEvent] = []

    def __call__(self, event: ConversationEvent) -> None:
        """Post the event to the server; remember it when that fails."""
        body = {"message_id": event.message_id, "citizen_wa_id": event.citizen_wa_id,
                "department": event.department, "event": event.event, "data": event.data}
        try:
            response = httpx.post(self._url, json=body, timeout=self._timeout,
                                  headers={"Authorization": f"Bearer {self._token}"})
            response.raise_for_status()
        except httpx.HTTPError as error:
            logger.error(
                "event %s not handed to the server at %s (%s): is `nagrik serve` running and "
                "NAGRIK_PUBLIC_BASE_URL right?", event.message_id, self._url, error,
            )
            self.failed.append(event)
