import json
import shutil
from pathlib import Path

import pytest
import yaml

from evals.report.html import write_report
from evals.scenarios.compare import compare
from evals.scenarios.loading import ScenarioFileError, load_scenarios
from evals.scenarios.results import read_results, write_results
from evals.scenarios.runner import RunOptions
from evals.scenarios.suite import run_suite
from tests.evals.fake_agent import ScriptedAgent
from tools.settings import Settings

FILES = Path(__file__).resolve().parents[2] / "evals" / "suites" / "scenarios" / "files"
CITIZEN = {"wa_id": "919810000001", "name": "Ravi Kumar"}


def scenario(sid, turns, final=None, **extra):
    item = {
        "id": sid,
        "tags": ["birth_certificate", "en"],
        "clock": "2026-11-25T10:00:00+05:30",
        "citizen": CITIZEN,
        "turns": turns,
    }
    if final:
        item["final"] = final
    item.update(extra)
    return item


def write(tmp_path, items, name="cases.yaml"):
    folder = tmp_path / "suite"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return folder


def run(tmp_path, items, repeat=1, flaky=False):
    folder = write(tmp_path, items)
    options = RunOptions(
        repeat=repeat,
        settings=Settings(data_dir=tmp_path / "data"),
        agent_factory=lambda env: ScriptedAgent(env, flaky=flaky),
        keep_dir=tmp_path / "runs",
    )
    return run_suite(load_scenarios([folder]), options, paths=[str(folder)])


def test_a_passing_scenario_checks_turns_and_the_final_database(tmp_path):
    items = [
        scenario(
            "happy",
            [
                {"user": "Hi", "expect": {"contains_any": ["service", "seva"], "language": "en"}},
                {"tap": "Birth certificate", "expect": {"not_tools": ["start_application"]}},
                {
                    "user": "mujhe birth certificate chahiye",
                    "expect": {"tools": ["start_application"]},
                },
                {"tap": "girl", "expect": {"tools": ["set_application_fields"]}},
            ],
            final={
                "applications": [
                    {"service": "birth_certificate", "status": "draft", "fields": {"sex": "female"}}
                ],
                "counts": {"payments": 0},
            },
        )
    ]
    document = run(tmp_path, items)
    assert document["pass_rate"] == 1.0
    record = document["scenarios"][0]
    assert record == {**record, "id": "happy", "passed": True, "failures": []}
    assert record["service"] == "birth_certificate" and record["language"] == "en"


def test_failure_names_turn_expectation_reply_and_tools(tmp_path):
    items = [
        scenario(
            "wrong",
            [
                {"user": "hi"},
                {"user": "birth please", "expect": {"tools": ["list_services"]}},
            ],
            final={"applications": [{"status": "submitted"}]},
        )
    ]
    document = run(tmp_path, items)
    failures = document["scenarios"][0]["failures"]
    assert failures[0] == (
        "turn 2 (user: 'birth please'): tools: expected list_services "
        "(in order ['list_services']); saw start_application"
    )
    assert failures[1].startswith("final.applications[0]: no row matches {'status': 'submitted'}")
    turn = document["scenarios"][0]["runs"][0]["turns"][1]
    assert turn["reply"].startswith("Is the child a boy or a girl?")
    assert turn["tool_calls"][0]["name"] == "start_application"


def test_a_tap_never_offered_stops_the_scenario_with_a_reason(tmp_path):
    items = [scenario("tap", [{"user": "hi"}, {"tap": "Marriage"}, {"user": "hi"}])]
    failures = run(tmp_path, items)["scenarios"][0]["failures"]
    assert failures == [
        "turn 2 (tap: 'Marriage'): tap 'Marriage': no such button or list row was offered; "
        "the last ones were ['Birth certificate']",
        "final: not checked, the scenario stopped at turn 2",
    ]


def test_upload_reaches_its_slot_and_a_wrong_file_is_refused(tmp_path):
    folder = tmp_path / "suite" / "files"
    folder.mkdir(parents=True)
    shutil.copy(FILES / "hospital_slip.png", folder)
    shutil.copy(FILES / "archive.png", folder)
    items = [
        scenario(
            "upload",
            [
                {"user": "birth"},
                {"upload": {"slot": "proof_of_birth", "file": "hospital_slip.png"}},
                {"upload": {"file": "archive.png"}, "expect": {"contains_any": ["unsupported"]}},
            ],
            final={"applications": [{"documents": ["proof_of_birth"]}]},
        )
    ]
    document = run(tmp_path, items)
    assert document["scenarios"][0]["failures"] == []
    assert document["by_turn_type"]["upload"] == {"passed": 2, "total": 2, "rate": 1.0}


def test_upload_of_a_missing_file_fails_clearly(tmp_path):
    items = [scenario("nofile", [{"upload": {"slot": "x", "file": "nope.png"}}])]
    failures = run(tmp_path, items)["scenarios"][0]["failures"]
    assert failures[0].startswith("turn 1 (upload: nope.png): upload: no file 'nope.png'")


def test_pay_success_captures_and_delivers_the_event(tmp_path):
    items = [
        scenario(
            "pay",
            [
                {"user": "birth"},
                {"user": "fill"},
                {"user": "pay", "expect": {"tools": ["create_payment"]}},
                {"pay": "success", "expect": {"contains_any": ["received"]}},
            ],
            final={"payments": [{"status": "captured", "amount": 5}]},
        ),
        scenario("nopay", [{"pay": "failure"}]),
    ]
    document = run(tmp_path, items)
    assert document["scenarios"][0]["failures"] == []
    assert document["scenarios"][1]["failures"][0] == (
        "turn 1 (pay: failure): pay: citizen has no pending payment to fail"
    )


def test_others_application_and_fixtures(tmp_path):
    fixtures = {
        "applications": [
            {"number": "BC-2026-000007", "service": "birth_certificate", "owner_wa_id": "919999"}
        ]
    }
    items = [
        scenario(
            "others",
            [
                {
                    "user": "status bc-2026-000007",
                    "expect": {"tools": [{"name": "check_status", "ok": False}]},
                }
            ],
            fixtures=fixtures,
            final={
                "applications": [
                    {"number": "BC-2026-000007", "status": "submitted", "owner_wa_id": "919999"}
                ]
            },
        )
    ]
    assert run(tmp_path, items)["scenarios"][0]["failures"] == []


def test_pass_hat_k_counts_a_scenario_only_if_every_repeat_passes(tmp_path):
    items = [
        scenario("steady", [{"user": "hi", "expect": {"contains_any": ["namaste"]}}]),
        scenario("flaky", [{"user": "flaky", "expect": {"contains_any": ["sorry"]}}]),
    ]
    document = run(tmp_path, items, repeat=3, flaky=True)
    assert document["pass_rate"] == 0.5
    assert document["pass_hat_k"] == {"1": pytest.approx(5 / 6), "2": 2 / 3, "3": 0.5}
    flaky = document["scenarios"][1]
    assert [r["passed"] for r in flaky["runs"]] == [True, False, True]
    assert flaky["failures"][0].startswith("run 2: turn 1 (user: 'flaky'): contains_any")


def test_results_json_keys_report_and_compare(tmp_path):
    before = run(
        tmp_path / "a", [scenario("one", [{"user": "hi"}]), scenario("two", [{"user": "hi"}])]
    )
    after = run(
        tmp_path / "b",
        [
            scenario("one", [{"user": "hi", "expect": {"contains_all": ["nothing"]}}]),
            scenario("two", [{"user": "hi"}]),
            scenario("three", [{"user": "hi"}]),
        ],
    )
    path = write_results(after, tmp_path / "out")
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["kind"] == "scenarios"
    assert 0.0 <= stored["pass_rate"] <= 1.0
    for item in stored["scenarios"]:
        assert {"id", "passed", "failures"} <= set(item)
    for key in ("by_service", "by_language", "by_turn_type", "latency", "pass_hat_k"):
        assert key in stored

    report = write_report(after, tmp_path / "out").read_text(encoding="utf-8")
    assert "<svg" in report and "one" in report and "contains_all" in report
    assert "<script src" not in report and "<link" not in report and "http" not in report

    result = compare(before, read_results(tmp_path / "out"))
    assert [sid for sid, _f in result.newly_failing] == ["one"]
    assert result.added == ["three"]
    deltas = {name: (old, new) for name, old, new in result.deltas}
    assert deltas["pass_rate"] == (1.0, pytest.approx(2 / 3, abs=1e-3))
    assert deltas["by_language.en"][1] < 1.0
    assert result.regressed


def test_bad_scenario_files_are_refused_with_the_reason(tmp_path):
    folder = write(tmp_path, [scenario("x", [{"user": "hi", "tap": "yes"}])])
    with pytest.raises(ScenarioFileError, match="exactly one of user, tap, upload, pay"):
        load_scenarios([folder])
    folder = write(tmp_path, [scenario("x", [{"user": "hi", "expect": {"contain": ["a"]}}])])
    with pytest.raises(ScenarioFileError, match="contain"):
        load_scenarios([folder])
    write(tmp_path, [scenario("x", [{"user": "hi"}])], name="other.yaml")
    folder = write(tmp_path, [scenario("x", [{"user": "hi"}])])
    with pytest.raises(ScenarioFileError, match="also used"):
        load_scenarios([folder])
