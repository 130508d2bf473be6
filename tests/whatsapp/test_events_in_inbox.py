"""Events from outside the chat wait in the inbox behind the citizen's own messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from agent.messages import IncomingKind
from tests.whatsapp.conftest import GENERAL, Live, Server, free_port, make_settings, running
from tests.whatsapp.scripted import ScriptedHandler
from tools.db.engine import make_engine
from tools.notifications import ConversationEvent
from whatsapp.app import create_app
from whatsapp.store_models import CitizenNumber, InboxMessage, OutboxMessage

CITIZEN = "919800000055"
APPROVED = ConversationEvent(
    message_id="officer:BC-2026-000009:3", citizen_wa_id=CITIZEN, department="mcd",
    event="application_approved", data={"application_number": "BC-2026-000009"},
)


@pytest.fixture
def slow(tmp_path: Path) -> Iterator[Live]:
    """A live app whose handler takes a while, so that messages queue up."""
    with running(tmp_path, ScriptedHandler(tmp_path, delay=0.3)) as app:
        yield app


def test_an_event_waits_behind_messages_and_is_sent_once(slow: Live) -> None:
    slow.say(CITIZEN, "one")
    slow.say(CITIZEN, "two")
    slow.app.state.event_notifier(APPROVED)
    slow.app.state.event_notifier(APPROVED)  # the officer's page posted twice
    slow.wait_for(lambda: len(slow.handler.seen) == 3 and slow.settled())

    seen = slow.handler.seen
    assert [m.text for m in seen[:2]] == ["one", "two"]
    assert seen[2].kind is IncomingKind.EVENT and seen[2].event == "application_approved"
    assert seen[2].event_data == {"application_number": "BC-2026-000009"}
    events = [row for row in slow.inbox() if row.kind == "event"]
    assert [(row.message_id, row.state) for row in events] == [(APPROVED.message_id, "done")]
    # Inside the window the agent's own words go, from the number the citizen wrote to.
    replies = [row for row in slow.outbox() if row.key.startswith(APPROVED.message_id)]
    assert [(row.kind, row.phone_number_id) for row in replies] == [("text", GENERAL)]


def test_an_event_does_not_open_the_24_hour_window(slow: Live) -> None:
    slow.app.state.event_notifier(APPROVED)
    slow.wait_for(slow.settled)
    with Session(slow.engine) as session:
        contacts = session.exec(select(CitizenNumber)).all()
    assert all(contact.last_inbound_at is None for contact in contacts)
    # The citizen never wrote: only the approved template may go, from the department's number.
    (sent,) = [row for row in slow.outbox() if row.citizen_key == CITIZEN]
    assert (sent.kind, sent.payload["name"]) == ("template", "application_update")
    assert sent.phone_number_id == slow.app.state.channel.numbers.number_for("mcd").phone_number_id


def test_an_event_stored_by_the_server_is_answered_by_a_worker_process(tmp_path: Path) -> None:
    port = free_port()
    settings = make_settings(tmp_path, port)
    engine = make_engine(settings.resolved_database_url)
    SQLModel.metadata.create_all(engine)
    handler = ScriptedHandler(tmp_path)
    server = create_app(settings, handler_factory=lambda _: handler, engine=engine,
                        inline_worker=False, sender=False)
    with Server(server, port):
        server.state.event_notifier(APPROVED)
        with Session(engine) as session:
            (row,) = session.exec(select(InboxMessage)).all()
        assert (row.kind, row.state) == ("event", "pending")
        assert not handler.seen

        worker = create_app(settings, handler_factory=lambda _: handler, engine=engine,
                            inline_worker=True, sender=False, simulator=False,
                            poll_seconds=0.05)
        with Server(worker, free_port()):
            live = Live("", settings, engine, worker, handler)
            live.wait_for(lambda: handler.seen)
            live.wait_for(lambda: live.inbox()[0].state == "done")
    assert handler.seen[0].event == "application_approved"
    with Session(engine) as session:
        (sent,) = session.exec(select(OutboxMessage)).all()
    assert sent.payload["name"] == "application_update"  # the citizen never wrote: a template
