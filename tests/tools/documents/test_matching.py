from dataclasses import dataclass

import pytest

from tools.documents.dates import find_dates, parse_date
from tools.documents.extract import Extraction
from tools.documents.matching import CheckStatus, run_checks, values_agree
from tools.documents.names import names_match


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("रवि कुमार", "Ravi Kumar"),
        ("श्रीमती कविता जैन", "Kavita Jain"),
        ("सुरेश अग्रवाल", "Suresh Agarwal"),
        ("पूजा मेहता", "Pooja Mehta"),
        ("लक्ष्मी", "Laxmi"),
        ("कविता सिंह", "Kavita Singh"),
        ("Kumar Ravi", "Ravi Kumar"),
        ("Ravikumar", "Ravi Kumar"),
        ("Smt. Sunita Devi", "sunita devi"),
    ],
)
def test_names_match_across_scripts_and_spellings(first: str, second: str) -> None:
    assert names_match(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Amit Gupta", "Anil Gupta"),
        ("Sunita Yadav", "Anita Yadav"),
        ("रवि कुमार", "Ravi Sharma"),
        ("Ravi", "Ravi Kumar Sharma"),
    ],
)
def test_different_names_do_not_match(first: str, second: str) -> None:
    assert not names_match(first, second)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("05/08/1990", "1990-08-05"),
        ("5-8-1990", "1990-08-05"),
        ("05.08.1990", "1990-08-05"),
        ("1990-08-05", "1990-08-05"),
        ("5 August 1990", "1990-08-05"),
        ("August 5, 1990", "1990-08-05"),
        ("5th Aug 1990", "1990-08-05"),
        ("05-Aug-1990", "1990-08-05"),
        ("5 अगस्त 1990", "1990-08-05"),
        ("१२ फ़रवरी २०२४", "2024-02-12"),
        ("15.1 0.1968", "1968-10-15"),
    ],
)
def test_dates_are_read_in_many_formats(printed: str, iso: str) -> None:
    assert parse_date(f"जन्म तिथि: {printed} है") == iso


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("31/02/2020 and 45/13/2020") == []


@dataclass
class Check:
    field: str
    kind: str


def test_checks_report_match_mismatch_not_found_and_no_value() -> None:
    extraction = Extraction(
        kind="hospital_slip",
        fields={"mother_name": "कविता जैन", "father_name": "सुरेश जैन",
                "date_of_birth": "2023-08-06"},
        names=["कविता जैन", "सुरेश जैन"],
        dates=["2023-08-06"],
    )
    text = "माता का नाम: श्रीमती कविता जैन\nजन्म तिथि: 6 अगस्त 2023"
    checks = [
        Check("mother_name", "name"),
        Check("date_of_birth", "date"),
        Check("father_name", "name"),
        Check("certificate_number", "number"),
        Check("child_name", "name"),
    ]
    application = {
        "mother_name": "Kavita Jain",
        "date_of_birth": "2023-08-07",
        "father_name": "Rakesh Jain",
        "certificate_number": "LNH/2023/00012",
    }

    results = {r.field: r for r in run_checks(checks, application, extraction, text)}

    assert results["mother_name"].status is CheckStatus.MATCH
    assert results["date_of_birth"].status is CheckStatus.MISMATCH
    assert results["date_of_birth"].read == "2023-08-06"
    assert results["father_name"].status is CheckStatus.MISMATCH
    assert results["father_name"].read == "सुरेश जैन"
    assert results["certificate_number"].status is CheckStatus.NOT_FOUND
    assert results["child_name"].status is CheckStatus.NO_VALUE


def test_an_unlabelled_name_is_found_in_the_text() -> None:
    extraction = Extraction(kind="other")
    text = "To whom it may concern\nThis is to certify that Ravi Kumar lives here."

    [result] = run_checks([Check("applicant_name", "name")], {"applicant_name": "रवि कुमार"},
                          extraction, text)

    assert result.status is CheckStatus.MATCH


def test_numbers_ignore_separators_and_look_alikes() -> None:
    assert values_agree("number", "DL-LNH-2023-0012", "DL LNH 2023 OO12")
    assert not values_agree("number", "DL-LNH-2023-0012", "DL-LNH-2023-0013")
