"""What a scenario run produced, and the `results.json` other tools read.

The keys `kind`, `pass_rate` and `scenarios` (each with `id`, `passed`, `failures`) are a
contract: `nagrik eval compare`, CI and dashboards read them. Add keys; never rename these.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

RESULTS_FILE = "results.json"
FORMAT_VERSION = 1


class ToolCallSeen(BaseModel):
    """A tool call made in a turn."""

    name: str
    ok: bool
    error_code: str | None = None
    arguments: dict[str, Any] = Field(default_factory=dict)


class TurnRecord(BaseModel):
    """One turn as it happened: what was sent, what came back, what failed."""

    index: int
    kind: str
    action: str
    reply: str = ""
    tool_calls: list[ToolCallSeen] = Field(default_factory=list)
    language: str | None = None
    latency_ms: float = 0.0
    failures: list[str] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Set when the turn could not run.")

    @property
    def passed(self) -> bool:
        """Whether every expectation of the turn held and the turn ran."""
        return not self.failures and self.error is None


class RunRecord(BaseModel):
    """One run (repeat) of a scenario."""

    repeat: int
    passed: bool
    failures: list[str]
    turns: list[TurnRecord]
    final_failures: list[str] = Field(default_factory=list)
    seconds: float = 0.0


class ScenarioRecord(BaseModel):
    """A scenario over all its repeats; it passes only when every repeat passes (pass^k)."""

    id: str
    title: str = ""
    file: str = ""
    tags: list[str] = Field(default_factory=list)
    service: str = "other"
    language: str = "unknown"
    passed: bool
    failures: list[str]
    runs: list[RunRecord]


def rate(passed: int, total: int) -> float:
    """A pass rate in 0-1 (1 for nothing to pass)."""
    return passed / total if total else 1.0


def pass_hat_k(successes: list[int], trials: int) -> dict[str, float]:
    """tau-bench's pass^k for k = 1..trials: the chance that k repeats in a row all pass."""
    out: dict[str, float] = {}
    for k in range(1, trials + 1):
        if not successes:
            out[str(k)] = 1.0
            continue
        values = [math.comb(c, k) / math.comb(trials, k) for c in successes]
        out[str(k)] = sum(values) / len(values)
    return out


def _breakdown(pairs: Iterable[tuple[str, bool]]) -> dict[str, dict[str, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, passed in pairs:
        counts[key][0] += int(passed)
        counts[key][1] += 1
    return {
        key: {"passed": p, "total": t, "rate": round(rate(p, t), 4)}
        for key, (p, t) in sorted(counts.items())
    }


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def latency_summary(values: list[float]) -> dict[str, float]:
    """Mean, median, p95 and max of turn latencies in milliseconds."""
    return {
        "turns": len(values),
        "mean_ms": round(sum(values) / len(values), 1) if values else 0.0,
        "p50_ms": round(percentile(values, 0.5), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1) if values else 0.0,
    }


def summarize(
    records: list[ScenarioRecord], *, policy: str, repeat: int, meta: dict[str, Any]
) -> dict[str, Any]:
    """The whole `results.json` document for a run of scenarios."""
    passed = sum(record.passed for record in records)
    turns = [turn for record in records for run in record.runs for turn in run.turns]
    latencies_by_kind: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        if turn.error is None:
            latencies_by_kind[turn.kind].append(turn.latency_ms)
    return {
        "kind": "scenarios",
        "version": FORMAT_VERSION,
        "policy": policy,
        "repeat": repeat,
        **meta,
        "total": len(records),
        "passed": passed,
        "pass_rate": round(rate(passed, len(records)), 4),
        "pass_hat_k": pass_hat_k([sum(r.passed for r in rec.runs) for rec in records], repeat),
        "by_service": _breakdown((r.service, r.passed) for r in records),
        "by_language": _breakdown((r.language, r.passed) for r in records),
        "by_turn_type": _breakdown((t.kind, t.passed) for t in turns),
        "latency": {
            "all": latency_summary([t.latency_ms for t in turns if t.error is None]),
            **{kind: latency_summary(v) for kind, v in sorted(latencies_by_kind.items())},
        },
        "scenarios": [record.model_dump(mode="json") for record in records],
    }


def write_results(document: dict[str, Any], out_dir: Path) -> Path:
    """Write `results.json` into `out_dir`; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / RESULTS_FILE
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_results(path: Path) -> dict[str, Any]:
    """A results document from a file or from the `results.json` in a folder."""
    if path.is_dir():
        path = path / RESULTS_FILE
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document
