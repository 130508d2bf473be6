"""Per-citizen leases: two workers share one inbox without ever sharing a citizen."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from agent.messages import Incoming, Reply, TextReply
from tools.clock import SystemClock
from whatsapp import leases
from whatsapp.departments import DepartmentNumbers, Number
from whatsapp.events import parse_webhook
from whatsapp.inbox import store_webhook
from whatsapp.store_models import InboxMessage, OutboxMessage
from whatsapp.webhook_bodies import message_body
from whatsapp.worker import InboxWorker
from whatsapp.writer import Writer

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
GENERAL = "100000000000004"
NUMBERS = DepartmentNumbers([Number(GENERAL, "general", general=True)])


def test_a_lease_is_one_workers_until_given_back_or_run_out(engine) -> None:
    check_leases(engine)


def check_leases(engine: Engine) -> None:
    """Take, renew, give back and expire one citizen's lease (SQLite here, PostgreSQL too)."""
    with Session(engine) as session:
        assert leases.take(session, "9198", "a", NOW)
        assert not leases.take(session, "9198", "b", NOW)
        assert leases.take(session, "9198", "a", NOW + timedelta(seconds=5))  # renewed
        leases.give_back(session, "9198", "b")  # not b's: nothing happens
        assert not leases.take(session, "9198", "b", NOW + timedelta(seconds=10))
        leases.give_back(session, "9198", "a")
        assert leases.take(session, "9198", "b", NOW + timedelta(seconds=10))
        # b dies holding it: a gets the citizen once the lease has run out, not before.
        later = NOW + timedelta(seconds=10 + leases.LEASE_SECONDS)
        assert not leases.take(session, "9198", "a", later - timedelta(seconds=1))
        assert leases.take(session, "9198", "a", later + timedelta(seconds=1))
        session.commit()


class Noting:
    """Notes which worker handled each message, and how many turns ran at once per citizen."""

    def __init__(self, name: str, seen: list[tuple[str, str, str]], busy: dict[str, int],
                 lock: threading.Lock) -> None:
        self.name, self.seen, self.busy, self.lock = name, seen, busy, lock

    def handle(self, incoming: Incoming) -> list[Reply]:
        with self.lock:
            self.busy[incoming.citizen_id] = self.busy.get(incoming.citizen_id, 0) + 1
            assert self.busy[incoming.citizen_id] == 1, "two turns of one citizen at once"
        time.sleep(0.02)
        with self.lock:
            self.busy[incoming.citizen_id] -= 1
            self.seen.append((self.name, incoming.citizen_id, incoming.text))
        return [TextReply(body=f"answer to {incoming.text}")]


def test_two_workers_share_the_inbox_and_keep_each_citizens_order(engine) -> None:
    citizens = [f"9198000001{n:02d}" for n in range(6)]
    with Session(engine) as session:
        for n in range(60):
            _, body = message_body(
                phone_number_id=GENERAL, display_phone_number="+91",
                citizen=citizens[n % 6], name="A",
                content={"type": "text", "text": {"body": f"m{n}"}}, timestamp=1_700_000_000 + n,
            )
            store_webhook(session, parse_webhook(body), NUMBERS, NOW)
        session.commit()
    seen: list[tuple[str, str, str]] = []
    busy: dict[str, int] = {}
    lock = threading.Lock()

    async def run_two() -> None:
        workers = [
            InboxWorker(engine=engine, writer=Writer(engine), numbers=NUMBERS,
                        handler=Noting(name, seen, busy, lock), clock=SystemClock(),
                        concurrency=3, poll_interval=0.05, name=name)
            for name in ("one", "two")
        ]
        for worker in workers:
            await worker.start()
        deadline = time.monotonic() + 30
        while len(seen) < 60 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for worker in workers:
            await worker.stop()

    asyncio.run(run_two())

    assert sorted(int(text[1:]) for _, _, text in seen) == list(range(60))  # each once
    assert {name for name, _, _ in seen} == {"one", "two"}  # both took part
    for citizen in citizens:
        mine = [int(text[1:]) for _, who, text in seen if who == citizen]
        assert mine == sorted(mine)
    with Session(engine) as session:
        assert {row.state for row in session.exec(select(InboxMessage))} == {"done"}
        assert len(session.exec(select(OutboxMessage)).all()) == 60
