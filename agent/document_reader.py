"""Reading attached documents off the request path and telling the conversation what was read.

After a turn attaches a document to a slot, the reader runs OCR on a small thread pool and
hands a `document_read` event to `deliver`, which puts it in the citizen's conversation like
any other event; a slow scan never holds up the webhook or the citizen's next message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sqlmodel import Session

from agent.document_events import document_read_event
from agent.messages import Incoming, IncomingKind
from agent.turns import TurnResult
from tools.db.models import Application, Document
from tools.documents.service import run_ocr
from tools.documents.vault import Vault
from tools.toolkit.lookups import field_values_of
from tools.toolkit.runtime import ToolRuntime

logger = logging.getLogger(__name__)


class DocumentReader:
    """Reads documents attached in a turn, now (`read`) or in the background (`after_turn`)."""

    def __init__(
        self,
        tools: ToolRuntime,
        vault: Vault,
        deliver: Callable[[Incoming], None] | None = None,
        workers: int = 1,
    ) -> None:
        self._tools = tools
        self._vault = vault
        self._deliver = deliver
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ocr")

    def attached_documents(self, incoming: Incoming, result: TurnResult) -> list[int]:
        """Documents that this turn attached to a slot."""
        if incoming.kind is not IncomingKind.DOCUMENT:
            return []
        return [
            int(call.arguments["document_id"])
            for call in result.tool_calls
            if call.name == "upload_document" and call.ok and "document_id" in call.arguments
        ]

    def after_turn(self, incoming: Incoming, result: TurnResult) -> list[Future[None]]:
        """Queue the documents attached in this turn for reading and delivery."""
        return [
            self._pool.submit(self._read_and_deliver, document_id, incoming)
            for document_id in self.attached_documents(incoming, result)
        ]

    def read(self, document_id: int, incoming: Incoming) -> Incoming | None:
        """Read one attached document now; the event to tell the citizen, or None.

        Pictures without text (photographs, signatures) are not read.
        """
        with Session(self._tools.engine) as session:
            document = session.get(Document, document_id)
            if document is None or document.application_id is None or not document.slot:
                return None
            application = session.get(Application, document.application_id)
            if application is None:
                return None
            service = self._tools.catalog.service(application.service_id)
            slot = document.slot
            if not service.document(slot).read_text:
                return None
            outcome = run_ocr(
                session,
                self._vault,
                document_id,
                service=service,
                application_fields=field_values_of(session, application),
                slot=slot,
                clock=self._tools.clock,
            )
            session.commit()
            return document_read_event(
                outcome,
                citizen_id=incoming.citizen_id,
                department=incoming.department,
                slot=slot,
                application_number=application.number,
            )

    def close(self) -> None:
        """Finish queued reads and stop the pool."""
        self._pool.shutdown(wait=True)

    def _read_and_deliver(self, document_id: int, incoming: Incoming) -> None:
        try:
            event = self.read(document_id, incoming)
        except Exception:  # one bad scan must not stop the pool or lose the next one
            logger.exception("reading document %s failed", document_id)
            return
        if event is not None and self._deliver is not None:
            self._deliver(event)
