import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from evals.ocr.cli import register
from evals.ocr.runner import character_error_rate


def test_character_error_rate() -> None:
    assert character_error_rate("रवि कुमार\nDOB", "रवि कुमार\nDOB") == 0.0
    assert character_error_rate("abcd", "abed") == 0.25


def test_the_eval_runs_on_a_few_documents_and_writes_results(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps `ocr` a subcommand

    result = CliRunner().invoke(app, ["ocr", "--limit", "1", "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    for key in ("field_accuracy_clean", "field_accuracy_degraded", "cer_clean", "cer_degraded",
                "seconds_per_page_p50"):
        assert isinstance(summary[key], float), key
    assert summary["pages"] == 5  # one document, clean and four degraded copies
    assert summary["field_accuracy_clean"] >= 0.75
