import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, SQLModel, select

from tools.db.engine import make_engine
from whatsapp.departments import DepartmentNumbers, Number
from whatsapp.events import parse_webhook
from whatsapp.inbox import store_webhook
from whatsapp.store_models import InboxMessage, OutboxMessage
from whatsapp.webhook_bodies import message_body

ROOT = Path(__file__).resolve().parents[2]


def start(url: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.whatsapp.crash_worker", url, str(log)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_killed_worker_loses_nothing_and_answers_nothing_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    numbers = DepartmentNumbers([Number("100000000000004", "general", general=True)])
    ids = []
    with Session(engine) as session:
        for n in range(8):
            message_id, body = message_body(
                phone_number_id="100000000000004", display_phone_number="+91",
                citizen=f"91980000003{n % 2}", name="A",
                content={"type": "text", "text": {"body": f"m{n}"}}, timestamp=1_700_000_000 + n,
            )
            ids.append(message_id)
            store_webhook(session, parse_webhook(body), numbers, datetime.now(UTC))
        session.commit()

    log = tmp_path / "handled.log"
    first = start(url, log)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().split()) < 3):
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)  # mid-way: a message is being handled right now
    first.wait()
    with Session(engine) as session:
        done_before = len(session.exec(select(OutboxMessage)).all())
    assert 0 < done_before < 8

    second = start(url, log)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with Session(engine) as session:
                pending = session.exec(
                    select(InboxMessage).where(InboxMessage.state == "pending")
                ).all()
            if not pending:
                break
            time.sleep(0.05)
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait()

    with Session(engine) as session:
        inbox = session.exec(select(InboxMessage)).all()
        outbox = session.exec(select(OutboxMessage)).all()
    assert {row.state for row in inbox} == {"done"}
    assert sorted(row.key for row in outbox) == sorted(f"{i}:0" for i in ids)
    # Each citizen's answers were written in the order of their messages.
    for citizen in ("919800000030", "919800000031"):
        mine = [row.payload["text"]["body"] for row in sorted(outbox, key=lambda r: r.id or 0)
                if row.citizen_key == citizen]
        assert mine == sorted(mine, key=lambda text: int(text.split("m")[-1]))
