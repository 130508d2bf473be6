"""One writer thread for the channel's transactions, several to a commit (group commit).

SQLite takes one writer at a time and makes the others sleep in growing steps while they
wait. The channel therefore sends every write through this writer: callers queue a function
of a session and await its result; the writer runs what has queued up in one transaction and
commits once. Under load that is fewer, larger commits and no lock waits; when idle a write
runs at once. A batch that fails is retried one function per transaction, so one bad item
fails alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

logger = logging.getLogger(__name__)

T = TypeVar("T")
Job = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[Any]"]


class Writer:
    """Runs `function(session, *args)` calls in one thread, committing them in batches."""

    def __init__(self, engine: Engine, max_batch: int = 500) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="writer")
        self._jobs: list[Job] = []
        self._draining = False

    async def write(self, function: Callable[..., T], *args: Any) -> T:
        """Queue a write; return its result once it is committed. It must not commit itself."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.append((function, args, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    def close(self) -> None:
        """Stop the thread after the batch in progress."""
        self._thread.shutdown(wait=True)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._jobs:
                batch = self._jobs[: self._max_batch]
                del self._jobs[: self._max_batch]
                results = await loop.run_in_executor(self._thread, self._apply, batch)
                for (_, _, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = False
            if self._jobs:  # queued after the loop looked: start again
                self._draining = True
                loop.create_task(self._drain())

    def _apply(self, batch: list[Job]) -> list[Any]:
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                results = [function(session, *args) for function, args, _ in batch]
                session.commit()
            return results
        except Exception as error:
            if len(batch) == 1:
                return [error]
            logger.warning("a batch of %d writes failed; retrying one by one", len(batch))
        return [self._apply_one(job) for job in batch]

    def _apply_one(self, job: Job) -> Any:
        function, args, _ = job
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                result = function(session, *args)
                session.commit()
            return result
        except Exception as error:
            return error

