"""The same code on PostgreSQL: migrations, tools, numbering, payments and checkpoints."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlmodel import Session, select

from agent.messages import Incoming
from agent.policies.offline import OfflinePolicy
from agent.runtime import Agent
from tests.support import postgres
from tests.tools.factories import CATALOG_DIR
from tools.catalog import load_catalog
from tools.clock import INDIA, FixedClock
from tools.db import migrate
from tools.db.engine import make_engine
from tools.db.models import Application, Payment
from tools.payments.capture import capture
from tools.payments.sandbox import SandboxGateway
from tools.settings import Settings
from tools.toolkit.build import TARIFF_FILE_NAME
from tools.toolkit.runtime import ToolRuntime

pytestmark = pytest.mark.skipif(not postgres.available(), reason="PostgreSQL is not installed")


@pytest.fixture(scope="module")
def database_url():
    with postgres.cluster() as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def runtime(database_url, tmp_path):
    engine = make_engine(database_url)
    return ToolRuntime(
        engine=engine,
        clock=FixedClock(datetime(2026, 11, 25, 10, 0, tzinfo=INDIA)),
        catalog=load_catalog(CATALOG_DIR),
        settings=Settings(data_dir=tmp_path, database_url=database_url),
        gateway=SandboxGateway.at(f"sqlite:///{tmp_path / 'gw.db'}", "http://test"),
        tariff_path=CATALOG_DIR / TARIFF_FILE_NAME,
    )


def test_migrations_reach_head_on_postgres(database_url):
    assert migrate.current(database_url) is not None


def test_numbering_is_gap_free_under_concurrent_starts(runtime):
    def start(index: int) -> str:
        outcome = runtime.call(f"9198{index:08d}", "start_application",
                               {"service_id": "caste_certificate"}, idempotency_key=f"k{index}")
        assert outcome.ok, outcome.error
        return outcome.result.application.number

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = sorted(pool.map(start, range(12)))
    serials = [int(number.rsplit("-", 1)[1]) for number in numbers]
    assert serials == list(range(serials[0], serials[0] + 12))


def test_idempotent_writes_and_payment_capture_on_postgres(runtime):
    wa_id = "919899999999"
    first = runtime.call(wa_id, "start_application", {"service_id": "marriage_certificate"},
                         idempotency_key="same")
    again = runtime.call(wa_id, "start_application", {"service_id": "marriage_certificate"},
                         idempotency_key="same")
    assert again.replayed and again.result == first.result
    number = first.result.application.number
    runtime.call(wa_id, "set_application_fields",
                 {"application_number": number, "values": {"act": "HMA"}}, idempotency_key="f")
    order = runtime.call(wa_id, "create_payment", {"application_number": number},
                         idempotency_key="p")
    assert order.ok and order.result.amount_rupees == 100
    with Session(runtime.engine) as session:
        payment = session.get(Payment, order.result.payment_id)
        receipt = capture(session, runtime.clock, payment, gateway_payment_id="pay_pg",
                          amount_paise=payment.amount_paise, mode="upi")
        session.commit()
        assert receipt.number.startswith("RCPT-2026-")
        stored = session.exec(select(Application).where(Application.number == number)).one()
        assert stored.created_at.tzinfo is not None


def test_conversation_checkpoints_on_postgres(runtime, database_url):
    checkpoints = database_url.replace("postgresql+psycopg://", "postgresql://")
    agent = Agent(tools=runtime, knowledge=None, policy=OfflinePolicy(),
                  checkpoint_location=checkpoints, max_steps=8)
    agent.handle_turn(Incoming(message_id="pg-1", citizen_id="919877777777",
                               text="learner licence chahiye"))
    restarted = Agent(tools=runtime, knowledge=None, policy=OfflinePolicy(),
                      checkpoint_location=checkpoints, max_steps=8)
    result = restarted.handle_turn(Incoming(message_id="pg-2", citizen_id="919877777777",
                                            text="Rahul Verma"))
    assert [call.name for call in result.tool_calls] == ["set_application_fields"]


def test_worker_leases_hold_on_postgresql(database_url):
    from tests.whatsapp.test_leases import check_leases

    check_leases(make_engine(database_url))


def test_insert_or_ignore_tells_a_duplicate_on_postgresql(database_url):
    from whatsapp.sql import insert_ignore
    from whatsapp.store_models import ChannelEvent

    row = {"digest": "d" * 64, "field": "f", "phone_number_id": None, "reason": "r",
           "received_at": datetime(2026, 12, 3, 10, 0, tzinfo=INDIA), "raw": {}}
    with Session(make_engine(database_url)) as session:
        assert insert_ignore(session, ChannelEvent, row, "digest")
        assert not insert_ignore(session, ChannelEvent, row, "digest")
        session.rollback()
