"""Hybrid retrieval: vector search in Chroma and BM25, fused by rank, gated by similarity.

Vector search carries meaning across languages (a Hindi question finds an English passage);
BM25 carries exact terms ("UPIC", "Form 2"). Whether anything is close enough to answer is
judged on cosine similarity alone, because fused scores say nothing absolute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.embedders import Embedder
from knowledge.fusion import reciprocal_rank_fusion
from knowledge.lexical import LexicalIndex
from knowledge.results import Citation, Hit, SearchResult
from knowledge.vector_store import StoredChunk, VectorStore

# Candidates each ranking contributes before fusion.
CANDIDATES = 20
# A question written in Hinglish embeds poorly (e5 saw little romanised Hindi), so a passage
# holding most of its words is accepted down to this much below the similarity threshold.
LEXICAL_MARGIN = 0.05
LEXICAL_MIN_TERMS = 2
LEXICAL_MIN_SHARE = 0.5
# Vector search ranks better across languages, BM25 on exact terms; measured on evals/retrieval.
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.7
# When even the best passage is below the threshold (typically Hinglish), vector ranks are
# close to noise and the words decide more.
DENSE_WEIGHT_UNSURE = 0.4
# Lexical passages looked at to decide whether the query's words are found.
COVERAGE_DEPTH = 3


@dataclass(frozen=True)
class Filters:
    """Restrict a search to a service, a department and/or a language."""

    service: str | None = None
    department: str | None = None
    language: str | None = None

    def items(self) -> dict[str, str]:
        """The filters that are set."""
        values = {
            "service": self.service,
            "department": self.department,
            "language": self.language,
        }
        return {key: value for key, value in values.items() if value}

    def where(self) -> dict[str, Any] | None:
        """The filters as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = [{key: value} for key, value in self.items().items()]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def admits(self, metadata: dict[str, Any]) -> bool:
        """Whether a chunk's metadata passes the filters."""
        return all(metadata.get(key) == value for key, value in self.items().items())


class Retriever:
    """Searches the committed chunks of one collection."""

    def __init__(self, store: VectorStore, embedder: Embedder, chunks: list[StoredChunk]) -> None:
        self._store = store
        self._embedder = embedder
        self._chunks = {chunk.id: chunk for chunk in chunks}
        self._lexical = LexicalIndex(
            list(self._chunks), [indexed_text(chunk) for chunk in self._chunks.values()]
        )

    def search(self, query: str, filters: Filters, limit: int, min_score: float) -> SearchResult:
        """The best `limit` passages for a query, or none when nothing is similar enough."""
        started = time.perf_counter()

        # Vector search; chunks of uncommitted loads are ignored.
        vector = self._embedder.embed_query(query)
        dense = [
            hit
            for hit in self._store.query(vector, CANDIDATES, filters.where())
            if hit.id in self._chunks
        ]
        similarity = {hit.id: hit.similarity for hit in dense}

        # Exact terms.
        allowed = (
            {key for key, chunk in self._chunks.items() if filters.admits(chunk.metadata)}
            if filters.items()
            else None
        )
        lexical = dict(self._lexical.search(query, CANDIDATES, allowed))

        # Fuse, then gate on how close the best passage is.
        best = max(similarity.values(), default=None)
        sure = best is not None and best >= min_score
        fused = reciprocal_rank_fusion(
            [[hit.id for hit in dense], list(lexical)],
            [DENSE_WEIGHT if sure else DENSE_WEIGHT_UNSURE, LEXICAL_WEIGHT],
        )
        found = sure or (
            best is not None
            and best >= min_score - LEXICAL_MARGIN
            and self._words_match(query, lexical)
        )
        hits: list[Hit] = []
        if found:
            for chunk_id, score in fused:
                # A passage far from the query stays out unless its words match.
                if chunk_id not in lexical and similarity.get(chunk_id, 0.0) < min_score:
                    continue
                hits.append(_hit(self._chunks[chunk_id], score, similarity.get(chunk_id), lexical))
                if len(hits) == limit:
                    break

        return SearchResult(
            query=query,
            found=found and bool(hits),
            hits=hits,
            best_similarity=best,
            min_score=min_score,
            milliseconds=(time.perf_counter() - started) * 1000,
        )

    def _words_match(self, query: str, lexical: dict[str, float]) -> bool:
        """Whether one of the best lexical passages holds most of the query's words."""
        for chunk_id in list(lexical)[:COVERAGE_DEPTH]:
            matched, share = self._lexical.coverage(query, chunk_id)
            if matched >= LEXICAL_MIN_TERMS and share >= LEXICAL_MIN_SHARE:
                return True
        return False


def indexed_text(chunk: StoredChunk) -> str:
    """The text BM25 indexes: title, headings and passage, as the embedder saw them."""
    headings = [part for part in str(chunk.metadata.get("heading_path", "")).split("\x1f") if part]
    context = ". ".join([str(chunk.metadata.get("title", "")), *headings])
    return f"{context}\n{chunk.text}"


def _hit(
    chunk: StoredChunk, score: float, similarity: float | None, lexical: dict[str, float]
) -> Hit:
    metadata = chunk.metadata
    effective = str(metadata.get("effective_date") or "")
    return Hit(
        chunk_id=chunk.id,
        text=chunk.text,
        score=round(score, 6),
        similarity=None if similarity is None else round(similarity, 4),
        lexical_score=round(lexical[chunk.id], 4) if chunk.id in lexical else None,
        service=str(metadata.get("service") or "") or None,
        department=str(metadata.get("department") or "") or None,
        language=str(metadata.get("language", "")),
        citation=Citation(
            doc_id=str(metadata.get("doc_id", "")),
            title=str(metadata.get("title", "")),
            heading=str(metadata.get("heading", "")),
            source_url=str(metadata.get("source_url") or "") or None,
            effective_date=date.fromisoformat(effective) if effective else None,
        ),
    )
