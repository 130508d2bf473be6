from datetime import date, timedelta
from pathlib import Path

import pytest

from tools.catalog import Catalog, load_catalog
from tools.fees import FeeError, compute_fees
from tools.settings import PACKAGE_ROOT

APPLIED = date(2026, 5, 20)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Path(PACKAGE_ROOT / "catalog"))


def birth(days_ago: int, copies: int = 1) -> dict[str, object]:
    born = APPLIED - timedelta(days=days_ago)
    return {"date_of_birth": born.isoformat(), "copies": copies, "place_of_birth": "hospital"}


@pytest.mark.parametrize(
    ("days_ago", "rupees"),
    [(0, 0), (21, 0), (22, 2), (25, 2), (30, 2), (31, 5), (200, 5), (365, 5), (366, 10), (730, 10)],
)
def test_birth_certificate_late_fee_by_delay(catalog: Catalog, days_ago: int, rupees: int) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), birth(days_ago), APPLIED)

    assert quote.total_paise == rupees * 100
    assert quote.pending == []


def test_birth_within_21_days_is_free_and_has_no_lines(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), birth(10), APPLIED)

    assert quote.lines == []
    assert quote.total_paise == 0


def test_birth_late_fee_line_names_its_head_of_account(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), birth(25), APPLIED)

    (line,) = quote.lines
    assert line.head == "late_fee"
    assert line.head_of_account.startswith("MCD/")
    assert line.label.en == "Late registration fee"
    assert "25 days" in line.basis


def test_extra_copies_cost_five_rupees_each_after_the_first(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), birth(10, copies=3), APPLIED)

    (line,) = quote.lines
    assert line.head == "extra_copies"
    assert line.quantity == 2
    assert line.unit_paise == 500
    assert quote.total_paise == 1000


def test_late_fee_and_copies_add_up(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), birth(730, copies=3), APPLIED)

    assert [line.head for line in quote.lines] == ["late_fee", "extra_copies"]
    assert quote.total_paise == 2000


def test_date_objects_are_accepted_too(catalog: Catalog) -> None:
    values = {"date_of_birth": APPLIED - timedelta(days=25), "copies": 1}

    quote = compute_fees(catalog.service("birth_certificate"), values, APPLIED)

    assert quote.total_paise == 200


def test_missing_values_are_pending_not_guessed(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("birth_certificate"), {"copies": 3}, APPLIED)

    assert quote.pending == ["date_of_birth"]
    assert quote.total_paise == 1000


@pytest.mark.parametrize(("act", "rupees"), [("HMA", 100), ("SMA", 150)])
def test_marriage_fee_by_act(catalog: Catalog, act: str, rupees: int) -> None:
    quote = compute_fees(catalog.service("marriage_certificate"), {"act": act}, APPLIED)

    assert quote.total_paise == rupees * 100
    assert quote.lines[0].head_of_account


def test_learner_licence_two_classes(catalog: Catalog) -> None:
    values = {"vehicle_classes": ["MCWG", "LMV-NT"]}

    quote = compute_fees(catalog.service("learner_licence"), values, APPLIED)

    assert quote.total_paise == 35000
    assert {line.head: line.amount_paise for line in quote.lines} == {
        "licence_fee": 30000,
        "test_fee": 5000,
    }


def test_learner_licence_before_classes_are_known_shows_the_test_fee(catalog: Catalog) -> None:
    quote = compute_fees(catalog.service("learner_licence"), {}, APPLIED)

    assert quote.pending == ["vehicle_classes"]
    assert quote.total_paise == 5000


def test_caste_certificate_is_free(catalog: Catalog) -> None:
    values = {"category": "SC", "resident_since_year": 1980}

    quote = compute_fees(catalog.service("caste_certificate"), values, APPLIED)

    assert quote.lines == []
    assert quote.total_paise == 0


def test_property_tax_is_not_computed_here(catalog: Catalog) -> None:
    values = {"upic": "060110304150031", "financial_year": "2026-27"}

    with pytest.raises(FeeError, match="tools.property_tax"):
        compute_fees(catalog.service("property_tax"), values, APPLIED)


def test_unknown_option_is_a_catalog_error(catalog: Catalog) -> None:
    with pytest.raises(FeeError, match="no amount"):
        compute_fees(catalog.service("marriage_certificate"), {"act": "XYZ"}, APPLIED)
