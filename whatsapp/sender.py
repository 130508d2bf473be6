"""The outbox sender: delivers queued rows to the Cloud API, in order per citizen.

Rows are claimed (queued → sending), sent, and recorded with their wamid (→ accepted). A
retryable failure puts the row and the citizen's later rows back with a delay, so order holds;
a permanent one marks the row failed with Meta's error code. Rows left `sending` by a crash go
back to the queue on start: the Cloud API has no idempotency key, so a crash in the instant
between its answer and our commit can send that one message twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import bindparam, case, select, update
from sqlmodel import Session, col

from tools.clock import Clock
from whatsapp.client import CloudClient
from whatsapp.errors import GraphError, RetryableGraphError
from whatsapp.outbox import catch_up_statuses
from whatsapp.sql import execute, run, table_of
from whatsapp.store_models import OutboxMessage, OutboxState
from whatsapp.templates import TemplateMessage, TemplateRegistry
from whatsapp.timeutil import now_utc
from whatsapp.writer import Writer

logger = logging.getLogger(__name__)

T = TypeVar("T")


class OutboxSender:
    """Sends what the outbox holds, waking when told there is something new."""

    def __init__(
        self,
        *,
        writer: Writer,
        client: CloudClient,
        templates: TemplateRegistry,
        clock: Clock,
        batch: int = 200,
        parallel: int = 32,
        poll_interval: float = 1.0,
        max_attempts: int = 8,
    ) -> None:
        self._writer = writer
        self._client = client
        self._templates = templates
        self._clock = clock
        self._batch = batch
        self._parallel = asyncio.Semaphore(parallel)
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sent = 0

    async def start(self) -> None:
        """Requeue rows a crash left half sent, then start sending."""
        requeued = await self._writer.write(_requeue_sending)
        if requeued:
            logger.warning("outbox: %d messages left mid-send are queued again", requeued)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop sending; queued rows stay queued."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def wake(self) -> None:
        """There may be new rows to send (call from the event loop's thread)."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                sent_any = await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("outbox round failed")
                sent_any = False
            if not sent_any:
                try:
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval)
                except TimeoutError:
                    pass
            self._wake.clear()

    async def send_due(self) -> bool:
        """Send one batch of due rows; True when there were any."""
        # TODO(sender-rounds): a round waits for its slowest citizen, and a throttled send can
        # back off inside the client for up to 30 s; give each citizen its own task if Meta's
        # per-citizen limit (131056) starts to delay everyone else.
        rows = await self._writer.write(_claim_due, now_utc(self._clock), self._batch)
        if not rows:
            return False
        by_citizen: dict[str, list[OutboxMessage]] = {}
        for row in rows:
            by_citizen.setdefault(row.citizen_key, []).append(row)
        await asyncio.gather(*(self._send_in_order(group) for group in by_citizen.values()))
        return True

    async def _send_in_order(self, rows: list[OutboxMessage]) -> None:
        async with self._parallel:
            for index, row in enumerate(rows):
                if not await self._send_one(row):
                    # Keep the order: what follows a postponed row waits with it.
                    rest = [later.id for later in rows[index + 1 :] if later.id is not None]
                    await self._writer.write(_unclaim, rest)
                    return

    async def _send_one(self, row: OutboxMessage) -> bool:
        """Send one row and record the outcome; False when it was postponed."""
        try:
            if row.media_path and not row.media_id:
                row.media_id = await self._upload(row)
            wamid = await self._client.send(row.phone_number_id, self._request(row))
        except RetryableGraphError as error:
            attempts = row.attempts + 1
            if attempts < self._max_attempts:
                delay = min(300.0, 2.0**attempts)
                when = now_utc(self._clock) + timedelta(seconds=delay)
                await self._writer.write(_postpone, row, error, when)
                logger.warning("outbox %s postponed %.0fs: %s", row.id, delay, error)
                return False
            await self._writer.write(_fail, row, error, now_utc(self._clock))
            return True
        except (GraphError, OSError, ValueError) as error:
            await self._writer.write(_fail, row, error, now_utc(self._clock))
            logger.warning("outbox %s failed: %s", row.id, error)
            return True

        await self._writer.write(_accepted, row, wamid, now_utc(self._clock))
        self.sent += 1
        logger.debug("outbox %s sent as %s (key %s)", row.id, wamid, row.key)
        return True

    async def _upload(self, row: OutboxMessage) -> str:
        assert row.media_path is not None
        path = Path(row.media_path)
        data = await asyncio.to_thread(path.read_bytes)
        if row.kind == "template":
            message = TemplateMessage.model_validate(row.payload)
            mime, filename = message.header_mime_type, message.header_filename or path.name
        else:
            media = row.payload.get(row.kind, {})
            mime = "application/pdf" if row.kind == "document" else "image/png"
            mime = media.get("mime_type", mime)
            filename = media.get("filename") or path.name
        return await self._client.upload_media(row.phone_number_id, data, mime, filename)

    def _request(self, row: OutboxMessage) -> dict[str, Any]:
        """The send request of a row, addressed to its citizen."""
        request: dict[str, Any] = {"recipient_type": "individual"}
        if row.citizen_key.isdigit():
            request["to"] = row.citizen_key
        else:
            # TODO(bsuid): Meta's field for sending to a business-scoped user id without a
            # phone number is not settled in the docs we have; check it before enabling them.
            request["recipient"] = row.citizen_key
        if row.kind == "template":
            message = TemplateMessage.model_validate(row.payload)
            request["type"] = "template"
            request["template"] = self._templates.components(message, row.media_id)
        else:
            body = dict(row.payload)
            if row.kind in ("image", "document"):
                media = {k: v for k, v in body.get(row.kind, {}).items() if k != "mime_type"}
                body[row.kind] = {**media, "id": row.media_id}
            request |= body
        request["biz_opaque_callback_data"] = row.key
        return request


def _requeue_sending(session: Session) -> int:
    result = execute(
        session,
        update(OutboxMessage)
        .where(col(OutboxMessage.state) == OutboxState.SENDING)
        .values(state=OutboxState.QUEUED)
    )
    return int(result)


_OUTBOX = table_of(OutboxMessage)
_DUE = (
    select(_OUTBOX)
    .where(_OUTBOX.c.state == OutboxState.QUEUED.value)
    .where(_OUTBOX.c.next_attempt_at <= bindparam("now"))
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("limit"))
)
_CLAIM = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .where(_OUTBOX.c.state == OutboxState.QUEUED.value)
    .values(state=OutboxState.SENDING.value)
    .returning(_OUTBOX.c.id)
)
_ACCEPTED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row_id"))
    .values(
        wamid=bindparam("new_wamid"), media_id=bindparam("new_media_id"),
        accepted_at=bindparam("at"), status_at=bindparam("at"), attempts=bindparam("new_attempts"),
        # A status webhook may have moved the row on already: then only the wamid is recorded.
        state=case(
            (_OUTBOX.c.state == OutboxState.SENDING.value, OutboxState.ACCEPTED.value),
            else_=_OUTBOX.c.state,
        ),
    )
)


def _claim_due(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    rows = [
        OutboxMessage(**row._mapping)
        for row in run(session, _DUE, {"now": now, "limit": limit})
    ]
    ids = [row.id for row in rows if row.id is not None]
    if not ids:
        return []
    # Only the rows this claim moved: another sender may have taken some since the select.
    claimed = {row.id for row in run(session, _CLAIM, {"ids": ids})}
    return [row for row in rows if row.id in claimed]


def _unclaim(session: Session, ids: list[int]) -> None:
    if ids:
        execute(
            session,
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.state) == OutboxState.SENDING)
            .values(state=OutboxState.QUEUED)
        )


def _postpone(session: Session, row: OutboxMessage, error: GraphError, when: datetime) -> None:
    execute(
        session,
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row.id)
        .values(
            state=OutboxState.QUEUED, attempts=row.attempts + 1, next_attempt_at=when,
            media_id=row.media_id, error_code=error.code, error_title=str(error)[:300],
        )
    )
    # The citizen's later messages must not overtake this one.
    execute(
        session,
        update(OutboxMessage)
        .where(
            col(OutboxMessage.citizen_key) == row.citizen_key,
            col(OutboxMessage.id) > row.id,
            col(OutboxMessage.state).in_([OutboxState.QUEUED, OutboxState.SENDING]),
        )
        .values(state=OutboxState.QUEUED, next_attempt_at=when)
    )


def _fail(session: Session, row: OutboxMessage, error: Exception, now: datetime) -> None:
    code = error.code if isinstance(error, GraphError) else None
    detail = error.detail if isinstance(error, GraphError) else None
    execute(
        session,
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row.id)
        .values(
            state=OutboxState.FAILED, attempts=row.attempts + 1, status_at=now,
            error_code=code, error_title=str(error)[:300], error_detail=detail,
        )
    )


def _accepted(session: Session, row: OutboxMessage, wamid: str, now: datetime) -> None:
    run(session, _ACCEPTED, {"row_id": row.id, "new_wamid": wamid, "new_media_id": row.media_id,
                             "at": now, "new_attempts": row.attempts + 1})
    catch_up_statuses(session, wamid, now)
