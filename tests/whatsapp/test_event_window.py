"""Events outside the 24-hour window go as approved templates; inside it, as the agent wrote."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, SQLModel, select

from agent.messages import Incoming, TextReply
from tools.clock import FixedClock
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.notifications import ConversationEvent
from tools.settings import Settings
from whatsapp.departments import load_numbers
from whatsapp.event_delivery import EventDelivery
from whatsapp.store_models import CitizenNumber, OutboxMessage
from whatsapp.templates import load_templates

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
WA_ID = "919810000001"


class Scripted:
    def __init__(self) -> None:
        self.seen: list[Incoming] = []

    def handle(self, incoming: Incoming):
        self.seen.append(incoming)
        return [TextReply(body="आपका आवेदन BC-2026-000001 स्वीकृत हो गया है।")]


def deliver(tmp_path, last_inbound: datetime | None):
    import_all_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'events.db'}")
    SQLModel.metadata.create_all(engine)
    settings = Settings(data_dir=tmp_path)
    numbers = load_numbers(settings)
    number = numbers.number_for("mcd").phone_number_id
    if last_inbound is not None:
        with Session(engine) as session:
            session.add(CitizenNumber(citizen_key=WA_ID, phone_number_id=number,
                                      last_inbound_at=last_inbound))
            session.commit()
    handler = Scripted()
    delivery = EventDelivery(engine=engine, handler=handler, numbers=numbers,
                             clock=FixedClock(NOW), templates=load_templates(None))
    certificate = tmp_path / "CERT-2026-000001.pdf"
    certificate.write_bytes(b"%PDF-1.4 test")
    delivery(ConversationEvent(
        message_id="officer:BC-2026-000001:7", citizen_wa_id=WA_ID, department="mcd",
        event="application_approved",
        data={"application_number": "BC-2026-000001", "certificate_path": str(certificate),
              "certificate_number": "CERT-2026-000001"},
    ))
    with Session(engine) as session:
        return handler, session.exec(select(OutboxMessage)).all()


def test_inside_the_window_the_agents_reply_goes_as_written(tmp_path):
    handler, queued = deliver(tmp_path, last_inbound=NOW - timedelta(hours=2))
    assert handler.seen and handler.seen[0].event == "application_approved"
    assert [row.kind for row in queued] == ["text"]


def test_outside_the_window_only_the_template_goes(tmp_path):
    handler, queued = deliver(tmp_path, last_inbound=NOW - timedelta(hours=30))
    assert handler.seen  # the conversation still learns of the decision
    assert [row.kind for row in queued] == ["template"]
    assert queued[0].payload["name"] == "certificate_ready"
    assert queued[0].payload["language"] == "hi"


def test_a_citizen_who_never_wrote_gets_a_template(tmp_path):
    _, queued = deliver(tmp_path, last_inbound=None)
    assert [row.kind for row in queued] == ["template"]
