"""What changed between two results files: scenarios newly failing or passing, rate deltas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Comparison:
    """The differences from a baseline run to a new one."""

    newly_failing: list[tuple[str, list[str]]] = field(default_factory=list)
    newly_passing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deltas: list[tuple[str, float, float]] = field(default_factory=list)  # (name, before, after)

    @property
    def regressed(self) -> bool:
        """Whether anything got worse: a scenario newly failing or a rate going down."""
        return bool(self.newly_failing) or any(after < before for _n, before, after in self.deltas)


def compare(before: dict[str, Any], after: dict[str, Any]) -> Comparison:
    """Compare two results documents (scenarios or any other suite with the same keys)."""
    result = Comparison()
    old = {s["id"]: s for s in before.get("scenarios", [])}
    new = {s["id"]: s for s in after.get("scenarios", [])}
    for sid, item in new.items():
        if sid not in old:
            result.added.append(sid)
        elif old[sid]["passed"] and not item["passed"]:
            result.newly_failing.append((sid, list(item.get("failures", []))))
        elif not old[sid]["passed"] and item["passed"]:
            result.newly_passing.append(sid)
    result.removed = [sid for sid in old if sid not in new]
    result.deltas = [
        (name, float(b), float(a))
        for name, (b, a) in sorted(_rates(before, after).items())
    ]
    return result


def _rates(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Every rate both documents hold: top-level numbers in 0-1 and `by_*` breakdown rates."""
    pairs: dict[str, tuple[float, float]] = {}
    for key, value in after.items():
        if key not in before:
            continue
        old = before[key]
        if _is_rate(key, value) and _is_rate(key, old):
            pairs[key] = (old, value)
        elif key.startswith("by_") and isinstance(value, dict) and isinstance(old, dict):
            for group, item in value.items():
                if isinstance(item, dict) and "rate" in item and "rate" in old.get(group, {}):
                    pairs[f"{key}.{group}"] = (old[group]["rate"], item["rate"])
        elif isinstance(value, dict) and isinstance(old, dict) and key in ("metrics", "pass_hat_k"):
            for name, number in value.items():
                if isinstance(number, int | float) and isinstance(old.get(name), int | float):
                    pairs[f"{key}.{name}"] = (old[name], number)
    return pairs


def _is_rate(key: str, value: Any) -> bool:
    return (
        isinstance(value, float)
        and not isinstance(value, bool)
        and 0.0 <= value <= 1.0
        and key not in ("version",)
    )
