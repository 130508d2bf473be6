"""Run an inbox worker alone over a database until killed (for the crash test)."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from agent.messages import Incoming, Reply, TextReply
from tools.clock import SystemClock
from tools.db.engine import make_engine
from whatsapp.departments import DepartmentNumbers, Number
from whatsapp.worker import InboxWorker
from whatsapp.writer import Writer


class SlowHandler:
    """Takes a while per message and notes every call in a file."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def handle(self, incoming: Incoming) -> list[Reply]:
        with self.log.open("a") as handle:
            handle.write(incoming.message_id + "\n")
        time.sleep(0.25)
        return [TextReply(body=f"answer to {incoming.text}")]


async def main(url: str, log: Path) -> None:
    engine = make_engine(url)
    worker = InboxWorker(
        engine=engine, writer=Writer(engine), handler=SlowHandler(log),
        numbers=DepartmentNumbers([Number("100000000000004", "general", general=True)]),
        clock=SystemClock(), concurrency=2, poll_interval=0.2,
        name="crash-test-worker",  # restarted under its name, it takes its leases back at once
    )
    await worker.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
