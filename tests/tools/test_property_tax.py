from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tools.money import format_rupees, rupees
from tools.property_tax import (
    TARIFF_FILE,
    PropertyFacts,
    TariffError,
    annual_value_paise,
    default_tariff,
    dues,
    financial_year_of,
    load_tariff,
    parse_financial_year,
    tax_for_year,
)

HOUSE = PropertyFacts(
    category="B",
    covered_area_sqm=Decimal(100),
    construction_year=1985,
    use="residential",
    structure="pucca",
    occupancy="self",
)


def test_worked_example_annual_value_tax_and_rebate() -> None:
    assert annual_value_paise(HOUSE) == 40_000_00

    year = tax_for_year(HOUSE, "2026-27", paid_on=date(2026, 6, 30))

    assert year.base_paise == 4_800_00
    assert year.rebate_paise == 480_00
    assert year.total_paise == 4_320_00
    assert format_rupees(year.total_paise) == "₹4,320"


def test_rebate_ends_on_30_june() -> None:
    on_last_day = tax_for_year(HOUSE, "2026-27", paid_on=date(2026, 6, 30))
    a_day_late = tax_for_year(HOUSE, "2026-27", paid_on=date(2026, 7, 1))

    assert rupees(on_last_day.total_paise) == 4320
    assert rupees(a_day_late.total_paise) == 4800
    assert a_day_late.rebate_paise == 0
    assert on_last_day.rebate_until == date(2026, 6, 30)


def test_paying_in_april_gets_the_rebate() -> None:
    assert tax_for_year(HOUSE, "2026-27", paid_on=date(2026, 4, 1)).rebate_paise == 480_00


@pytest.mark.parametrize(
    ("year", "factor"),
    [(1959, "0.5"), (1960, "0.6"), (1975, "0.7"), (1989, "0.8"), (1999, "0.9"), (2000, "1"),
     (2024, "1")],
)
def test_age_factor_bands(year: int, factor: str) -> None:
    facts = HOUSE.model_copy(update={"construction_year": year})

    assert annual_value_paise(facts) == int(500 * 100 * Decimal(factor) * 100)


@pytest.mark.parametrize(
    ("category", "rate"),
    [("A", 12), ("B", 12), ("C", 11), ("D", 11), ("E", 11), ("F", 7), ("G", 7), ("H", 7)],
)
def test_rates_by_category(category: str, rate: int) -> None:
    facts = HOUSE.model_copy(update={"category": category})

    year = tax_for_year(facts, "2026-27", paid_on=date(2026, 8, 1))

    assert year.base_paise == annual_value_paise(facts) * rate // 100


def test_tenanted_semi_pucca() -> None:
    facts = HOUSE.model_copy(update={"occupancy": "tenanted", "structure": "semi_pucca"})

    # 500 x 100 x 0.8 x 1 x 0.7 x 2 = ₹56,000
    assert annual_value_paise(facts) == 56_000_00


def test_fractional_area_rounds_half_up_to_paise() -> None:
    facts = HOUSE.model_copy(update={"category": "H", "covered_area_sqm": Decimal("33.333")})

    # 100 x 33.333 x 0.8 = ₹2,666.64 exactly; 7 % = ₹186.6648 → 18666 paise.
    assert annual_value_paise(facts) == 266664
    assert tax_for_year(facts, "2026-27", paid_on=date(2026, 8, 1)).base_paise == 18666


def test_float_area_from_the_register_is_exact() -> None:
    facts = PropertyFacts(category="B", covered_area_sqm=85.5, construction_year=2001)

    assert annual_value_paise(facts) == 500 * 8550 * 100 // 100


def test_dues_current_year_with_rebate_and_unpaid_arrears_in_full() -> None:
    years = dues(
        HOUSE,
        paid_years={"2024-25", "2025-26"},
        current_fy="2026-27",
        on=date(2026, 5, 1),
        first_fy="2023-24",
    )

    assert [(y.financial_year, y.total_paise, y.arrears) for y in years] == [
        ("2023-24", 4_800_00, True),
        ("2026-27", 4_320_00, False),
    ]


def test_dues_without_register_start_go_back_arrears_years() -> None:
    years = dues(HOUSE, paid_years=set(), current_fy="2026-27", on=date(2026, 7, 1))

    assert [y.financial_year for y in years] == [
        "2021-22", "2022-23", "2023-24", "2024-25", "2025-26", "2026-27",
    ]
    assert default_tariff().arrears_years == 5


def test_nothing_due_when_every_year_is_paid() -> None:
    paid = {"2025-26", "2026-2027"}

    assert dues(HOUSE, paid, "2026-27", date(2026, 5, 1), first_fy="2025-26") == []


@pytest.mark.parametrize(
    ("day", "fy"),
    [(date(2026, 3, 31), "2025-26"), (date(2026, 4, 1), "2026-27"), (date(1999, 12, 1), "1999-00")],
)
def test_financial_year_of(day: date, fy: str) -> None:
    assert financial_year_of(day) == fy


def test_parse_financial_year() -> None:
    assert parse_financial_year("2026-27") == 2026
    assert parse_financial_year("2026-2027") == 2026
    with pytest.raises(ValueError):
        parse_financial_year("2026-28")


@pytest.mark.parametrize(
    ("paise", "expected"), [(0, 0), (49, 0), (50, 1), (432049, 4320), (432050, 4321)]
)
def test_rupees_round_half_up(paise: int, expected: int) -> None:
    assert rupees(paise) == expected


def test_format_rupees_groups_in_lakhs() -> None:
    assert format_rupees(4_320_00) == "₹4,320"
    assert format_rupees(1_25_000_00) == "₹1,25,000"
    assert format_rupees(999_00) == "₹999"


def test_a_use_missing_from_the_tariff_is_refused_clearly() -> None:
    shop = HOUSE.model_copy(update={"use": "business"})

    with pytest.raises(TariffError, match="use_factor.*property_tax_tariff.yaml"):
        annual_value_paise(shop)


def test_a_corrected_tariff_file_changes_the_tax(tmp_path: Path) -> None:
    text = TARIFF_FILE.read_text(encoding="utf-8")
    path = tmp_path / "tariff.yaml"
    path.write_text(text.replace("  B: 500", "  B: 550"), encoding="utf-8")

    assert annual_value_paise(HOUSE, load_tariff(path)) == 44_000_00


def test_a_broken_tariff_file_names_file_and_field(tmp_path: Path) -> None:
    text = TARIFF_FILE.read_text(encoding="utf-8")
    path = tmp_path / "tariff.yaml"
    path.write_text(text.replace("    H: 7\n", ""), encoding="utf-8")

    with pytest.raises(TariffError, match=r"tariff\.yaml.*rate_percent\.residential.*'H'"):
        load_tariff(path)
