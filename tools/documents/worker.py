"""A background runner for OCR, so that a slow scan never holds up the webhook.

The webhook stores the document (`receive_document`) and calls `submit`; a thread pool reads
it with its own database session and hands the outcome to `on_done` (the agent uses it to
tell the citizen what was read). Tesseract runs in a child process, so threads are enough.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from sqlmodel import Session

from tools.documents.service import OcrOutcome, pending_document_ids, run_ocr
from tools.documents.vault import Vault

logger = logging.getLogger(__name__)


class OcrWorker:
    """Runs `run_ocr` for submitted documents on a small thread pool."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        vault: Vault,
        *,
        workers: int = 1,
        max_pixels: int = 40_000_000,
        on_done: Callable[[OcrOutcome], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._vault = vault
        self._max_pixels = max_pixels
        self._on_done = on_done
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ocr")
        self._futures: set[Future[OcrOutcome]] = set()
        self._lock = threading.Lock()

    def submit(self, document_id: int, **context: Any) -> Future[OcrOutcome]:
        """Queue a document for reading; `context` goes to `run_ocr` (service, slot, fields)."""
        future = self._pool.submit(self._run, document_id, context)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def resume_pending(self) -> int:
        """Queue every document still pending (after a restart); returns how many."""
        with self._session_factory() as session:
            ids = pending_document_ids(session)
        for document_id in ids:
            self.submit(document_id)
        return len(ids)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every submitted document is done; False if the timeout passed first."""
        with self._lock:
            futures = set(self._futures)
        _done, not_done = wait(futures, timeout=timeout)
        return not not_done

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with `wait`, finish what is queued first."""
        self._pool.shutdown(wait=wait)

    def _run(self, document_id: int, context: dict[str, Any]) -> OcrOutcome:
        try:
            with self._session_factory() as session:
                outcome = run_ocr(
                    session, self._vault, document_id, max_pixels=self._max_pixels, **context
                )
        except Exception:
            logger.exception("OCR of document %s failed", document_id)
            raise
        if self._on_done is not None:
            try:
                self._on_done(outcome)
            except Exception:
                logger.exception("the OCR callback failed for document %s", document_id)
        return outcome

    def _forget(self, future: Future[OcrOutcome]) -> None:
        with self._lock:
            self._futures.discard(future)
