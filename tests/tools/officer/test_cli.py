"""`nagrik officer …` and `nagrik payments reconcile` on a database in a tmp folder."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from tests.whatsapp.conftest import free_port
from tools.officer import cli as officer_cli
from tools.payments import cli as payments_cli
from tools.settings import get_settings


def test_officer_commands(submitted, tmp_path, monkeypatch):
    runtime, number = submitted
    monkeypatch.setenv("NAGRIK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NAGRIK_DATABASE_URL", str(runtime.engine.url))
    # Nothing listens here: the CLI must say the citizen was not told, not crash.
    monkeypatch.setenv("NAGRIK_PUBLIC_BASE_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    app = typer.Typer()
    officer_cli.register(app)
    payments_cli.register(app)
    runner = CliRunner()
    try:
        listed = runner.invoke(app, ["officer", "list"])
        assert listed.exit_code == 0 and number in listed.output
        shown = runner.invoke(app, ["officer", "show", number])
        assert shown.exit_code == 0 and "Sunita Devi" in shown.output
        asked = runner.invoke(app, ["officer", "ask", number, "--field", "birth_address",
                                    "--note", "Full address please"])
        assert asked.exit_code == 0 and "info_requested" in asked.output
        assert "citizen not told" in asked.output
        refused = runner.invoke(app, ["officer", "approve", number])
        assert refused.exit_code == 1 and "cannot become approved" in refused.output
        missing = runner.invoke(app, ["officer", "reject", "BC-2026-999999", "--reason", "x"])
        assert missing.exit_code == 1
        reconciled = runner.invoke(app, ["payments", "reconcile", "--older-than-minutes", "0"])
        assert reconciled.exit_code == 0 and "nothing pending" in reconciled.output
    finally:
        get_settings.cache_clear()
