from agent.messages import Button, ButtonsReply, TextReply
from agent.turns import ToolCallRecord, TurnResult
from evals.scenarios.expectations import check_turn, devanagari_share
from evals.scenarios.model import Expect


def result(body="Hello", calls=(), language="en", buttons=()):
    replies = [TextReply(body=body)]
    if buttons:
        replies.append(
            ButtonsReply(body="Choose", buttons=[Button(id=f"opt:{b}", title=b) for b in buttons])
        )
    records = [
        ToolCallRecord(name=name, ok=ok, error_code=None if ok else "application_not_found")
        for name, ok in calls
    ]
    return TurnResult(replies=replies, tool_calls=records, language=language)


def test_tools_in_order_with_others_allowed():
    turn = result(calls=[("list_services", True), ("start_application", True), ("x", True)])
    assert check_turn(Expect(tools=["list_services", "start_application"]), turn) == []
    failures = check_turn(Expect(tools=["start_application", "list_services"]), turn)
    assert len(failures) == 1
    assert failures[0].startswith("tools: expected list_services")
    assert "saw list_services, start_application, x" in failures[0]


def test_tool_outcome_arguments_and_errors():
    turn = result(calls=[("check_status", False)])
    assert check_turn(Expect(tools=[{"name": "check_status", "ok": False}]), turn) == []
    assert check_turn(Expect(tools=[{"name": "check_status", "ok": True}]), turn)
    assert check_turn(Expect(tool_errors=["application_not_found"]), turn) == []
    assert check_turn(Expect(tool_errors=["other"]), turn)[0].startswith("tool_errors")
    failures = check_turn(Expect(not_tools=["check_status"]), turn)
    assert failures[0].startswith("not_tools: ['check_status']")


def test_text_expectations_are_case_insensitive():
    turn = result(body="Your Birth Certificate application BC-2026-000001")
    assert check_turn(Expect(contains_any=["janm", "birth certificate"]), turn) == []
    assert check_turn(Expect(contains_all=["bc-2026", "BIRTH"]), turn) == []
    assert check_turn(Expect(contains_any=["marriage"]), turn)[0].startswith("contains_any")
    assert check_turn(Expect(not_contains=["birth"]), turn)[0].startswith("not_contains")


def test_language_checks_the_report_and_the_script():
    hindi = result(body="आपका आवेदन जमा हो गया है। BC-2026-000001", language="hi")
    assert check_turn(Expect(language="hi"), hindi) == []
    latin_but_says_hi = result(body="Aapka application jama ho gaya", language="hi")
    failures = check_turn(Expect(language="hi"), latin_but_says_hi)
    assert failures == ["language: expected Devanagari, 0% of letters are"]
    assert check_turn(Expect(language="hi-Latn"), hindi)[0].startswith("language: expected hi-Latn")
    assert devanagari_share("https://x.example/pay आज") == 1.0


def test_buttons_and_reply_types():
    turn = result(buttons=["Boy", "Girl"])
    assert check_turn(Expect(buttons=["girl", "opt:Boy"]), turn) == []
    failures = check_turn(Expect(buttons=["Other"]), turn)
    assert failures == ["buttons: ['Other'] not offered; offered ['Boy', 'Girl']"]
    assert check_turn(Expect(reply_types=["buttons"]), turn) == []
    assert check_turn(Expect(reply_types=["image"]), turn)[0].startswith("reply_types")
