"""A scripted stand-in for the agent: a few fixed moves over the real tools, for runner tests."""

from __future__ import annotations

from typing import Any

from agent.messages import (
    Button,
    ButtonsReply,
    Incoming,
    ListReply,
    ListRow,
    ListSection,
    Reply,
    TextReply,
)
from agent.turns import ToolCallRecord, TurnResult
from evals.scenarios.environment import ScenarioEnvironment

BIRTH_FIELDS = {
    "sex": "female",
    "date_of_birth": "2026-11-20",
    "place_of_birth": "hospital",
    "birth_address": "Lok Nayak Hospital, New Delhi",
    "father_name": "Ravi Kumar",
    "mother_name": "Sunita Devi",
    "informant_relation": "father",
    "copies": 2,
}


class ScriptedAgent:
    """Understands "hi", "birth", "status <number>", "fill", "pay", "hindi", taps and uploads."""

    def __init__(self, env: ScenarioEnvironment, flaky: bool = False) -> None:
        self.env = env
        self.number: str | None = None
        self.flaky = flaky
        self.turns = 0

    def handle_turn(self, incoming: Incoming) -> TurnResult:
        self.turns += 1
        calls: list[ToolCallRecord] = []

        def call(name: str, arguments: dict[str, Any]) -> Any:
            outcome = self.env.tools.call(
                incoming.citizen_id, name, arguments, idempotency_key=incoming.message_id
            )
            calls.append(
                ToolCallRecord(
                    name=name,
                    arguments=arguments,
                    ok=outcome.ok,
                    error_code=outcome.error.code if outcome.error else None,
                )
            )
            return outcome

        replies, language = self._respond(incoming, call)
        return TurnResult(replies=replies, tool_calls=calls, language=language)

    def _respond(self, incoming: Incoming, call: Any) -> tuple[list[Reply], str]:
        text = incoming.text.lower()
        if incoming.kind == "event":
            if incoming.event == "payment_captured":
                return [TextReply(body="Payment received, thank you. Receipt sent.")], "en"
            return [TextReply(body="The payment failed; please try again.")], "en"
        if incoming.kind == "document":
            outcome = call(
                "upload_document",
                {
                    "application_number": self.number or "",
                    "slot": "proof_of_birth",
                    "document_id": incoming.document_id,
                },
            )
            return [TextReply(body="Document saved" if outcome.ok else "Not saved")], "en"
        if incoming.kind == "unsupported":
            return [TextReply(body=f"Sorry, that file cannot be used ({incoming.rejection})")], "en"
        if incoming.kind == "choice":
            if incoming.choice_id == "opt:female":
                call(
                    "set_application_fields",
                    {"application_number": self.number, "values": {"sex": "female"}},
                )
            return [TextReply(body=f"Noted: {incoming.choice_title}")], "en"
        if text == "hi":
            rows = [ListRow(id="service:birth_certificate", title="Birth certificate")]
            body = "Namaste! Which service do you need?"
            reply = ListReply(
                body=body, button="Services", sections=[ListSection(title="All", rows=rows)]
            )
            return [reply], "en"
        if "birth" in text:
            outcome = call("start_application", {"service_id": "birth_certificate"})
            self.number = outcome.result.application.number
            buttons = [Button(id="opt:male", title="Boy"), Button(id="opt:female", title="Girl")]
            return [ButtonsReply(body="Is the child a boy or a girl?", buttons=buttons)], "en"
        if text == "fill":
            call(
                "set_application_fields",
                {"application_number": self.number, "values": BIRTH_FIELDS},
            )
            return [TextReply(body="All answers saved.")], "en"
        if text == "pay":
            call("create_payment", {"application_number": self.number})
            return [TextReply(body="Pay ₹5 here: http://test/sandbox/pay/1")], "en"
        if text.startswith("status"):
            number = text.split()[-1] if len(text.split()) > 1 else None
            call("check_status", {"application_number": number.upper() if number else None})
            return [TextReply(body="Here is the status.")], "en"
        if text == "hindi":
            return [TextReply(body="ठीक है, अब मैं हिंदी में बात करूँगा।")], "hi"
        if text == "flaky" and self.flaky and self.env.folder.name.endswith("-1"):
            return [TextReply(body="confused")], "en"
        return [TextReply(body="Sorry, I did not understand.")], "en"
