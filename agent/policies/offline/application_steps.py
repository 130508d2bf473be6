"""The greeting, and starting and filling in an application's fields."""

from __future__ import annotations

from typing import Any

from agent.answers import value_for
from agent.i18n import local, text
from agent.intents import Intent
from agent.messages import Reply, TextReply
from agent.policies.base import Decision, PolicyContext, ToolCall
from agent.policies.offline import form, present
from agent.policies.offline.common import (
    Steps,
    awaited_field,
    call,
    corrections,
    field_named,
    first_field,
    first_name,
    kind_of,
    language_of,
    reply_with,
    strip_correction,
)
from agent.state import ConversationState
from tools.catalog.schema import FieldSpec


class FormSteps(Steps):
    """Greeting, menu, starting, answering, skipping and correcting."""

    def _on_greet(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        if not results:
            department = state.get("incoming", {}).get("department")
            return call("list_services", {"department": department} if department else {})
        services = results[-1].get("result", {}).get("services", [])
        name = state.get("incoming", {}).get("citizen_name")
        resume = state.get("application") if state.get("awaiting") else None
        replies = present.menu(services, language_of(state), first_name(name), resume)
        return Decision(replies=replies, updates={"awaiting": None, "pending_call": None})

    def _on_resume(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        number = state.get("application")
        if not number:
            return self._on_greet(state, ctx, results)
        if not results:
            return call("check_status", {"application_number": number})
        return self._next_or_error(state, ctx, results[-1], intro=[])

    def _on_service(self, state: ConversationState, ctx: PolicyContext,
                    results: list[dict[str, Any]]) -> Decision:
        service_id = state["understanding"]["service_id"]
        if not results:
            return call("start_application", {"service_id": service_id})
        started = results[0]
        if not started["ok"]:
            return reply_with(present.error_reply(started["error"], language_of(state)))
        application = started["result"]["application"]
        service = ctx.catalog.service(service_id)
        updates: dict[str, Any] = {
            "application": application["number"],
            "service_id": service_id,
            "upic": None,
        }
        if not started["result"]["resumed"]:
            updates["skipped"] = []

        # Details given up front ("mere bete ka…", a date) are used, not asked again.
        if len(results) == 1 and state["incoming"].get("kind") == "text":
            from agent.answers import values_in_message

            found = values_in_message(service, state["incoming"]["text"], ctx.today(),
                                      filled=set(application["fields"]))
            if found:
                return Decision(
                    calls=[ToolCall("set_application_fields",
                                    {"application_number": application["number"],
                                     "values": found})],
                    updates=updates,
                )
        summary = results[-1]["result"]["application"] if results[-1]["ok"] else application
        key = "start_resumed" if started["result"]["resumed"] else "start_new"
        intro = TextReply(body=text(key, language_of(state), number=application["number"],
                                    service=local(service.name, language_of(state))))
        skipped = updates.get("skipped", state.get("skipped", []))
        replies, asked = form.next_step(service, summary, language_of(state), skipped)
        return Decision(replies=[intro, *replies], updates={**updates, **asked})

    def _on_answer(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        service, spec = awaited_field(state, ctx)
        if service is None or spec is None:
            return self._on_unknown(state, ctx, results)
        language = language_of(state)
        if not results:
            value = state["understanding"].get("value")
            if value is None:
                value = value_for(spec, state["incoming"].get("text", ""), ctx.today(),
                                  direct=True)
            if value is None:
                hint = TextReply(body=text(f"cannot_read_{kind_of(spec)}", language))
                return Decision(replies=[hint, *form.question(spec, language)])
            return call("set_application_fields",
                         {"application_number": state["application"],
                          "values": {spec.name: value}})
        return self._after_fields(state, ctx, results[-1], spec)

    def _after_fields(self, state: ConversationState, ctx: PolicyContext,
                      outcome: dict[str, Any], spec: FieldSpec | None) -> Decision:
        """Reply to a set_application_fields outcome: the problem, or the next question."""
        language = language_of(state)
        service = ctx.catalog.service(state["service_id"] or "")
        if not outcome["ok"]:
            return reply_with(present.error_reply(outcome["error"], language))
        result = outcome["result"]
        problems: list[Reply] = []
        for rejected in result["rejected"]:
            problems.append(TextReply(body=text(f"value_{rejected['code']}", language)))
        for rule in result["ineligible"]:
            problems.append(TextReply(body=local(rule["message"], language)))
        if problems:
            asked = spec or first_field(service, result["application"], state)
            again = form.question(asked, language) if asked else []
            return Decision(replies=[*problems[:2], *again],
                            updates={"awaiting": f"field:{asked.name}"} if asked else {})
        updates = {"last_field": next(iter(result["accepted"]), state.get("last_field"))}
        replies, asked_state = form.next_step(service, result["application"], language,
                                              state.get("skipped", []))
        if state.get("understanding", {}).get("intent") == Intent.CORRECTION.value:
            replies = [*corrections(service, result["accepted"], language), *replies]
        return Decision(replies=replies, updates={**updates, **asked_state})

    def _on_skip(self, state: ConversationState, ctx: PolicyContext,
                 results: list[dict[str, Any]]) -> Decision:
        service, spec = awaited_field(state, ctx)
        if service is None or spec is None:
            return self._on_unknown(state, ctx, results)
        if spec.required:
            note = TextReply(body=text("field_required", language_of(state)))
            return Decision(replies=[note, *form.question(spec, language_of(state))])
        if not results:
            return call("check_status", {"application_number": state["application"]})
        skipped = [*state.get("skipped", []), spec.name]
        state = {**state, "skipped": skipped}
        decision = self._next_or_error(state, ctx, results[-1], intro=[])
        decision.updates["skipped"] = skipped
        return decision

    def _on_correction(self, state: ConversationState, ctx: PolicyContext,
                       results: list[dict[str, Any]]) -> Decision:
        service = ctx.catalog.services.get(state.get("service_id") or "")
        if service is None or not state.get("application"):
            return self._on_unknown(state, ctx, results)
        if results:
            return self._after_fields(state, ctx, results[-1], None)
        message = state["incoming"].get("text", "")
        spec, remainder = field_named(service, message, state.get("last_field"))
        if spec is None and state.get("last_field"):
            spec, remainder = service.field(state["last_field"] or ""), strip_correction(message)
        value = value_for(spec, remainder, ctx.today(), direct=True) if spec else None
        if spec is None or value is None:
            return self._on_unknown(state, ctx, results)
        return call("set_application_fields",
                     {"application_number": state["application"], "values": {spec.name: value}})
