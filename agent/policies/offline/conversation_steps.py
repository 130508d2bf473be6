"""Questions, status, help, language and the messages that fit no form."""

from __future__ import annotations

from typing import Any

from agent.i18n import text
from agent.messages import Reply, TextReply
from agent.policies.base import Decision, PolicyContext
from agent.policies.offline import present
from agent.policies.offline.common import (
    Steps,
    call,
    language_of,
    reply_with,
)
from agent.state import ConversationState


class ConversationSteps(Steps):
    """Questions, status, a person, language switches, thanks, empty messages."""

    def _on_question(self, state: ConversationState, ctx: PolicyContext,
                     results: list[dict[str, Any]]) -> Decision:
        if not results:
            named = state["understanding"].get("service_id")
            service = named or state.get("service_id")
            query = state["incoming"].get("text", "")[:400]
            arguments: dict[str, Any] = {"query": query}
            if service:
                arguments["service"] = service
            if service and not named:
                # The form's service gives a bare "kaun se documents?" its subject.
                name = ctx.catalog.service(service).name
                subject = name.hi if language_of(state) == "hi" else name.en
                arguments["query"] = f"{query} ({subject})"
            return call("search_knowledge", arguments)
        answer = present.knowledge_answer(results[-1].get("result") or {}, language_of(state))
        return Decision(replies=[answer, *self._reprompt(state, ctx)])

    def _on_status(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        numbers = state["understanding"].get("application_numbers") or []
        if not results:
            return call("check_status", {"application_number": numbers[0]} if numbers else {})
        outcome = results[-1]
        if not outcome["ok"]:
            reply: Reply = present.error_reply(outcome["error"], language_of(state))
        else:
            reply = present.status_list(outcome["result"]["applications"], ctx.catalog,
                                        language_of(state))
        return Decision(replies=[reply, *self._reprompt(state, ctx)])

    def _on_human(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        if not results:
            arguments: dict[str, Any] = {
                "reason": (state["incoming"].get("text") or "help")[:500]
            }
            if state.get("application"):
                arguments["application_number"] = state["application"]
            return call("request_human_help", arguments)
        outcome = results[-1]
        if not outcome["ok"]:
            return reply_with(present.error_reply(outcome["error"], language_of(state)))
        ticket = outcome["result"]["ticket"]
        return reply_with(TextReply(body=text("human_ticket", language_of(state), ticket=ticket)))

    def _on_language(self, state: ConversationState, ctx: PolicyContext,
                     results: list[dict[str, Any]]) -> Decision:
        note = TextReply(body=text("language_switched", language_of(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])

    def _on_thanks(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        return reply_with(TextReply(body=text("thanks_reply", language_of(state))))

    def _on_empty(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        note = TextReply(body=text("empty_message", language_of(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])
