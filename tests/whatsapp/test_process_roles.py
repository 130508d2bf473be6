"""The channel split over processes: server, worker, sender, and the fake Graph API alone."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from tests.whatsapp.conftest import GENERAL, Server, free_port, make_settings
from tools.settings import Settings
from whatsapp.app import create_app
from whatsapp.bench_stack import run_stack
from whatsapp.outbox import outbox_row
from whatsapp.render import Outgoing
from whatsapp.sender import _claim_due
from whatsapp.sql import insert_ignore
from whatsapp.store_models import OutboxMessage

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def queue(session: Session, key: str, citizen: str = "919800000077") -> None:
    values = outbox_row(key, Outgoing("text", {"type": "text", "text": {"body": "hello"}}),
                        citizen_key=citizen, phone_number_id=GENERAL, department=None,
                        now=NOW)
    insert_ignore(session, OutboxMessage, values, "key")


def test_a_claim_takes_each_due_row_once(engine) -> None:
    with Session(engine) as session:
        for n in range(3):
            queue(session, f"m{n}:0")
        session.commit()
        first = _claim_due(session, NOW, 2)
        second = _claim_due(session, NOW, 10)
        third = _claim_due(session, NOW, 10)
        session.commit()
    assert [row.key for row in first] == ["m0:0", "m1:0"]
    assert [row.key for row in second] == ["m2:0"]
    assert third == []


def test_a_sender_alone_sends_what_another_process_queued(tmp_path: Path) -> None:
    sent: list[dict] = []

    def graph(request: httpx.Request) -> httpx.Response:
        sent.append(httpx.Response(200, content=request.content).json())
        return httpx.Response(200, json={"messages": [{"id": f"wamid.{len(sent)}"}]})

    port = free_port()
    settings = make_settings(tmp_path, port)
    app = create_app(settings, inline_worker=False, sender=True, simulator=False,
                     create_tables=True, transport=httpx.MockTransport(graph),
                     poll_seconds=0.05)
    with Server(app, port):
        engine = app.state.channel.engine
        with Session(engine) as session:
            queue(session, "from-worker:0")
            session.commit()
        deadline = time.monotonic() + 10
        while not sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.channel.worker is None
    assert [body["to"] for body in sent] == ["919800000077"]
    with Session(engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.state, row.wamid) == ("accepted", "wamid.1")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads CPU time from /proc")
def test_bench_stack_runs_every_process_and_loses_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    result = run_stack(settings, rate=20, seconds=2, citizens=5, echo=True,
                       warmup_seconds=0, keep_dir=tmp_path / "stack")
    assert result.bench.sent == result.bench.acknowledged == 40
    assert result.bench.errors == 0 and result.bench.lost == 0
    assert set(result.cpu_ms_per_message) == {"fake", "server", "worker", "sender"}
    # The server acknowledged without running a handler: the worker process answered.
    assert "worker in process" not in (tmp_path / "stack" / "server.log").read_text()
