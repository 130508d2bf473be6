"""MCD property tax of one property for a financial year, computed in paise from the tariff file.

The tariff (`catalog/property_tax_tariff.yaml`) holds every number, so a department corrects
rates without a code change. Financial years run April to March and are written `2026-27`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tools.money import PAISE_PER_RUPEE, paise
from tools.settings import PACKAGE_ROOT
from tools.values import canonical_financial_year

_T = TypeVar("_T")

TARIFF_FILE = PACKAGE_ROOT / "catalog" / "property_tax_tariff.yaml"


class TariffError(ValueError):
    """The tariff file is invalid, or has no entry for a property's facts."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeBand(_Frozen):
    """The age factor for buildings constructed up to `until_year` (none: any later year)."""

    until_year: int | None = None
    factor: Decimal = Field(gt=0)


class Rebate(_Frozen):
    """A percentage off the year's tax when it is paid in full by a day of the year."""

    percent: Decimal = Field(ge=0, le=100)
    last_month: int = Field(ge=4, le=12)  # within the financial year's first calendar year
    last_day: int = Field(ge=1, le=31)


class Tariff(_Frozen):
    """Every factor and rate of the unit area method."""

    unit_area_value: dict[str, Decimal]
    age_factor: list[AgeBand] = Field(min_length=1)
    use_factor: dict[str, Decimal]
    structure_factor: dict[str, Decimal]
    occupancy_factor: dict[str, Decimal]
    rate_percent: dict[str, dict[str, Decimal]]
    rebate: Rebate
    arrears_years: int = Field(ge=0)

    @model_validator(mode="after")
    def _complete(self) -> Tariff:
        if self.age_factor[-1].until_year is not None:
            raise ValueError("the last age_factor band must have no until_year")
        for use in self.use_factor:
            missing = set(self.unit_area_value) - set(self.rate_percent.get(use, {}))
            if missing:
                raise ValueError(f"rate_percent.{use} lacks categories {sorted(missing)}")
        return self


class PropertyFacts(BaseModel):
    """What the register says about a property, enough to assess its tax."""

    model_config = ConfigDict(frozen=True)

    category: str = Field(pattern=r"^[A-H]$", description="Colony category, A to H.")
    covered_area_sqm: Decimal = Field(gt=0)
    construction_year: int = Field(ge=1800)
    use: str = "residential"
    structure: str = "pucca"
    occupancy: str = "self"


class YearTax(BaseModel):
    """The tax of one financial year as it stands on the day of payment."""

    model_config = ConfigDict(frozen=True)

    financial_year: str
    annual_value_paise: int
    base_paise: int
    rebate_paise: int
    total_paise: int
    rebate_until: date  # the last day that year's rebate could be had
    arrears: bool  # a year before the one the payment falls in


def load_tariff(path: Path = TARIFF_FILE) -> Tariff:
    """Read and validate a tariff file; TariffError names the file and what is wrong."""
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        return Tariff.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise TariffError(f"{path}: cannot read the tariff: {error}") from error
    except ValidationError as error:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in item['loc']) or '(top)'}': {item['msg']}"
            for item in error.errors()
        )
        raise TariffError(f"{path}: {problems}") from error


def current_tariff(path: Path) -> Tariff:
    """The tariff in `path`, read again only when the file has changed since the last read."""
    return _tariff_as_of(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _tariff_as_of(path: Path, _mtime_ns: int) -> Tariff:
    return load_tariff(path)


@lru_cache(maxsize=1)
def default_tariff() -> Tariff:
    """The tariff shipped with the catalog, read once."""
    return load_tariff(TARIFF_FILE)


def financial_year_of(day: date) -> str:
    """The financial year (April to March) a day falls in, written `2026-27`."""
    start = day.year if day.month >= 4 else day.year - 1
    return format_financial_year(start)


def format_financial_year(start_year: int) -> str:
    """`2026-27` for the financial year that starts in April 2026."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """The calendar year a financial year starts in: 2026 for `2026-27` (or `2026-2027`).

    Raises ValueError when the text is not one financial year.
    """
    return int(canonical_financial_year(text)[:4])


def annual_value_paise(facts: PropertyFacts, tariff: Tariff | None = None) -> int:
    """The annual value in paise: unit area value times covered area times the five factors."""
    tariff = tariff or default_tariff()
    rupees = (
        _lookup(tariff.unit_area_value, facts.category, "unit_area_value")
        * facts.covered_area_sqm
        * _age_factor(tariff, facts.construction_year)
        * _lookup(tariff.use_factor, facts.use, "use_factor")
        * _lookup(tariff.structure_factor, facts.structure, "structure_factor")
        * _lookup(tariff.occupancy_factor, facts.occupancy, "occupancy_factor")
    )
    return paise(rupees * PAISE_PER_RUPEE)


def tax_for_year(
    facts: PropertyFacts, fy: str, paid_on: date, tariff: Tariff | None = None
) -> YearTax:
    """The tax of one financial year if paid in full on `paid_on`, rebate applied when due."""
    tariff = tariff or default_tariff()
    start = parse_financial_year(fy)

    # Tax on the annual value at the rate for the use and category.
    value = annual_value_paise(facts, tariff)
    rates = _lookup(tariff.rate_percent, facts.use, "rate_percent")
    base = paise(value * _lookup(rates, facts.category, f"rate_percent.{facts.use}") / 100)

    # The rebate day falls in the year's own first quarter, so a later year's arrears never
    # earn it.
    last_day = date(start, tariff.rebate.last_month, tariff.rebate.last_day)
    rebate = paise(base * tariff.rebate.percent / 100) if paid_on <= last_day else 0
    return YearTax(
        financial_year=format_financial_year(start),
        annual_value_paise=value,
        base_paise=base,
        rebate_paise=rebate,
        total_paise=base - rebate,
        rebate_until=last_day,
        arrears=start < parse_financial_year(financial_year_of(paid_on)),
    )


def dues(
    facts: PropertyFacts,
    paid_years: set[str],
    current_fy: str,
    on: date,
    tariff: Tariff | None = None,
    first_fy: str | None = None,
) -> list[YearTax]:
    """Every unpaid year up to `current_fy`, oldest first, as due if paid on `on`.

    Arrears reach back to `first_fy`, the property's first year in the register, when it is
    known (the register is the authority on when tax began), else `arrears_years` years before
    the current one, as the tariff file sets.
    """
    tariff = tariff or default_tariff()
    current = parse_financial_year(current_fy)
    if first_fy is not None:
        first = parse_financial_year(first_fy)
    else:
        first = current - tariff.arrears_years
    paid = {parse_financial_year(year) for year in paid_years}

    # TODO(property-tax-interest): MCD also charges interest on unpaid arrears; until its rate
    # is entered in the tariff file, arrears are demanded at their base amount only.
    return [
        tax_for_year(facts, format_financial_year(year), on, tariff)
        for year in range(first, current + 1)
        if year not in paid
    ]


def _age_factor(tariff: Tariff, construction_year: int) -> Decimal:
    for band in tariff.age_factor:
        if band.until_year is None or construction_year <= band.until_year:
            return band.factor
    raise TariffError("the tariff's age_factor bands do not end with an open band")


def _lookup(table: dict[str, _T], key: str, section: str) -> _T:
    try:
        return table[key]
    except KeyError:
        known = ", ".join(sorted(table))
        raise TariffError(
            f"{key!r} is not in the property tax tariff's {section} (known: {known}); "
            f"add it to {TARIFF_FILE.name}"
        ) from None
