from pathlib import Path

import pytest
from pydantic import ValidationError

from knowledge.base import KnowledgeBase
from knowledge.search_tool import SearchKnowledgeInput, search_knowledge
from tests.knowledge.conftest import BIRTH_EN, write_doc


def test_search_knowledge_returns_passages_with_citations(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.add_paths([write_doc(tmp_path, "bc-en", BIRTH_EN)])
    result = search_knowledge(
        kb, SearchKnowledgeInput(query="janm ka registration kitne din me", service=None)
    )
    assert result.found
    assert result.passages[0].citation.source_url == "https://mcdonline.nic.in/"
    assert "21" in result.passages[0].text
    assert len(result.citations) == len({(c.doc_id, c.heading) for c in result.citations})


def test_search_knowledge_says_not_found(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.add_paths([write_doc(tmp_path, "bc-en", BIRTH_EN)])
    result = search_knowledge(kb, SearchKnowledgeInput(query="how is the weather in Paris"))
    assert result.found is False and result.passages == [] and result.note


def test_search_knowledge_filters_by_service(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.add_paths([write_doc(tmp_path, "bc-en", BIRTH_EN)])
    args = SearchKnowledgeInput(query="late fee", service="property_tax")
    assert search_knowledge(kb, args).found is False


def test_input_schema_is_described_for_the_model() -> None:
    schema = SearchKnowledgeInput.model_json_schema()
    assert "Do not translate" in schema["properties"]["query"]["description"]
    assert "birth_certificate" in schema["properties"]["service"]["description"]
    with pytest.raises(ValidationError):
        SearchKnowledgeInput(query="")
