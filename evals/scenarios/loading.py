"""Reading scenario files and folders into validated scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from evals.scenarios.model import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml")


class ScenarioFileError(ValueError):
    """A scenario file cannot be read or does not follow the format; says which and why."""


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those found (recursively) in the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ScenarioFileError(f"{path}: no such file or folder")
    return found


def load_file(path: Path) -> list[Scenario]:
    """The scenarios of one file, which holds one scenario or a list of them."""
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioFileError(f"{path}: cannot read: {error}") from error
    items: list[Any] = raw if isinstance(raw, list) else [raw] if raw else []
    scenarios = []
    for position, item in enumerate(items, start=1):
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as error:
            where = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
                for e in error.errors()
            )
            raise ScenarioFileError(f"{path}: scenario {where}: {problems}") from error
        scenario.source = path
        scenarios.append(scenario)
    return scenarios


def load_scenarios(paths: Iterable[Path]) -> list[Scenario]:
    """Every scenario under the paths; ids must be unique across all of them."""
    scenarios: list[Scenario] = []
    seen: dict[str, Path | None] = {}
    for path in scenario_files(paths):
        for scenario in load_file(path):
            if scenario.id in seen:
                raise ScenarioFileError(
                    f"{path}: scenario id {scenario.id!r} is also used in {seen[scenario.id]}"
                )
            seen[scenario.id] = path
            scenarios.append(scenario)
    return scenarios
