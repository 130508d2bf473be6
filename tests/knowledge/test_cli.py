from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nagrik_cli.main import app
from tests.knowledge.conftest import BIRTH_EN, write_doc
from tools.settings import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NAGRIK_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


def test_editor_commands_end_to_end(data_dir: Path, tmp_path: Path, embedder: object) -> None:
    runner = CliRunner()
    docs = tmp_path / "docs"
    write_doc(docs, "bc-en", BIRTH_EN)
    (docs / "broken.md").write_text("---\nid: x1\ntitle: t\nlanguage: xx\n---\nbody", "utf-8")

    added = runner.invoke(app, ["kb", "add", str(docs)])
    assert added.exit_code == 1  # one file failed
    assert "added 1, replaced 0, skipped 0, failed 1" in added.output
    assert "broken.md" in added.output and "language" in added.output
    assert "chunks/s" in added.output

    listed = runner.invoke(app, ["kb", "list"])
    assert listed.exit_code == 0 and "bc-en" in listed.output

    shown = runner.invoke(app, ["kb", "show", "bc-en"])
    assert shown.exit_code == 0 and "The 21-day rule" in shown.output

    found = runner.invoke(app, ["kb", "search", "late fee after one year"])
    assert found.exit_code == 0 and "Late fees" in found.output

    nothing = runner.invoke(app, ["kb", "search", "capital of France"])
    assert "Nothing close enough" in nothing.output

    assert runner.invoke(app, ["kb", "remove", "bc-en"]).exit_code == 0
    assert runner.invoke(app, ["kb", "remove", "bc-en"]).exit_code == 1
    assert runner.invoke(app, ["kb", "add"]).exit_code == 2
