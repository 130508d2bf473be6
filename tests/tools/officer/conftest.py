"""Fixtures of the back-office tests: a submitted, paid birth application and the office."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.tools.factories import make_runtime
from tests.tools.payments.conftest import birth_fee_order
from tests.tools.test_toolkit_payments import RAVI
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.payments.sandbox_callback import complete_sandbox_payment


def submitted_birth_application(runtime) -> str:
    number, order = birth_fee_order(runtime)
    deps = IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, CollectingNotifier()
    )
    complete_sandbox_payment(runtime.gateway, deps,
                             runtime.settings.secret("sandbox_webhook_secret"),
                             f"sbx_{order.reference}", success=True)
    outcome = runtime.call(RAVI, "submit_application", {"application_number": number},
                           idempotency_key="submit")
    assert outcome.ok, outcome.error
    return number


@pytest.fixture
def notices() -> CollectingNotifier:
    return CollectingNotifier()


@pytest.fixture
def office(runtime, notices) -> IssuingDeps:
    return IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, notices
    )


@pytest.fixture(scope="session")
def submitted_template(tmp_path_factory) -> tuple[Path, str]:
    """A folder holding a submitted, paid birth application, built once for the session."""
    folder = tmp_path_factory.mktemp("submitted")
    runtime = make_runtime(folder)
    number = submitted_birth_application(runtime)
    runtime.engine.dispose()
    runtime.gateway.engine.dispose()
    return folder, number


def copy_submitted(template: tuple[Path, str], tmp_path: Path):
    """A runtime in `tmp_path` over a copy of the template's databases: (runtime, number)."""
    folder, number = template
    for path in folder.iterdir():
        if path.is_file() and ".db" in path.name:
            shutil.copy(path, tmp_path / path.name)
    shutil.copytree(folder / "receipts", tmp_path / "receipts")
    return make_runtime(tmp_path), number


@pytest.fixture
def submitted(submitted_template, tmp_path):
    return copy_submitted(submitted_template, tmp_path)


@pytest.fixture
def runtime(submitted):
    return submitted[0]


@pytest.fixture
def number(submitted) -> str:
    return submitted[1]
