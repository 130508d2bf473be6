import json

import yaml
from typer.testing import CliRunner

from evals.cli import eval_app
from evals.scenarios import cli as scenarios_cli
from evals.scenarios import runner
from tests.evals.fake_agent import ScriptedAgent

CASES = [
    {
        "id": "greets",
        "tags": ["en"],
        "clock": "2026-11-25T10:00:00+05:30",
        "citizen": {"wa_id": "919810000001"},
        "turns": [{"user": "hi", "expect": {"contains_any": ["namaste"]}}],
    },
    {
        "id": "fails",
        "tags": ["en"],
        "clock": "2026-11-25T10:00:00+05:30",
        "citizen": {"wa_id": "919810000001"},
        "turns": [{"user": "hi", "expect": {"tools": ["check_status"]}}],
    },
]


def test_run_writes_results_and_report_and_exits_below_min_pass(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "real_agent_factory", ScriptedAgent)
    monkeypatch.setattr(scenarios_cli, "_require_agent", lambda: None)
    monkeypatch.setenv("NAGRIK_DATA_DIR", str(tmp_path / "data"))
    suite = tmp_path / "cases.yaml"
    suite.write_text(yaml.safe_dump(CASES), encoding="utf-8")
    out = tmp_path / "out"

    args = ["run", str(suite), "--no-kb", "--out", str(out)]
    result = CliRunner().invoke(eval_app, [*args, "--min-pass", "0.9"])
    assert result.exit_code == 1, result.output
    assert "turn 1 (user: 'hi'): tools: expected check_status" in result.output
    assert "reply: Namaste!" in result.output
    stored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert stored["pass_rate"] == 0.5
    assert (out / "report.html").is_file()

    assert CliRunner().invoke(eval_app, [*args, "--min-pass", "0.5"]).exit_code == 0


def test_compare_lists_changes_and_can_fail_on_regression(tmp_path):
    def doc(passed):
        return {
            "kind": "scenarios",
            "pass_rate": 1.0 if passed else 0.0,
            "scenarios": [{"id": "a", "passed": passed, "failures": [] if passed else ["x"]}],
        }

    (tmp_path / "a.json").write_text(json.dumps(doc(True)), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(doc(False)), encoding="utf-8")
    args = ["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    result = CliRunner().invoke(eval_app, args)
    assert result.exit_code == 0 and "Newly failing (1)" in result.output
    assert CliRunner().invoke(eval_app, [*args, "--fail-on-regression"]).exit_code == 1
