"""Replays scenarios against an agent, each run in a fresh database, and judges them."""

from __future__ import annotations

import logging
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from agent.messages import Incoming
from agent.turns import TurnResult
from evals.scenarios.environment import FixtureError, ScenarioEnvironment, build_environment
from evals.scenarios.expectations import check_turn, choices_offered, reply_text
from evals.scenarios.final_state import check_final, snapshot
from evals.scenarios.model import Scenario, Turn
from evals.scenarios.results import RunRecord, ScenarioRecord, ToolCallSeen, TurnRecord
from evals.scenarios.steps import StepError, document_read, make_incoming
from tools.settings import Settings

logger = logging.getLogger(__name__)

WAIT_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class TurnHandler(Protocol):
    """The agent as the runner sees it."""

    def handle_turn(self, incoming: Incoming) -> TurnResult:
        """Handle one incoming message and say what happened."""
        ...


AgentFactory = Callable[[ScenarioEnvironment], TurnHandler]


def real_agent_factory(env: ScenarioEnvironment) -> TurnHandler:
    """The project's agent (agent.runtime), for the environment's policy."""
    from agent.runtime import create_agent

    agent: TurnHandler = create_agent(
        env.settings,
        clock=env.clock,
        tools=env.tools,
        knowledge=env.knowledge,
        policy=env.settings.policy.value,
    )
    return agent


@dataclass
class RunOptions:
    """How to run: the policy, repeats, settings to start from, the agent and the KB."""

    policy: str = "offline"
    repeat: int = 1
    settings: Settings | None = None
    knowledge: Any | None = None
    agent_factory: AgentFactory = real_agent_factory
    keep_dir: Path | None = None  # keep each run's folder here instead of a temp folder


def run_scenario(
    scenario: Scenario, options: RunOptions, known_services: set[str]
) -> ScenarioRecord:
    """Run a scenario `options.repeat` times; it passes only if every run passes."""
    runs = [_run_once(scenario, options, index) for index in range(options.repeat)]
    failing = [run for run in runs if not run.passed]
    failures: list[str] = []
    for run in failing:
        prefix = f"run {run.repeat + 1}: " if options.repeat > 1 else ""
        failures.extend(prefix + failure for failure in run.failures)
    return ScenarioRecord(
        id=scenario.id,
        title=scenario.title,
        file=str(scenario.source or ""),
        tags=scenario.tags,
        service=scenario.service_of(known_services),
        language=scenario.language_of(),
        passed=not failing,
        failures=failures,
        runs=runs,
    )


def _run_once(scenario: Scenario, options: RunOptions, repeat: int) -> RunRecord:
    started = time.perf_counter()
    if options.keep_dir is not None:
        folder = options.keep_dir / f"{scenario.id}-{repeat}"
        return _run_in(scenario, options, repeat, folder, started)
    with tempfile.TemporaryDirectory(prefix=f"nagrik-eval-{scenario.id}-") as tmp:
        return _run_in(scenario, options, repeat, Path(tmp), started)


def _run_in(
    scenario: Scenario, options: RunOptions, repeat: int, folder: Path, started: float
) -> RunRecord:
    settings = options.settings or Settings()
    try:
        env = build_environment(scenario, folder, settings, options.policy, options.knowledge)
    except FixtureError as error:
        return RunRecord(repeat=repeat, passed=False, failures=[str(error)], turns=[])
    try:
        agent = options.agent_factory(env)
        turns, stopped = _play(env, agent, repeat)
        failures = [
            f"turn {turn.index} ({turn.action}): {failure}"
            for turn in turns
            for failure in ([turn.error] if turn.error else []) + turn.failures
        ]
        final_failures: list[str] = []
        if stopped is None:
            final_failures = check_final(scenario.final, snapshot(env.tools.engine))
        else:
            final_failures = [f"final: not checked, the scenario stopped at turn {stopped}"]
        failures.extend(final_failures)
        close = getattr(agent, "close", None)
        if callable(close):
            close()
    except Exception as error:  # an agent that fails to build is a failed run, not a crash
        logger.exception("scenario %s could not run", scenario.id)
        return RunRecord(
            repeat=repeat, passed=False, failures=[f"setup: {type(error).__name__}: {error}"],
            turns=[],
        )
    finally:
        env.close()
    return RunRecord(
        repeat=repeat,
        passed=not failures,
        failures=failures,
        turns=turns,
        final_failures=final_failures,
        seconds=round(time.perf_counter() - started, 3),
    )


def _play(
    env: ScenarioEnvironment, agent: TurnHandler, repeat: int
) -> tuple[list[TurnRecord], int | None]:
    """Every turn in order; returns the records and the turn it stopped at, if it stopped."""
    records: list[TurnRecord] = []
    offered: list[list[tuple[str, str]]] = []
    for index, turn in enumerate(env.scenario.turns, start=1):
        record = TurnRecord(index=index, kind=turn.kind, action=turn.describe())
        records.append(record)
        message_id = f"{env.scenario.id}-{repeat}-{index}"
        try:
            if turn.wait:
                env.clock.advance(parse_wait(turn.wait))
            incoming = make_incoming(env, turn, message_id, offered)
        except (StepError, ValueError) as error:
            record.error = str(error)
            return records, index

        started = time.perf_counter()
        try:
            result = agent.handle_turn(incoming)
        except Exception as error:
            record.latency_ms = round((time.perf_counter() - started) * 1000, 1)
            tail = traceback.format_exc(limit=-3).strip().splitlines()[-1]
            record.error = f"the agent raised {type(error).__name__}: {error} ({tail})"
            return records, index
        record.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            follow_up = document_read(env, incoming)
            if follow_up is not None:
                result = _merged(result, agent.handle_turn(follow_up))
        except Exception as error:
            record.error = f"reading the document failed: {type(error).__name__}: {error}"
            return records, index
        _record_result(record, turn, result)
        offered.append(choices_offered(result.replies))
    return records, None


def _merged(first: TurnResult, second: TurnResult) -> TurnResult:
    """One step's outcome when it took two turns (a document, then what OCR read of it)."""
    return TurnResult(
        replies=[*first.replies, *second.replies],
        tool_calls=[*first.tool_calls, *second.tool_calls],
        language=second.language,
        policy=first.policy,
    )


def _record_result(record: TurnRecord, turn: Turn, result: TurnResult) -> None:
    record.reply = reply_text(result.replies)
    record.language = result.language
    record.tool_calls = [
        ToolCallSeen(name=c.name, ok=c.ok, error_code=c.error_code, arguments=c.arguments)
        for c in result.tool_calls
    ]
    record.failures = check_turn(turn.expect, result)
    if turn.upload is not None and turn.upload.slot:
        stored = any(
            c.name == "upload_document" and c.ok and c.arguments.get("slot") == turn.upload.slot
            for c in result.tool_calls
        )
        if not stored:
            record.failures.append(
                f"upload: the file was not stored in slot {turn.upload.slot!r} "
                "(no successful upload_document for it)"
            )


def parse_wait(text: str) -> timedelta:
    """A clock step like `30m`, `2h` or `3d`."""
    text = text.strip()
    unit = WAIT_UNITS.get(text[-1:])
    if unit is None or not text[:-1].isdigit():
        raise ValueError(f"wait {text!r}: write a number and m, h or d, like 3d")
    return timedelta(**{unit: int(text[:-1])})
