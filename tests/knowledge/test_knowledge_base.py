from pathlib import Path

import pytest

from knowledge.base import EmbedderMismatchError, KnowledgeBase
from knowledge.embedders import Embedder
from knowledge.manifest import Manifest
from knowledge.results import AddStatus
from tests.knowledge.conftest import BIRTH_EN, LICENCE_EN, TAX_HI, HashEmbedder, write_doc
from tools.settings import Settings


def _load(kb: KnowledgeBase, folder: Path) -> None:
    write_doc(folder, "bc-en", BIRTH_EN)
    write_doc(
        folder,
        "pt-hi",
        TAX_HI,
        title="संपत्ति कर",
        service="property_tax",
        language="hi",
        source_url="https://mcdonline.nic.in/portal",
    )
    write_doc(
        folder,
        "ll-en",
        LICENCE_EN,
        title="Learner's licence",
        service="learner_licence",
        department="transport",
        source_url="https://sarathi.parivahan.gov.in/",
    )
    report = kb.add_paths([folder])
    assert report.count(AddStatus.ADDED) == 3, report


def test_add_skip_replace_and_remove(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _load(kb, docs)
    assert [info.id for info in kb.list()] == ["bc-en", "ll-en", "pt-hi"]
    assert {info.id: info.chunk_count for info in kb.list()}["bc-en"] == 2

    # Unchanged: skipped.
    again = kb.add_paths([docs])
    assert again.count(AddStatus.SKIPPED) == 3 and again.chunks_written == 0

    # Changed: replaced, and only the new version's chunks are found.
    write_doc(docs, "bc-en", BIRTH_EN + "\n## Copies\nEach extra copy costs ₹5.\n")
    replaced = kb.add_paths([docs / "bc-en.md"])
    assert replaced.outcomes[0].status is AddStatus.REPLACED
    assert kb.show("bc-en") is not None and len(kb.show("bc-en").chunks) == 3  # type: ignore[union-attr]
    hits = kb.search("extra copy of birth certificate cost", limit=10).hits
    assert sum(1 for hit in hits if hit.citation.doc_id == "bc-en") == 3

    # Removed: gone from the list and from search.
    assert kb.remove("bc-en") is True
    assert kb.remove("bc-en") is False
    assert all(hit.citation.doc_id != "bc-en" for hit in kb.search("birth late fee").hits)


def test_failures_carry_reasons_and_do_not_stop_the_rest(kb: KnowledgeBase, tmp_path: Path) -> None:
    good = write_doc(tmp_path, "bc-en", BIRTH_EN)
    bad = tmp_path / "bad.md"
    bad.write_text("---\nid: Bad Id!\ntitle: x\nlanguage: en\n---\ntext", encoding="utf-8")
    report = kb.add_paths([bad, tmp_path / "missing.md", good])
    reasons = {Path(o.source).name: o.reason for o in report.outcomes}
    assert "id" in (reasons["bad.md"] or "")
    assert reasons["missing.md"] == "no such file"
    assert report.count(AddStatus.ADDED) == 1


def test_search_returns_citations_and_crosses_languages(kb: KnowledgeBase, tmp_path: Path) -> None:
    _load(kb, tmp_path / "docs")

    # Hindi question, English document.
    result = kb.search("जन्म का पंजीकरण कितने दिन में कराना होता है")
    assert result.found
    top = result.hits[0]
    assert top.citation.doc_id == "bc-en"
    assert top.citation.heading == "The 21-day rule"
    assert top.citation.title == "Birth certificate"
    assert top.citation.source_url == "https://mcdonline.nic.in/"
    assert top.similarity is not None and top.score > 0

    # English question, Hindi document; an exact term.
    result = kb.search("When is the property tax rebate deadline?")
    assert result.hits[0].citation.doc_id == "pt-hi"
    assert kb.search("UPIC").hits[0].citation.heading == "UPIC"


def test_unrelated_question_is_not_answered(kb: KnowledgeBase, tmp_path: Path) -> None:
    _load(kb, tmp_path / "docs")
    result = kb.search("what is the capital of France")
    assert result.found is False and result.hits == []


def test_filters_by_service_department_and_language(kb: KnowledgeBase, tmp_path: Path) -> None:
    _load(kb, tmp_path / "docs")
    query = "fees"
    assert {h.service for h in kb.search(query, service="learner_licence", limit=10).hits} == {
        "learner_licence"
    }
    assert {h.department for h in kb.search(query, department="transport", limit=10).hits} == {
        "transport"
    }
    assert {h.language for h in kb.search("छूट", language="hi", limit=10).hits} == {"hi"}


def test_interrupted_load_leaves_nothing_behind(
    settings: Settings, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase.open(settings, embedder=embedder)
    path = write_doc(tmp_path / "docs", "bc-en", BIRTH_EN)

    # The process dies after the chunks are written and before the manifest commit.
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Manifest, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        kb.add_paths([path])
    assert kb._store.count() == 2  # written, but never committed
    assert kb.search("birth registration 21 days").hits == []
    kb.close()
    monkeypatch.undo()

    reopened = KnowledgeBase.open(settings, embedder=embedder)
    assert reopened.list() == []
    assert reopened._store.count() == 0
    assert reopened.add_paths([path]).count(AddStatus.ADDED) == 1
    reopened.close()


def test_knowledge_base_persists_across_opens(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    first = KnowledgeBase.open(settings, embedder=embedder)
    _load(first, tmp_path / "docs")
    first.close()
    second = KnowledgeBase.open(settings, embedder=embedder)
    assert len(second.list()) == 3
    assert second.search("learner licence test fee").hits[0].citation.doc_id == "ll-en"
    second.close()


def test_other_embedder_is_refused_until_rebuild(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    original = KnowledgeBase.open(settings, embedder=embedder)
    _load(original, tmp_path / "docs")
    original.close()

    other = KnowledgeBase.open(settings, embedder=HashEmbedder())
    with pytest.raises(EmbedderMismatchError, match="nagrik kb rebuild"):
        other.search("fees")
    outcome = other.add_paths([write_doc(tmp_path / "more", "x-en", BIRTH_EN)]).outcomes[0]
    assert outcome.status is AddStatus.FAILED and "rebuild" in (outcome.reason or "")
    assert len(other.list()) == 3  # listing still works

    report = other.rebuild()
    assert len(report.outcomes) == 3 and report.chunks_written == 6
    assert other.mismatch is None
    assert other.search("fees", min_score=-1.0).hits
    other.close()

    # And the original embedder is now the stranger.
    back = KnowledgeBase.open(settings, embedder=embedder)
    assert back.mismatch is not None and "test-hash" in back.mismatch
    back.close()
