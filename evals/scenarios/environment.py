"""A fresh world for one scenario run: settings, clock, database with fixtures, tool runtime."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, SQLModel

from evals.scenarios.model import Scenario
from tools.clock import FixedClock
from tools.db.metadata import import_all_models
from tools.seed.loader import Seed, apply_seed
from tools.settings import Policy, Settings
from tools.toolkit.build import build_runtime
from tools.toolkit.runtime import ToolRuntime


class FixtureError(ValueError):
    """A scenario's fixtures cannot be created; says which scenario and why."""


@dataclass
class ScenarioEnvironment:
    """Everything one run of a scenario works in; `folder` is private to the run."""

    scenario: Scenario
    settings: Settings
    clock: FixedClock
    tools: ToolRuntime
    knowledge: Any | None
    folder: Path

    def close(self) -> None:
        """Release the database connections."""
        self.tools.engine.dispose()


def scenario_settings(base: Settings, folder: Path, policy: str) -> Settings:
    """Settings whose every file (database, checkpoints, documents, gateway) is in `folder`."""
    return base.model_copy(
        update={
            "data_dir": folder,
            "database_url": None,
            "checkpoint_url": None,
            "document_dir": None,
            "policy": Policy(policy),
        }
    )


def build_environment(
    scenario: Scenario, folder: Path, base: Settings, policy: str, knowledge: Any | None
) -> ScenarioEnvironment:
    """A new database in `folder` holding the scenario's fixtures, at the scenario's time."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = scenario_settings(base, folder, policy)
    clock = FixedClock(scenario.clock)
    import_all_models()
    runtime = build_runtime(settings, clock)
    SQLModel.metadata.create_all(runtime.engine)
    try:
        seed = Seed.model_validate(scenario.fixtures)
        with Session(runtime.engine) as session:
            apply_seed(session, clock, runtime.catalog, seed)
    except (ValidationError, KeyError, ValueError) as error:
        runtime.engine.dispose()
        raise FixtureError(f"scenario {scenario.id}: fixtures: {error}") from error
    return ScenarioEnvironment(
        scenario=scenario,
        settings=settings,
        clock=clock,
        tools=runtime,
        knowledge=knowledge,
        folder=folder,
    )
