"""Confirming, paying, submitting and cancelling; property tax dues."""

from __future__ import annotations

from typing import Any

from agent.i18n import text
from agent.messages import ButtonsReply, Reply, TextReply
from agent.policies.base import Decision, PolicyContext
from agent.policies.offline import present
from agent.policies.offline.common import (
    CANCELLABLE,
    Steps,
    call,
    language_of,
    reply_with,
    submitted,
)
from agent.state import ConversationState


class ConfirmSteps(Steps):
    """Yes and No, payments, cancellation and property tax."""

    def _on_yes(self, state: ConversationState, ctx: PolicyContext,
                results: list[dict[str, Any]]) -> Decision:
        if not results:
            return self._on_unknown(state, ctx, results)
        return self._after_confirmed(state, ctx, results[-1])

    def _after_confirmed(self, state: ConversationState, ctx: PolicyContext,
                         outcome: dict[str, Any]) -> Decision:
        language = language_of(state)
        if not outcome["ok"]:
            replies: list[Reply] = [present.error_reply(outcome["error"], language)]
            return Decision(replies=replies, updates={"pending_call": None})
        result = outcome["result"]
        name = outcome["name"]
        if name == "create_payment":
            replies = present.payment_replies(result, language, ctx.media_dir)
            named = state.get("understanding", {}).get("amounts") or []
            if any(amount != result["amount_rupees"] for amount in named):
                # The amount due comes from the fee rules or the tax, never from the chat.
                note = text("amount_from_rules", language, amount=result["amount_rupees"])
                replies = [TextReply(body=note), *replies]
            return Decision(replies=replies,
                            updates={"awaiting": "payment", "pending_call": None})
        if name == "submit_application":
            return Decision(replies=submitted(result, language),
                            updates={"awaiting": None, "pending_call": None})
        if name == "cancel_application":
            number = result["application"]["number"]
            updates: dict[str, Any] = {"pending_call": None}
            if number == state.get("application"):
                updates.update(application=None, service_id=None, awaiting=None)
            return Decision(replies=[TextReply(body=text("cancelled", language, number=number))],
                            updates=updates)
        return Decision(replies=[TextReply(body=text("done", language))],
                        updates={"pending_call": None})

    def _on_no(self, state: ConversationState, ctx: PolicyContext,
               results: list[dict[str, Any]]) -> Decision:
        note = TextReply(body=text("declined", language_of(state)))
        before = state.get("awaiting_before")
        if before:
            # A No to "cancel?" leaves the form where it was: ask its question again.
            resumed: ConversationState = {**state, "awaiting": before}
            return Decision(replies=[note, *self._reprompt(resumed, ctx)],
                            updates={"pending_call": None, "awaiting": before,
                                     "awaiting_before": None})
        hint = []
        if state.get("application"):
            hint = [TextReply(body=text("declined_hint", language_of(state)))]
        return Decision(replies=[note, *hint],
                        updates={"pending_call": None, "awaiting": None})

    def _on_pay(self, state: ConversationState, ctx: PolicyContext,
                results: list[dict[str, Any]]) -> Decision:
        if state.get("upic"):
            return self._tax_due(state, ctx, results, state["upic"] or "")
        if not state.get("application"):
            return reply_with(TextReply(body=text("nothing_to_pay", language_of(state))))
        if not results:
            return call("check_status", {"application_number": state["application"]})
        return self._next_or_error(state, ctx, results[-1], intro=[])

    def _on_cancel(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        numbers = state["understanding"].get("application_numbers") or []
        number = numbers[0] if numbers else state.get("application")
        language = language_of(state)
        if numbers and numbers[0] != state.get("application"):
            # A number typed in: only the citizen's own is offered for cancelling.
            if not results:
                return call("check_status", {"application_number": numbers[0]})
            if not results[-1]["ok"]:
                return reply_with(present.error_reply(results[-1]["error"], language))
        if not number:
            # No number and no form open: the one open application of theirs, if only one.
            if not results:
                return call("check_status", {})
            service = state["understanding"].get("service_id")
            open_ones = [
                app for app in (results[-1].get("result") or {}).get("applications", [])
                if app["status"] in CANCELLABLE and (not service or app["service_id"] == service)
            ]
            if len(open_ones) != 1:
                listing = [present.status_list(open_ones, ctx.catalog, language)] if open_ones \
                    else []
                return reply_with(*listing, TextReply(body=text("nothing_to_cancel", language)))
            number = open_ones[0]["number"]
        pending = {"name": "cancel_application", "arguments": {"application_number": number}}
        body = text("confirm_cancel", language, number=number)
        return Decision(replies=[ButtonsReply(body=body, buttons=present.yes_no(language))],
                        updates={"pending_call": pending, "awaiting": "confirm",
                                 "awaiting_before": state.get("awaiting")})

    def _on_property_tax(self, state: ConversationState, ctx: PolicyContext,
                         results: list[dict[str, Any]]) -> Decision:
        upics = state["understanding"].get("upics") or []
        if not upics:
            if state.get("awaiting") == "upic" and state["incoming"].get("text"):
                note = TextReply(body=text("error_invalid_upic", language_of(state)))
                ask = TextReply(body=text("ask_upic", language_of(state)))
                return Decision(replies=[note, ask],
                                updates={"awaiting": "upic"})
            return Decision(replies=[TextReply(body=text("ask_upic", language_of(state)))],
                            updates={"awaiting": "upic", "application": None,
                                     "service_id": None, "pending_call": None})
        return self._tax_due(state, ctx, results, upics[0])

    def _tax_due(self, state: ConversationState, ctx: PolicyContext,
                 results: list[dict[str, Any]], upic: str) -> Decision:
        if not results:
            return call("get_property_tax_due", {"upic": upic})
        outcome = results[-1]
        language = language_of(state)
        if not outcome["ok"]:
            again = [TextReply(body=text("ask_upic", language))]
            return Decision(replies=[present.error_reply(outcome["error"], language), *again],
                            updates={"awaiting": "upic", "upic": None})
        due = outcome["result"]
        updates: dict[str, Any] = {"upic": due["upic"], "awaiting": None, "pending_call": None}
        if due["years"]:
            updates["awaiting"] = "confirm"
            updates["pending_call"] = {"name": "create_payment",
                                       "arguments": {"upic": due["upic"]}}
        return Decision(replies=present.tax_dues(due, language), updates=updates)
