"""What the knowledge base answers with: documents listed, load outcomes, hits with citations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentInfo(BaseModel):
    """One document as editors see it in a list."""

    id: str
    title: str
    service: str | None
    department: str | None
    language: str
    source_url: str | None
    sources: list[str] = Field(default_factory=list)
    effective_date: date | None
    format: str
    path: str | None
    content_hash: str
    chunk_count: int
    added_at: datetime
    updated_at: datetime


class ChunkInfo(BaseModel):
    """One chunk of a document, for `kb show`."""

    ordinal: int
    heading: str
    text: str


class DocumentDetail(BaseModel):
    """A document with its chunks."""

    info: DocumentInfo
    chunks: list[ChunkInfo]


class AddStatus(StrEnum):
    """What adding one document did."""

    ADDED = "added"
    REPLACED = "replaced"
    SKIPPED = "skipped"  # same content hash as the stored version
    FAILED = "failed"


class AddOutcome(BaseModel):
    """The result of adding one file or upload."""

    source: str = Field(description="File path or upload name.")
    status: AddStatus
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = Field(default=None, description="Why it failed, for the editor.")


class AddReport(BaseModel):
    """The result of adding many files, with loading throughput."""

    outcomes: list[AddOutcome] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: AddStatus) -> int:
        """How many outcomes have a status."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def chunks_written(self) -> int:
        """Chunks embedded and stored (skipped documents write none)."""
        return sum(
            outcome.chunks
            for outcome in self.outcomes
            if outcome.status in (AddStatus.ADDED, AddStatus.REPLACED)
        )

    @property
    def chunks_per_second(self) -> float:
        """Loading throughput."""
        return self.chunks_written / self.seconds if self.seconds > 0 else 0.0


class Citation(BaseModel):
    """Where a passage comes from, to show the citizen."""

    doc_id: str
    title: str
    heading: str = Field(description="Section path inside the document, `A › B`.")
    source_url: str | None
    effective_date: date | None = None


class Hit(BaseModel):
    """One passage found for a query."""

    chunk_id: str
    text: str
    score: float = Field(description="Fused rank score; higher is better.")
    similarity: float | None = Field(
        default=None, description="Cosine similarity of query and passage, if vector search saw it."
    )
    lexical_score: float | None = Field(default=None, description="BM25 score, if any.")
    service: str | None
    department: str | None
    language: str
    citation: Citation


class SearchResult(BaseModel):
    """Passages for a query, or `found=False` when nothing is close enough to answer."""

    query: str
    found: bool
    hits: list[Hit]
    best_similarity: float | None = None
    min_score: float
    milliseconds: float
