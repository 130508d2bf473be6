"""Running a set of scenarios and producing the results document."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from evals.scenarios.model import Scenario
from evals.scenarios.results import ScenarioRecord, summarize
from evals.scenarios.runner import RunOptions, run_scenario
from tools.catalog import load_catalog
from tools.settings import Settings


def run_suite(
    scenarios: list[Scenario],
    options: RunOptions,
    *,
    paths: list[str] | None = None,
    on_done: Callable[[ScenarioRecord], None] | None = None,
) -> dict[str, Any]:
    """Run every scenario (each repeat in a fresh database); returns the results document."""
    settings = options.settings or Settings()
    options.settings = settings
    known = set(load_catalog(settings.catalog_dir).services)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    records = []
    for scenario in scenarios:
        record = run_scenario(scenario, options, known)
        records.append(record)
        if on_done is not None:
            on_done(record)
    meta = {
        "started_at": started_at,
        "seconds": round(time.perf_counter() - started, 2),
        "paths": paths or [],
        "knowledge_base": options.knowledge is not None,
    }
    return summarize(records, policy=options.policy, repeat=options.repeat, meta=meta)
