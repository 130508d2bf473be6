"""The inbox worker: each citizen's messages in order, one at a time, many citizens at once.

A citizen is either waiting in the queue, being drained by one runner, or idle; a runner takes
the citizen's oldest pending message, builds an `Incoming` (fetching media first), runs the
handler in a thread, and writes the replies to the outbox while marking the message handled.
On start every pending message is picked up again, so a crash loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from agent.messages import ConversationHandler, IncomingKind, Reply, TextReply
from tools.clock import Clock
from whatsapp import inbox, leases
from whatsapp.client import CloudClient
from whatsapp.departments import DepartmentNumbers
from whatsapp.event_delivery import event_of, finish_event
from whatsapp.event_delivery import to_incoming as to_event_incoming
from whatsapp.events import InboundMessage, MessageKind
from whatsapp.inbox import citizen_ref
from whatsapp.incoming import UNSUPPORTED_NOTICE, to_incoming
from whatsapp.media import MediaRejected, MediaSink, fetch_media
from whatsapp.render import Outgoing, render
from whatsapp.store_models import InboxState
from whatsapp.templates import TemplateRegistry
from whatsapp.timeutil import now_utc
from whatsapp.writer import Writer

logger = logging.getLogger(__name__)

T = TypeVar("T")

APOLOGY = (
    "माफ़ कीजिए, अभी आपका संदेश नहीं संभाल पाए। थोड़ी देर बाद फिर लिखें।\n"
    "Sorry, we could not handle your message just now. Please write again in a little while."
)


class InboxWorker:
    """Drains the inbox: per citizen in order, across citizens in parallel.

    Besides WhatsApp messages it takes events (`kind=event`, see `whatsapp.event_delivery`)
    in the same queue. Several workers may share one inbox: a worker drains a citizen only
    while it holds the citizen's lease (`whatsapp.leases`).
    """

    def __init__(
        self,
        *,
        engine: Engine,
        writer: Writer,
        handler: ConversationHandler,
        numbers: DepartmentNumbers,
        clock: Clock,
        client: CloudClient | None = None,
        templates: TemplateRegistry | None = None,
        media_sink: MediaSink | None = None,
        max_media_bytes: int = 10 * 1024 * 1024,
        concurrency: int = 8,
        poll_interval: float = 2.0,
        max_attempts: int = 3,
        retry_wait: float = 1.0,
        on_replies: Callable[[], None] = lambda: None,
        name: str | None = None,
    ) -> None:
        self._engine = engine
        self._writer = writer
        self._handler = handler
        self._numbers = numbers
        self._clock = clock
        self._client = client
        self._templates = templates
        self._sink = media_sink
        self._max_media_bytes = max_media_bytes
        self._concurrency = max(1, concurrency)
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._retry_wait = retry_wait
        self._on_replies = on_replies
        self._threads = ThreadPoolExecutor(self._concurrency, thread_name_prefix="inbox")
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._active: set[str] = set()
        self._dirty: set[str] = set()
        # Citizens whose row this process has made sure of.
        self._known: set[str] = set()
        self._name = name or leases.worker_name()
        self._lease_taken: dict[str, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.handled = 0

    async def start(self) -> None:
        """Start the runners and pick up every message left pending."""
        for _ in range(self._concurrency):
            self._tasks.append(asyncio.create_task(self._runner()))
        self._tasks.append(asyncio.create_task(self._poller()))
        self._tasks.append(asyncio.create_task(self._renewer()))
        pending = await self._db(inbox.pending_citizens)
        if pending:
            logger.info("inbox worker resuming %d citizens with pending messages", len(pending))
        self.notify(pending)

    async def stop(self) -> None:
        """Stop taking work; what is half done stays pending for the next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self._threads.shutdown(wait=True, cancel_futures=True)

    def notify(self, citizen_keys: list[str]) -> None:
        """Tell the worker these citizens have new messages (from the event loop's thread)."""
        for key in citizen_keys:
            if key in self._active:
                self._dirty.add(key)
            elif key not in self._queued:
                self._queued.add(key)
                self._queue.put_nowait(key)

    async def idle(self) -> None:
        """Wait until no citizen is queued or being handled (for tests and benchmarks)."""
        while self._queued or self._active:
            await asyncio.sleep(0.01)

    async def _runner(self) -> None:
        while True:
            key = await self._queue.get()
            self._queued.discard(key)
            self._active.add(key)
            try:
                if await self._hold(key):
                    await self._drain_holding(key)
            except asyncio.CancelledError:
                raise  # a stopping worker's leases run out by themselves
            except Exception:
                logger.exception("inbox worker failed on citizen %s", citizen_ref(key))
            finally:
                self._active.discard(key)

    async def _drain_holding(self, key: str) -> None:
        """Drain a citizen whose lease we hold, then give the lease back."""
        try:
            await self._drain(key)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("inbox worker failed on citizen %s", citizen_ref(key))
        finally:
            self._lease_taken.pop(key, None)
        await self._writer.write(leases.give_back, key, self._name)

    async def _hold(self, key: str) -> bool:
        """Take or renew the citizen's lease; False when another worker has the citizen."""
        taken = self._lease_taken.get(key)
        if taken is not None and time.monotonic() - taken < leases.RENEW_SECONDS:
            return True
        held = await self._writer.write(leases.take, key, self._name, now_utc(self._clock))
        if held:
            self._lease_taken[key] = time.monotonic()
        else:
            self._lease_taken.pop(key, None)
            logger.debug("citizen %s is with another worker", citizen_ref(key))
        return held

    async def _renewer(self) -> None:
        """Keep the leases of citizens in hand while their turns run."""
        while True:
            await asyncio.sleep(leases.RENEW_SECONDS / 2)
            for key in [key for key in self._lease_taken if key in self._active]:
                try:
                    await self._hold(key)
                    if key not in self._active:  # finished while we renewed: give it back
                        self._lease_taken.pop(key, None)
                        await self._writer.write(leases.give_back, key, self._name)
                except Exception:
                    logger.exception("lease renewal failed")

    async def _poller(self) -> None:
        """Pick up messages stored by other processes or missed by a notification."""
        while True:
            await asyncio.sleep(self._poll_interval)
            try:
                self.notify(await self._db(inbox.pending_citizens))
            except Exception:
                logger.exception("inbox poll failed")

    async def _drain(self, key: str, limit: int = 20) -> None:
        while True:
            self._dirty.discard(key)
            rows = await self._db(inbox.next_pending, key, limit)
            handled_all = True
            for row in rows:
                if not await self._hold(key):
                    return  # our lease ran out mid-queue and another worker took the citizen
                if not await self._handle(row):
                    handled_all = False  # a failed attempt: read the queue again after the pause
                    break
            # Look again only if something may be left: a full page, a failure, or news
            # (`notify` marks a citizen in hand dirty; it runs on this loop, so no gap).
            if handled_all and len(rows) < limit and key not in self._dirty:
                return

    async def _handle(self, row: inbox.PendingMessage) -> bool:
        """Handle one message; False when it failed and stays pending for another try."""
        now = now_utc(self._clock)
        reply_number = row.phone_number_id or self._numbers.general.phone_number_id
        if row.kind == MessageKind.EVENT:
            return await self._handle_event(row)
        message = InboundMessage.model_validate(row.payload)

        if message.kind is MessageKind.SYSTEM:
            if message.system_type == "user_changed_number" and message.new_citizen_key:
                await self._writer.write(
                    inbox.change_number, row.citizen_key, message.new_citizen_key
                )
            await self._writer.write(
                partial(inbox.finish, reply_number=reply_number), row, [], InboxState.IGNORED, now
            )
            logger.info("system notice %s recorded", row.message_id)
            return True

        outcome = await self._attempt(row, self._replies(row, message), [TextReply(body=APOLOGY)])
        if outcome is None:
            return False
        replies, state, error = outcome
        outgoing: list[Outgoing] = [item for reply in replies for item in render(reply)]
        written = await self._writer.write(
            partial(inbox.finish, reply_number=reply_number, error=error,
                    citizen_now=self._clock.now()),
            row, outgoing, state, now_utc(self._clock),
        )
        if written:
            self._handled(row, reply_number, outgoing)
        return True

    async def _handle_event(self, row: inbox.PendingMessage) -> bool:
        """Run the agent on a queued event and send what it says (or the event's template)."""
        incoming = to_event_incoming(event_of(row))
        loop = asyncio.get_running_loop()
        produce = loop.run_in_executor(self._threads, self._handler.handle, incoming)
        # A failed event leaves no apology: the citizen wrote nothing; operators see the row.
        outcome = await self._attempt(row, produce, [])
        if outcome is None:
            return False
        replies, state, error = outcome
        written = await self._writer.write(
            partial(finish_event, numbers=self._numbers, templates=self._templates, error=error),
            row, list(replies), state, now_utc(self._clock),
        )
        if written is not None:
            self._handled(row, *written)
        return True

    async def _attempt(
        self, row: inbox.PendingMessage, produce: Awaitable[Sequence[Reply]],
        fallback: list[Reply],
    ) -> tuple[list[Reply], InboxState, str | None] | None:
        """The handler's replies, or after the last failed attempt `fallback`; None: try later."""
        try:
            return list(await produce), InboxState.DONE, None
        except Exception as exc:  # the handler is someone else's code: contain it
            attempts = await self._writer.write(inbox.record_attempt, row.id, type(exc).__name__)
            logger.error(
                "handler failed on %s %s (attempt %d): %s",
                row.kind, row.message_id, attempts, type(exc).__name__,
            )
            logger.debug("handler failure", exc_info=True)
            if attempts < self._max_attempts:
                await asyncio.sleep(self._retry_wait * attempts)
                return None
            return fallback, InboxState.FAILED, type(exc).__name__

    def _handled(
        self, row: inbox.PendingMessage, reply_number: str, outgoing: list[Outgoing]
    ) -> None:
        self.handled += 1
        logger.info(
            "%s %s handled: department=%s replies=%d",
            row.kind, row.message_id, row.department, len(outgoing),
        )
        self._on_replies()

    async def _replies(self, row: inbox.PendingMessage, message: InboundMessage) -> list[Reply]:
        reply_number = row.phone_number_id or self._numbers.general.phone_number_id
        if row.citizen_key not in self._known:
            # First message of this citizen since start: make sure the Citizen row exists.
            await self._writer.write(
                inbox.touch_citizen, row, message.citizen_name, self._clock.now()
            )
            self._known.add(row.citizen_key)
        # Read each time: another worker may have answered this citizen since.
        menu = await self._db(inbox.menu_of, row.citizen_key, reply_number)
        document_id, rejected = None, None
        if message.kind in (MessageKind.IMAGE, MessageKind.DOCUMENT):
            document_id, rejected = await self._store_media(row, message)

        incoming = to_incoming(message, row.department, menu, document_id, rejected)
        loop = asyncio.get_running_loop()
        replies = await loop.run_in_executor(self._threads, self._handler.handle, incoming)
        if incoming.kind is IncomingKind.UNSUPPORTED and not replies:
            replies = [TextReply(body=UNSUPPORTED_NOTICE)]
        return list(replies)

    async def _store_media(
        self, row: inbox.PendingMessage, message: InboundMessage
    ) -> tuple[int | None, str | None]:
        """Fetch and store the file of a message: (document id, None) or (None, reason)."""
        if message.media is None or self._client is None or self._sink is None:
            return None, "not_stored"
        try:
            media = await fetch_media(self._client, message.media, self._max_media_bytes)
            document_id = await self._db_call(
                partial(self._sink, citizen_key=row.citizen_key, media=media,
                        source_message_id=row.message_id)
            )
        except MediaRejected as rejected:
            logger.info("media of message %s refused: %s", row.message_id, rejected.reason)
            return None, rejected.reason
        logger.info("media of message %s stored as document %s", row.message_id, document_id)
        return document_id, None

    async def _db(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a read, `function(session, *args)`, in a worker thread with its own session."""

        def call() -> T:
            with Session(self._engine, expire_on_commit=False) as session:
                return function(session, *args, **kwargs)

        return await self._db_call(call)

    async def _db_call(self, call: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, call)

