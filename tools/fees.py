"""What an application costs: fee lines from a service's catalog `fees` and its field values.

Amounts in the catalog are whole rupees; every amount here is integer paise. Property tax is
not an application fee: a `property_tax` component raises FeeError and callers use
`tools.property_tax` instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from tools.catalog.schema import (
    DelayFee,
    FeeComponent,
    FixedFee,
    LocalText,
    OptionFee,
    PerUnitFee,
    PropertyTaxFee,
    Service,
)
from tools.money import PAISE_PER_RUPEE


class FeeError(ValueError):
    """The fees cannot be computed: the catalog is incomplete or the service is not priced here."""


class FeeLine(BaseModel):
    """One amount the citizen pays, booked to one head of account."""

    model_config = ConfigDict(frozen=True)

    head: str
    label: LocalText
    head_of_account: str
    quantity: int
    unit_paise: int
    amount_paise: int
    basis: str  # how the amount was reached, for officers and receipts: "delay 25 days"


class FeeQuote(BaseModel):
    """Every non-zero fee line of an application, their total, and fields still unanswered."""

    model_config = ConfigDict(frozen=True)

    lines: list[FeeLine]
    total_paise: int
    pending: list[str]  # fields a fee depends on that have no value yet; total leaves them out


def compute_fees(service: Service, values: dict[str, Any], applied_on: date) -> FeeQuote:
    """The fee lines and total for canonical field values on the day of applying.

    A component whose field has no value yet is left out and the field named in `pending`,
    rather than guessed, so a draft can show what is known so far. Lines of ₹0 (a late fee
    within the free period, a single free copy) are left out.
    """
    lines: list[FeeLine] = []
    pending: list[str] = []
    for component in service.fees:
        rule = component.rule
        if isinstance(rule, PropertyTaxFee):
            raise FeeError(
                f"{service.id}: property tax is computed by tools.property_tax, not tools.fees"
            )
        field = getattr(rule, "field", None)
        if field is not None and values.get(field) is None:
            if field not in pending:
                pending.append(field)
            continue

        line = _line(service, component, values, applied_on)
        if line.amount_paise:
            lines.append(line)
    total = sum(line.amount_paise for line in lines)
    return FeeQuote(lines=lines, total_paise=total, pending=pending)


def delay_days(value: Any, applied_on: date) -> int:
    """Whole days from a date (ISO string or date) to the day of applying; never negative."""
    start = value if isinstance(value, date) else date.fromisoformat(str(value))
    return max(0, (applied_on - start).days)


def _line(
    service: Service, component: FeeComponent, values: dict[str, Any], applied_on: date
) -> FeeLine:
    rule = component.rule
    quantity, unit, basis = 1, 0, ""
    if isinstance(rule, FixedFee):
        unit, basis = rule.amount, "fixed"

    elif isinstance(rule, OptionFee):
        option = str(values[rule.field])
        if option not in rule.amounts:
            raise FeeError(f"{service.id}: fee {component.head!r} has no amount for {option!r}")
        unit, basis = rule.amounts[option], f"{rule.field} = {option}"

    elif isinstance(rule, PerUnitFee):
        units = _units(values[rule.field])
        quantity = max(0, units - rule.free_units)
        unit = rule.amount
        basis = f"{units} {rule.field}, {rule.free_units} free"

    elif isinstance(rule, DelayFee):
        days = delay_days(values[rule.field], applied_on)
        unit = _slab_amount(service, component, rule, days)
        basis = f"delay {days} days from {rule.field}"

    unit_paise = unit * PAISE_PER_RUPEE
    return FeeLine(
        head=component.head,
        label=component.label,
        head_of_account=component.head_of_account,
        quantity=quantity,
        unit_paise=unit_paise,
        amount_paise=quantity * unit_paise,
        basis=basis,
    )


def _units(value: Any) -> int:
    """Units of a per-unit fee: the number itself, or the length of a list."""
    if isinstance(value, list | tuple | set):
        return len(value)
    return int(value)


def _slab_amount(service: Service, component: FeeComponent, rule: DelayFee, days: int) -> int:
    """The first slab that covers the delay; limits are inclusive, no limit covers any delay."""
    for slab in rule.slabs:
        if slab.up_to_days is None or days <= slab.up_to_days:
            return slab.amount
    raise FeeError(
        f"{service.id}: fee {component.head!r} has no slab for a delay of {days} days; "
        "end its slabs with one that has no up_to_days"
    )
