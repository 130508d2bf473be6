from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from agent.messages import TextReply
from tests.whatsapp.conftest import TRANSPORT
from whatsapp.departments import DepartmentNumbers, Number
from whatsapp.events import StatusUpdate
from whatsapp.outbox import (
    MarketingOptOut,
    OutsideWindow,
    apply_status,
    enqueue_proactive,
    failed_messages,
)
from whatsapp.sql import insert_ignore
from whatsapp.store_models import CitizenNumber, OutboxMessage, StatusEvent
from whatsapp.templates import TemplateMessage, load_templates

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
NUMBERS = DepartmentNumbers([
    Number(TRANSPORT, "transport"),
    Number("100000000000004", "general", general=True),
])
UPDATE = TemplateMessage(name="application_update", language="en",
                         values={"application_number": "LL-2026-000001", "status": "approved"})


def outbox_row(session: Session, wamid: str = "wamid.a") -> OutboxMessage:
    row = OutboxMessage(key=f"k-{wamid}", citizen_key="919800000010", phone_number_id=TRANSPORT,
                        kind="text", payload={}, state="accepted", wamid=wamid,
                        next_attempt_at=NOW, created_at=NOW)
    session.add(row)
    session.commit()
    return row


def status(wamid: str, name: str, **kwargs) -> StatusUpdate:
    return StatusUpdate(wamid=wamid, status=name, **kwargs)


def test_statuses_never_move_backwards(engine) -> None:
    with Session(engine) as session:
        row = outbox_row(session)
        for name in ("delivered", "sent", "read", "delivered", "failed"):
            apply_status(session, status("wamid.a", name), NOW)
        session.commit()
        session.refresh(row)
        assert row.state == "read"
        assert len(session.exec(select(StatusEvent)).all()) == 4  # delivered twice: kept once


def test_failure_keeps_metas_error_code_for_operators(engine) -> None:
    with Session(engine) as session:
        outbox_row(session, "wamid.f")
        apply_status(session, status("wamid.f", "sent"), NOW)
        apply_status(session, status("wamid.f", "failed", error_code=131026,
                                     error_title="Message undeliverable"), NOW)
        session.commit()
        (failed,) = failed_messages(session)
        assert failed.error_code == 131026 and failed.error_title == "Message undeliverable"


def test_status_that_overtakes_the_send_is_matched_by_callback_data(engine) -> None:
    with Session(engine) as session:
        row = OutboxMessage(key="m1:0", citizen_key="9198", phone_number_id=TRANSPORT,
                            kind="text", payload={}, state="sending", next_attempt_at=NOW,
                            created_at=NOW)
        session.add(row)
        session.commit()
        apply_status(session, status("wamid.z", "delivered", callback_data="m1:0"), NOW)
        session.commit()
        session.refresh(row)
        assert (row.wamid, row.state) == ("wamid.z", "delivered")


def window(session: Session, hours_ago: float, marketing: str | None = None) -> None:
    insert_ignore(session, CitizenNumber, {
        "citizen_key": "919800000011", "phone_number_id": TRANSPORT,
        "last_inbound_at": NOW - timedelta(hours=hours_ago), "marketing": marketing,
        "numbered_menu": [],
    }, "citizen_key", "phone_number_id")


def proactive(session: Session, message, key: str, template=None):
    return enqueue_proactive(session, citizen="919800000011", department="transport",
                             message=message, key=key, numbers=NUMBERS,
                             templates=load_templates(), now=NOW, template=template)


def test_proactive_free_form_inside_the_window(engine) -> None:
    with Session(engine) as session:
        window(session, hours_ago=2)
        rows = proactive(session, TextReply(body="Your licence is ready"), "notice-1",
                         template=UPDATE)
        session.commit()
        assert [row.kind for row in rows] == ["text"]
        assert rows[0].phone_number_id == TRANSPORT
        # The same key again queues nothing new.
        assert len(proactive(session, TextReply(body="again"), "notice-1")) == 1


def test_proactive_outside_the_window_goes_as_a_template(engine) -> None:
    with Session(engine) as session:
        window(session, hours_ago=30)
        with pytest.raises(OutsideWindow):
            proactive(session, TextReply(body="Ready"), "notice-2")
        rows = proactive(session, TextReply(body="Ready"), "notice-3", template=UPDATE)
        assert rows[0].kind == "template" and rows[0].payload["name"] == "application_update"


def test_marketing_templates_respect_an_opt_out(engine) -> None:
    news = TemplateMessage(name="department_news", language="en", values={"headline": "x"})
    with Session(engine) as session:
        window(session, hours_ago=30, marketing="stop")
        with pytest.raises(MarketingOptOut):
            proactive(session, news, "news-1")
        assert proactive(session, UPDATE, "update-1")  # utility still goes


def test_a_number_change_moves_the_citizen(engine) -> None:
    from tools.db.models import Citizen
    from whatsapp.inbox import change_number

    with Session(engine) as session:
        session.add(Citizen(wa_id="919800000040", created_at=NOW))
        window(session, hours_ago=1)
        session.commit()
        change_number(session, "919800000040", "919800000041")
        change_number(session, "919800000011", "919800000042")
        session.commit()
        assert session.exec(select(Citizen.wa_id)).all() == ["919800000041"]
        assert session.exec(select(CitizenNumber.citizen_key)).all() == ["919800000042"]
