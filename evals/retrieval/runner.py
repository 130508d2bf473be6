"""The retrieval eval: questions asked of a knowledge base, scored per language.

Each question names the service (and optionally words) that answer it; the scores are
recall@1, recall@3, MRR and query latency.
"""

from __future__ import annotations

import json
import logging
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from knowledge.base import KnowledgeBase
from knowledge.embedders import Embedder
from knowledge.results import Hit, SearchResult
from tools.settings import Settings

logger = logging.getLogger(__name__)

QUESTIONS_FILE = Path(__file__).parent / "questions.yaml"
LANGUAGES = ("hi", "hi-Latn", "en")
# Hits fetched per question: MRR counts a first correct hit down to this rank.
DEPTH = 10


class RetrievalQuestion(BaseModel):
    """One question and what counts as a right answer."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    language: Literal["hi", "hi-Latn", "en"]
    expect_service: str | None = Field(description="None: nothing should be found.")
    expect_text_any: list[str] = Field(default_factory=list)
    section: str | None = Field(default=None, description="The answering section, for readers.")

    def accepts(self, hit: Hit) -> bool:
        """Whether a hit answers the question."""
        if hit.service != self.expect_service:
            return False
        text = hit.text.casefold()
        return not self.expect_text_any or any(
            want.casefold() in text for want in self.expect_text_any
        )


def load_questions(paths: Sequence[Path]) -> list[RetrievalQuestion]:
    """Questions from YAML files (each a list); ids must be unique across files."""
    adapter = TypeAdapter(list[RetrievalQuestion])
    questions: list[RetrievalQuestion] = []
    for path in paths:
        questions.extend(adapter.validate_python(yaml.safe_load(path.read_text("utf-8")) or []))
    ids = [question.id for question in questions]
    duplicates = sorted({qid for qid in ids if ids.count(qid) > 1})
    if duplicates:
        raise ValueError(f"duplicate question ids: {', '.join(duplicates)}")
    return questions


def sample_knowledge_base(
    workdir: Path, docs: Path, embedder: Embedder | None = None
) -> tuple[KnowledgeBase, dict[str, float]]:
    """A fresh embedded knowledge base in `workdir` loaded from `docs`, with load figures."""
    settings = Settings(data_dir=workdir, kb_dir=workdir / "kb", kb_chroma_host=None)
    kb = KnowledgeBase.open(settings, embedder=embedder)
    report = kb.add_paths([docs])
    failed = [f"{o.source}: {o.reason}" for o in report.outcomes if o.reason]
    if failed:
        raise ValueError("sample documents failed to load: " + "; ".join(failed))
    load = {
        "documents": len(report.outcomes),
        "chunks": report.chunks_written,
        "seconds": round(report.seconds, 3),
        "chunks_per_second": round(report.chunks_per_second, 2),
    }
    return kb, load


def evaluate(kb: KnowledgeBase, questions: Sequence[RetrievalQuestion]) -> dict[str, Any]:
    """Ask every question and score the answers; the result is what results.json holds."""
    # The first search builds the lexical index; keep it out of the latencies.
    kb.search("warm-up", limit=1)

    rows: list[dict[str, Any]] = []
    for question in questions:
        started = time.perf_counter()
        result = kb.search(question.question, limit=DEPTH)
        milliseconds = (time.perf_counter() - started) * 1000
        rows.append(_score(question, result, milliseconds))

    answerable = [row for row in rows if row["expect_service"] is not None]
    unanswerable = [row for row in rows if row["expect_service"] is None]
    summary: dict[str, Any] = {
        "questions": len(answerable),
        **_metrics(answerable),
        "latency_ms_p95": _percentile([row["ms"] for row in rows], 95),
        "min_score": kb.min_score,
        "embedder": kb.embedder.name,
        "by_language": {
            language: {
                "questions": len([row for row in answerable if row["language"] == language]),
                **_metrics([row for row in answerable if row["language"] == language]),
                "latency_ms_p95": _percentile(
                    [row["ms"] for row in rows if row["language"] == language], 95
                ),
            }
            for language in LANGUAGES
        },
        "abstention": {
            "questions": len(unanswerable),
            "correct": sum(1 for row in unanswerable if not row["found"]),
        },
        "misses": [row for row in answerable if row["rank"] is None or row["rank"] > 3],
        "answered_wrongly": [row for row in unanswerable if row["found"]],
    }
    return summary


def _score(
    question: RetrievalQuestion, result: SearchResult, milliseconds: float
) -> dict[str, Any]:
    rank = None
    if question.expect_service is not None:
        rank = next(
            (index for index, hit in enumerate(result.hits, 1) if question.accepts(hit)), None
        )
    return {
        "id": question.id,
        "language": question.language,
        "question": question.question,
        "expect_service": question.expect_service,
        "rank": rank,
        "found": result.found,
        "best_similarity": result.best_similarity,
        "top": [f"{hit.citation.doc_id} › {hit.citation.heading}" for hit in result.hits[:3]],
        "ms": round(milliseconds, 2),
    }


def _metrics(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    if not rows:
        return {"recall_at_1": None, "recall_at_3": None, "mrr": None, "latency_ms_p50": None}
    ranks = [row["rank"] for row in rows]
    return {
        "recall_at_1": round(sum(1 for r in ranks if r == 1) / len(rows), 4),
        "recall_at_3": round(sum(1 for r in ranks if r is not None and r <= 3) / len(rows), 4),
        "mrr": round(sum(1 / r for r in ranks if r) / len(rows), 4),
        "latency_ms_p50": _percentile([row["ms"] for row in rows], 50),
    }


def _percentile(values: Sequence[float], percent: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 2)


def run(
    question_files: Sequence[Path],
    docs: Path | None = None,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Run the eval on a fresh knowledge base of `docs`, or on the configured one if no docs."""
    questions = load_questions(question_files)
    if docs is None:
        kb = KnowledgeBase.open(settings or Settings(), embedder=embedder)
        try:
            return evaluate(kb, questions)
        finally:
            kb.close()

    with tempfile.TemporaryDirectory(prefix="nagrik-retrieval-") as workdir:
        kb, load = sample_knowledge_base(Path(workdir), docs, embedder)
        try:
            return {**evaluate(kb, questions), "load": load}
        finally:
            kb.close()


def write_results(summary: dict[str, Any], out: Path) -> Path:
    """Write results.json into a folder; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
