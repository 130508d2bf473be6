from datetime import date

from evals.scenarios.final_state import check_final, field_equal
from evals.scenarios.model import FinalState

ROWS = {
    "applications": [
        {
            "number": "BC-2026-000001",
            "service": "birth_certificate",
            "status": "submitted",
            "owner_wa_id": "919810000001",
            "fields": {"child_name": "Aarav", "date_of_birth": "2026-11-20", "copies": 2},
            "documents": ["parents_id_proof", "proof_of_birth"],
        },
        {
            "number": "LL-2026-000001",
            "service": "learner_licence",
            "status": "draft",
            "owner_wa_id": "919810000001",
            "fields": {"vehicle_classes": ["MCWG", "LMV"]},
            "documents": [],
        },
    ],
    "payments": [{"status": "captured", "amount": 5.0, "application": "BC-2026-000001"}],
    "properties": [{"upic": "DL0123456789AB1", "paid_years": ["2025-26", "2026-27"]}],
    "citizens": [{"wa_id": "919810000001", "name": "Ravi", "preferred_language": "en"}],
}


def test_subset_match_passes():
    final = FinalState(
        applications=[
            {
                "service": "birth_certificate",
                "status": "SUBMITTED",
                "fields": {
                    "child_name": "aarav",
                    "date_of_birth": date(2026, 11, 20),
                    "copies": "2",
                },
                "documents": ["proof_of_birth"],
            },
            {"fields": {"vehicle_classes": ["LMV", "MCWG"]}},
        ],
        payments=[{"status": "captured", "amount": 5}],
        properties=[{"upic": "DL0123456789AB1", "paid_years": ["2026-27"]}],
        citizens=[{"wa_id": "919810000001", "preferred_language": "en"}],
        absent={"applications": [{"status": "cancelled"}]},
        counts={"applications": 2, "payments": 1},
    )
    assert check_final(final, ROWS) == []


def test_failures_name_the_item_and_the_nearest_row():
    final = FinalState(
        applications=[{"service": "birth_certificate", "fields": {"child_name": "Vivaan"}}],
        absent={"payments": [{"status": "captured"}]},
        counts={"properties": 2},
    )
    failures = check_final(final, ROWS)
    assert failures[0].startswith("final.applications[0]: no row matches")
    assert "nearest row BC-2026-000001: fields.child_name='Aarav'" in failures[0]
    assert failures[1].startswith("final.absent.payments[0]")
    assert failures[2] == "final.counts.properties: expected 2 rows, found 1"


def test_lists_in_fields_are_sets_other_lists_subsets():
    assert field_equal(["MCWG", "LMV"], ["LMV", "MCWG"])
    assert not field_equal(["MCWG"], ["LMV", "MCWG"])
    final = FinalState(properties=[{"upic": "DL0123456789AB1", "paid_years": ["2024-25"]}])
    assert check_final(final, ROWS)[0].startswith("final.properties[0]")


def test_unknown_key_is_reported():
    failures = check_final(FinalState(payments=[{"amont": 5}]), ROWS)
    assert "amont (no such key" in failures[0]
