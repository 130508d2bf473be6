"""Events from outside the chat: payments settled, officers' decisions, OCR results."""

from __future__ import annotations

from typing import Any

from agent.i18n import local, text
from agent.messages import Button, ButtonsReply, Reply, TextReply
from agent.policies.base import Decision, PolicyContext, ToolCall
from agent.policies.offline import present
from agent.policies.offline.common import (
    Steps,
    call,
    has_slot,
    language_of,
    pdf_replies,
    reply_with,
    submitted,
)
from agent.state import ConversationState


class EventSteps(Steps):
    """Events: payments, decisions and documents read."""

    def _on_event(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        incoming = state["incoming"]
        data = incoming.get("event_data") or {}
        language = language_of(state)
        if incoming.get("event") == "payment_captured":
            paid: list[Reply] = [TextReply(body=text("payment_captured", language,
                                                     amount=data.get("amount_rupees", ""),
                                                     receipt=data.get("receipt_number", "")))]
            paid += pdf_replies(data.get("receipt_path"), data.get("receipt_number"),
                         text("receipt_caption", language))
            number = data.get("application_number")
            if not number:
                return Decision(replies=paid, updates={"upic": None, "awaiting": None})
            if not results:
                submit = ToolCall("submit_application", {"application_number": number},
                                  confirmed=True)
                return Decision(calls=[submit])
            outcome = results[-1]
            if not outcome["ok"]:
                return reply_with(*paid, present.error_reply(outcome["error"], language))
            return Decision(replies=[*paid, *submitted(outcome["result"], language)],
                            updates={"awaiting": None, "pending_call": None})
        if incoming.get("event") == "document_read":
            return self._document_read(state, ctx, data)
        if incoming.get("event") == "payment_failed":
            # "Pay again" opens a new order for the same dues: the amount was confirmed before.
            target = ({"application_number": data["application_number"]}
                      if data.get("application_number") else {"upic": data.get("upic")})
            retry = Button(id="pay", title=text("button_pay_again", language))
            reply = ButtonsReply(body=text("payment_failed", language), buttons=[retry])
            return Decision(replies=[reply], updates={
                "pending_call": {"name": "create_payment", "arguments": target},
                "awaiting": "confirm"})
        if incoming.get("event") in ("application_approved", "application_rejected"):
            return self._on_decision(state, ctx, data, language)
        if incoming.get("event") == "info_requested":
            return self._on_info_requested(state, ctx, results, data, language)
        return Decision()

    def _on_decision(self, state: ConversationState, ctx: PolicyContext,
                     data: dict[str, Any], language: str) -> Decision:
        """An officer approved (with the certificate, if any) or rejected an application."""
        service = ctx.catalog.services.get(data.get("service_id") or "")
        name = local(service.name, language) if service else ""
        number = data.get("application_number", "")
        if state["incoming"].get("event") == "application_rejected":
            body = text("application_rejected", language, number=number, service=name,
                        reason=data.get("reason") or "")
            menu = Button(id="menu", title=text("button_menu", language))
            return reply_with(ButtonsReply(body=body, buttons=[menu]))
        replies: list[Reply] = [TextReply(body=text("application_approved", language,
                                                    number=number, service=name))]
        replies += pdf_replies(data.get("certificate_path"), data.get("certificate_number"),
                        text("certificate_caption", language, service=name))
        return Decision(replies=replies)

    def _on_info_requested(self, state: ConversationState, ctx: PolicyContext,
                           results: list[dict[str, Any]], data: dict[str, Any],
                           language: str) -> Decision:
        """An officer needs more: say what, then reopen the form where it is needed."""
        number = data.get("application_number")
        if not results:
            return call("check_status", {"application_number": number})
        note = data.get("note") or ""
        intro = TextReply(body=text("info_requested", language, number=number,
                                    note=f"\n{note}" if note else ""))
        # Only what the officer named is asked again: every other field counts as skipped.
        service = ctx.catalog.services.get(data.get("service_id") or "")
        wanted = set(data.get("fields") or [])
        skipped = [f.name for f in service.fields if f.name not in wanted] if service else []
        decision = self._next_or_error({**state, "skipped": skipped}, ctx, results[-1],
                                       intro=[intro])
        decision.updates.update(application=number, service_id=data.get("service_id"),
                                pending_call=None, skipped=skipped)
        return decision

    def _document_read(self, state: ConversationState, ctx: PolicyContext,
                       data: dict[str, Any]) -> Decision:
        """What OCR read from a document, whether it matches, and what to do if it does not."""
        language = language_of(state)
        service = ctx.catalog.services.get(state.get("service_id") or "")
        slot = data.get("slot")
        if service is None or not slot or not has_slot(service, slot):
            return Decision()
        name = local(service.document(slot).name, language)
        resend = Button(id=f"resend:{slot}", title=text("button_resend", language))
        if not data.get("readable"):
            reason = data.get("unreadable_reason") or "no_text"
            body = text("document_unreadable", language, document=name) + "\n" + text(
                f"photo_tip_{reason}", language)
            # The unreadable page no longer fills the slot: the next photo goes there.
            return Decision(replies=[ButtonsReply(body=body, buttons=[resend])],
                            updates={"awaiting": f"document:{slot}", "pending_call": None})
        lines = []
        mismatched = False
        for check in data.get("checks", []):
            if check["status"] not in ("match", "mismatch") or not check.get("read"):
                continue
            label = local(service.field(check["field"]).label, language)
            mark = "✅" if check["status"] == "match" else "⚠️"
            mismatched = mismatched or check["status"] == "mismatch"
            lines.append(f"{mark} {label}: {check['read']}")
        if not lines:
            nothing = text("document_read_nothing", language, document=name)
            return reply_with(TextReply(body=nothing))
        key = "document_read_mismatch" if mismatched else "document_read_match"
        body = text(key, language, document=name) + "\n" + "\n".join(lines)
        if not mismatched:
            return reply_with(TextReply(body=body))
        keep = Button(id="doc_ok", title=text("button_doc_ok", language))
        return reply_with(ButtonsReply(body=body, buttons=[keep, resend]))
