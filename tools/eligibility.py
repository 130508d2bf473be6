"""Conditions and eligibility rules from the catalog, evaluated on canonical field values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tools.catalog.schema import (
    Condition,
    EligibilityRule,
    MaxValueCheck,
    MinAgeCheck,
    Service,
)


def condition_holds(condition: Condition, values: dict[str, Any]) -> bool | None:
    """Whether a condition holds; None while its field has no value yet."""
    value = values.get(condition.field)
    if value is None:
        return None
    if condition.equals is not None and value != condition.equals:
        return False
    if condition.any_of is not None and value not in condition.any_of:
        return False
    if condition.has_other_than is not None:
        items = value if isinstance(value, list) else [value]
        if not any(item not in condition.has_other_than for item in items):
            return False
    return True


def age_on(born: date, on: date) -> int:
    """Completed years of age on a day."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


@dataclass(frozen=True)
class RuleFailure:
    """An eligibility rule that the values break."""

    rule: EligibilityRule


def failed_rules(service: Service, values: dict[str, Any], today: date) -> list[RuleFailure]:
    """Rules broken by the values given so far; a rule waits until its fields are known."""
    failures = []
    for rule in service.rules:
        if rule.when is not None and condition_holds(rule.when, values) is not True:
            continue
        if _check_fails(rule, values, today):
            failures.append(RuleFailure(rule))
    return failures


def _check_fails(rule: EligibilityRule, values: dict[str, Any], today: date) -> bool:
    check = rule.check
    value = values.get(check.field)
    if value is None:
        return False
    if isinstance(check, MaxValueCheck):
        return int(value) > check.value
    if isinstance(check, MinAgeCheck):
        on = today
        if check.on_field:
            if values.get(check.on_field) is None:
                return False
            on = date.fromisoformat(values[check.on_field])
        return age_on(date.fromisoformat(value), on) < check.years
    raise TypeError(f"unknown check {check!r}")


def fields_needed(service: Service, values: dict[str, Any]) -> list[str]:
    """Required fields still without a value, in catalog order; conditional ones when due."""
    missing = []
    for spec in service.fields:
        if not spec.required or values.get(spec.name) is not None:
            continue
        if spec.ask_when is not None and condition_holds(spec.ask_when, values) is not True:
            continue
        missing.append(spec.name)
    return missing


def fields_to_ask(service: Service, values: dict[str, Any], skipped: set[str]) -> list[str]:
    """Fields to ask about, in catalog order: missing required ones and unskipped optional ones."""
    needed = set(fields_needed(service, values))
    return [
        spec.name
        for spec in service.fields
        if spec.name in needed
        or (not spec.required and values.get(spec.name) is None and spec.name not in skipped)
    ]


def documents_needed(
    service: Service, values: dict[str, Any], uploaded_slots: set[str]
) -> list[str]:
    """Required document slots not yet filled, by the slot or one of its alternatives."""
    missing = []
    for spec in service.documents:
        if spec.optional:
            continue
        if spec.required_when is not None and condition_holds(spec.required_when, values) is False:
            continue
        if spec.required_when is not None and condition_holds(spec.required_when, values) is None:
            continue
        if uploaded_slots & {spec.id, *spec.alternatives}:
            continue
        missing.append(spec.id)
    return missing
