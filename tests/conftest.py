"""Test-wide set-up: nothing reaches the network, nothing writes outside tmp folders."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.pop("LANGSMITH_TRACING", None)
os.environ.pop("LANGCHAIN_TRACING_V2", None)


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def sample_knowledge(tmp_path_factory):
    """The sample knowledge base, built once per test session and shared read-only."""
    from knowledge.base import KnowledgeBase
    from tools.settings import Settings

    folder = tmp_path_factory.mktemp("sample-kb")
    settings = Settings(data_dir=folder, kb_dir=folder / "kb")
    knowledge = KnowledgeBase.open(settings)
    report = knowledge.add_paths([settings.kb_sample_dir])
    assert report.count("failed") == 0, report
    yield knowledge
    knowledge.close()
