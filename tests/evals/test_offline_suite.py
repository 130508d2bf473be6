"""The whole shipped scenario suite against the real offline agent."""

import importlib.util
from pathlib import Path

import pytest

from evals.scenarios.loading import load_scenarios
from evals.scenarios.runner import RunOptions
from evals.scenarios.shared_knowledge import KnowledgeUnavailable, build_shared_knowledge
from evals.scenarios.suite import run_suite
from tools.settings import Settings

SUITE = Path(__file__).resolve().parents[2] / "evals" / "suites" / "scenarios"

# TODO(lead): set from the measured offline pass rate (the issue aims at >= 0.95); 0.0 until
# the offline policy has been measured against the suite.
MIN_PASS_RATE = 0.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("agent.runtime") is None,
        reason="agent.runtime (the agent) is not written yet; the suite needs create_agent",
    ),
]


def test_offline_suite_pass_rate(tmp_path):
    settings = Settings(data_dir=tmp_path)
    try:
        knowledge = build_shared_knowledge(settings, tmp_path / "kb-shared")
    except KnowledgeUnavailable:
        knowledge = None  # questions then fail, which the pass rate shows
    document = run_suite(
        load_scenarios([SUITE]),
        RunOptions(policy="offline", settings=settings, knowledge=knowledge),
    )
    if knowledge is not None:
        knowledge.close()
    failing = [f"{s['id']}: {s['failures'][0]}" for s in document["scenarios"] if not s["passed"]]
    assert document["pass_rate"] >= MIN_PASS_RATE, "\n".join(failing)
