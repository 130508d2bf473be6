"""Documents the citizen sends, and what OCR read from them."""

from __future__ import annotations

from typing import Any

from agent.i18n import local, text
from agent.messages import TextReply
from agent.policies.base import Decision, PolicyContext
from agent.policies.offline import form, present
from agent.policies.offline.common import (
    Steps,
    call,
    has_slot,
    known_keys,
    language_of,
    reply_with,
)
from agent.state import ConversationState


class DocumentSteps(Steps):
    """Documents: attaching, refusing politely, asking again, OCR results."""

    def _on_document(self, state: ConversationState, ctx: PolicyContext,
                     results: list[dict[str, Any]]) -> Decision:
        kept = list(state.get("loose_documents", []))
        using_kept = bool(state["understanding"].get("use_kept")) and bool(kept)
        document_id = kept[0] if using_kept else state["incoming"].get("document_id")
        number = state.get("application")
        awaiting = state.get("awaiting") or ""
        language = language_of(state)
        if not number:
            # Kept, and offered again when an application asks for a document.
            loose = [*kept, document_id]
            return Decision(replies=[TextReply(body=text("document_no_application", language))],
                            updates={"loose_documents": loose})
        if not results:
            if awaiting.startswith("document:"):
                return call("upload_document", {"application_number": number,
                                                 "slot": awaiting.split(":", 1)[1],
                                                 "document_id": document_id})
            return call("check_status", {"application_number": number})
        last = results[-1]
        if last["name"] == "check_status":
            if not last["ok"]:
                return reply_with(present.error_reply(last["error"], language))
            summary = last["result"]["applications"][0]
            if not summary["missing_documents"] or summary["status"] not in (
                "draft", "info_requested"
            ):
                still_kept = kept if using_kept else [*kept, document_id]
                note = TextReply(body=text("document_not_needed", language))
                return Decision(replies=[note, *self._reprompt(state, ctx)],
                                updates={"loose_documents": still_kept})
            return call("upload_document", {"application_number": number,
                                             "slot": summary["missing_documents"][0],
                                             "document_id": document_id})
        if not last["ok"]:
            return reply_with(present.error_reply(last["error"], language))
        service = ctx.catalog.service(state["service_id"] or "")
        received = TextReply(body=text(
            "document_received", language,
            document=local(service.document(last["result"]["slot"]).name, language)))
        replies, asked = form.next_step(service, last["result"]["application"], language,
                                        state.get("skipped", []))
        if using_kept:
            asked = {**asked, "loose_documents": kept[1:]}
        return Decision(replies=[received, *replies], updates=asked)

    def _on_unsupported(self, state: ConversationState, ctx: PolicyContext,
                        results: list[dict[str, Any]]) -> Decision:
        incoming = state["incoming"]
        # The channel reports a refused file as `image:too_large`, `document:corrupt`, ….
        media_kind = incoming.get("media_kind") or ""
        reason = incoming.get("rejection") or (
            media_kind.split(":", 1)[1] if ":" in media_kind else "unsupported_type"
        )
        key = f"document_rejected_{reason}"
        if key not in known_keys():
            key = "document_rejected_unsupported_type"
        note = TextReply(body=text(key, language_of(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])

    def _on_resend(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        service = ctx.catalog.services.get(state.get("service_id") or "")
        slot = state["understanding"].get("slot") or ""
        if service is None or not has_slot(service, slot):
            return self._on_unknown(state, ctx, results)
        return Decision(replies=form.ask_document(service, slot, language_of(state)),
                        updates={"awaiting": f"document:{slot}", "pending_call": None})
