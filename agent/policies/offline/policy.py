"""The offline policy: reads the understood message and the turn's tool results, step by step.

Each `decide` call looks at what has already run in this turn and returns either the next
tool calls or the replies that end the turn, so it emits the same calls an LLM would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.answers import clean_name, value_for
from agent.i18n import local, text
from agent.intents import Intent, looks_like_gibberish
from agent.lexicon import lexicon
from agent.messages import Button, ButtonsReply, DocumentReply, Reply, TextReply
from agent.normalize import fold, has_phrase, normalize
from agent.policies.base import Decision, PolicyContext, ToolCall
from agent.policies.offline import form, present
from agent.state import ConversationState
from tools.catalog.schema import FieldSpec, FieldType, Service

CANCELLABLE = {"draft", "submitted", "info_requested", "notice_period", "under_review"}
Handler = Callable[[ConversationState, PolicyContext, list[dict[str, Any]]], Decision]


class OfflinePolicy:
    """Deterministic rules: no network, no key; the embedded default and the eval baseline."""

    name = "offline"

    def decide(self, state: ConversationState, ctx: PolicyContext) -> Decision:
        """The next step for the message in `state`."""
        intent = state.get("understanding", {}).get("intent", Intent.UNKNOWN.value)
        handler: Handler = getattr(self, f"_on_{intent}", self._on_unknown)
        decision = handler(state, ctx, state.get("results", []))
        return _offer_kept_document(decision, state)

    # --- greeting and menu -------------------------------------------------------------

    def _on_greet(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        if not results:
            department = state.get("incoming", {}).get("department")
            return _call("list_services", {"department": department} if department else {})
        services = results[-1].get("result", {}).get("services", [])
        name = state.get("incoming", {}).get("citizen_name")
        resume = state.get("application") if state.get("awaiting") else None
        replies = present.menu(services, _lang(state), _first_name(name), resume)
        return Decision(replies=replies, updates={"awaiting": None, "pending_call": None})

    def _on_resume(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        number = state.get("application")
        if not number:
            return self._on_greet(state, ctx, results)
        if not results:
            return _call("check_status", {"application_number": number})
        return self._next_or_error(state, ctx, results[-1], intro=[])

    # --- starting and filling in an application -------------------------------------------

    def _on_service(self, state: ConversationState, ctx: PolicyContext,
                    results: list[dict[str, Any]]) -> Decision:
        service_id = state["understanding"]["service_id"]
        if not results:
            return _call("start_application", {"service_id": service_id})
        started = results[0]
        if not started["ok"]:
            return _replies(present.error_reply(started["error"], _lang(state)))
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
        intro = TextReply(body=text(key, _lang(state), number=application["number"],
                                    service=local(service.name, _lang(state))))
        skipped = updates.get("skipped", state.get("skipped", []))
        replies, asked = form.next_step(service, summary, _lang(state), skipped)
        return Decision(replies=[intro, *replies], updates={**updates, **asked})

    def _on_answer(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        service, spec = _awaited_field(state, ctx)
        if service is None or spec is None:
            return self._on_unknown(state, ctx, results)
        language = _lang(state)
        if not results:
            value = state["understanding"].get("value")
            if value is None:
                value = value_for(spec, state["incoming"].get("text", ""), ctx.today(),
                                  direct=True)
            if value is None:
                hint = TextReply(body=text(f"cannot_read_{_kind(spec)}", language))
                return Decision(replies=[hint, *form.question(spec, language)])
            return _call("set_application_fields",
                         {"application_number": state["application"],
                          "values": {spec.name: value}})
        return self._after_fields(state, ctx, results[-1], spec)

    def _after_fields(self, state: ConversationState, ctx: PolicyContext,
                      outcome: dict[str, Any], spec: FieldSpec | None) -> Decision:
        """Reply to a set_application_fields outcome: the problem, or the next question."""
        language = _lang(state)
        service = ctx.catalog.service(state["service_id"] or "")
        if not outcome["ok"]:
            return _replies(present.error_reply(outcome["error"], language))
        result = outcome["result"]
        problems: list[Reply] = []
        for rejected in result["rejected"]:
            problems.append(TextReply(body=text(f"value_{rejected['code']}", language)))
        for rule in result["ineligible"]:
            problems.append(TextReply(body=local(rule["message"], language)))
        if problems:
            asked = spec or _first_field(service, result["application"], state)
            again = form.question(asked, language) if asked else []
            return Decision(replies=[*problems[:2], *again],
                            updates={"awaiting": f"field:{asked.name}"} if asked else {})
        updates = {"last_field": next(iter(result["accepted"]), state.get("last_field"))}
        replies, asked_state = form.next_step(service, result["application"], language,
                                              state.get("skipped", []))
        if state.get("understanding", {}).get("intent") == Intent.CORRECTION.value:
            replies = [*_corrections(service, result["accepted"], language), *replies]
        return Decision(replies=replies, updates={**updates, **asked_state})

    def _on_skip(self, state: ConversationState, ctx: PolicyContext,
                 results: list[dict[str, Any]]) -> Decision:
        service, spec = _awaited_field(state, ctx)
        if service is None or spec is None:
            return self._on_unknown(state, ctx, results)
        if spec.required:
            note = TextReply(body=text("field_required", _lang(state)))
            return Decision(replies=[note, *form.question(spec, _lang(state))])
        if not results:
            return _call("check_status", {"application_number": state["application"]})
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
        spec, remainder = _field_named(service, message)
        if spec is None and state.get("last_field"):
            spec, remainder = service.field(state["last_field"] or ""), _strip_correction(message)
        value = value_for(spec, remainder, ctx.today(), direct=True) if spec else None
        if spec is None or value is None:
            return self._on_unknown(state, ctx, results)
        return _call("set_application_fields",
                     {"application_number": state["application"], "values": {spec.name: value}})

    # --- documents ---------------------------------------------------------------------

    def _on_document(self, state: ConversationState, ctx: PolicyContext,
                     results: list[dict[str, Any]]) -> Decision:
        kept = list(state.get("loose_documents", []))
        using_kept = bool(state["understanding"].get("use_kept")) and bool(kept)
        document_id = kept[0] if using_kept else state["incoming"].get("document_id")
        number = state.get("application")
        awaiting = state.get("awaiting") or ""
        language = _lang(state)
        if not number:
            # Kept, and offered again when an application asks for a document.
            loose = [*kept, document_id]
            return Decision(replies=[TextReply(body=text("document_no_application", language))],
                            updates={"loose_documents": loose})
        if not results:
            if awaiting.startswith("document:"):
                return _call("upload_document", {"application_number": number,
                                                 "slot": awaiting.split(":", 1)[1],
                                                 "document_id": document_id})
            return _call("check_status", {"application_number": number})
        last = results[-1]
        if last["name"] == "check_status":
            if not last["ok"]:
                return _replies(present.error_reply(last["error"], language))
            summary = last["result"]["applications"][0]
            if not summary["missing_documents"] or summary["status"] not in (
                "draft", "info_requested"
            ):
                still_kept = kept if using_kept else [*kept, document_id]
                note = TextReply(body=text("document_not_needed", language))
                return Decision(replies=[note, *self._reprompt(state, ctx)],
                                updates={"loose_documents": still_kept})
            return _call("upload_document", {"application_number": number,
                                             "slot": summary["missing_documents"][0],
                                             "document_id": document_id})
        if not last["ok"]:
            return _replies(present.error_reply(last["error"], language))
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
        if key not in _known_keys():
            key = "document_rejected_unsupported_type"
        note = TextReply(body=text(key, _lang(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])

    def _on_resend(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        service = ctx.catalog.services.get(state.get("service_id") or "")
        slot = state["understanding"].get("slot") or ""
        if service is None or not _has_slot(service, slot):
            return self._on_unknown(state, ctx, results)
        return Decision(replies=form.ask_document(service, slot, _lang(state)),
                        updates={"awaiting": f"document:{slot}", "pending_call": None})

    # --- confirming, paying, submitting, cancelling --------------------------------------

    def _on_yes(self, state: ConversationState, ctx: PolicyContext,
                results: list[dict[str, Any]]) -> Decision:
        if not results:
            return self._on_unknown(state, ctx, results)
        return self._after_confirmed(state, ctx, results[-1])

    def _after_confirmed(self, state: ConversationState, ctx: PolicyContext,
                         outcome: dict[str, Any]) -> Decision:
        language = _lang(state)
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
            return Decision(replies=_submitted(result, language),
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
        note = TextReply(body=text("declined", _lang(state)))
        hint = []
        if state.get("application"):
            hint = [TextReply(body=text("declined_hint", _lang(state)))]
        return Decision(replies=[note, *hint], updates={"pending_call": None, "awaiting": None})

    def _on_pay(self, state: ConversationState, ctx: PolicyContext,
                results: list[dict[str, Any]]) -> Decision:
        if state.get("upic"):
            return self._tax_due(state, ctx, results, state["upic"] or "")
        if not state.get("application"):
            return _replies(TextReply(body=text("nothing_to_pay", _lang(state))))
        if not results:
            return _call("check_status", {"application_number": state["application"]})
        return self._next_or_error(state, ctx, results[-1], intro=[])

    def _on_cancel(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        numbers = state["understanding"].get("application_numbers") or []
        number = numbers[0] if numbers else state.get("application")
        language = _lang(state)
        if not number:
            # No number and no form open: the one open application of theirs, if only one.
            if not results:
                return _call("check_status", {})
            service = state["understanding"].get("service_id")
            open_ones = [
                app for app in (results[-1].get("result") or {}).get("applications", [])
                if app["status"] in CANCELLABLE and (not service or app["service_id"] == service)
            ]
            if len(open_ones) != 1:
                listing = [present.status_list(open_ones, ctx.catalog, language)] if open_ones \
                    else []
                return _replies(*listing, TextReply(body=text("nothing_to_cancel", language)))
            number = open_ones[0]["number"]
        call = {"name": "cancel_application", "arguments": {"application_number": number}}
        body = text("confirm_cancel", language, number=number)
        return Decision(replies=[ButtonsReply(body=body, buttons=present.yes_no(language))],
                        updates={"pending_call": call, "awaiting": "confirm"})

    # --- property tax ------------------------------------------------------------------

    def _on_property_tax(self, state: ConversationState, ctx: PolicyContext,
                         results: list[dict[str, Any]]) -> Decision:
        upics = state["understanding"].get("upics") or []
        if not upics:
            if state.get("awaiting") == "upic" and state["incoming"].get("text"):
                note = TextReply(body=text("error_invalid_upic", _lang(state)))
                return Decision(replies=[note, TextReply(body=text("ask_upic", _lang(state)))],
                                updates={"awaiting": "upic"})
            return Decision(replies=[TextReply(body=text("ask_upic", _lang(state)))],
                            updates={"awaiting": "upic", "application": None,
                                     "service_id": None, "pending_call": None})
        return self._tax_due(state, ctx, results, upics[0])

    def _tax_due(self, state: ConversationState, ctx: PolicyContext,
                 results: list[dict[str, Any]], upic: str) -> Decision:
        if not results:
            return _call("get_property_tax_due", {"upic": upic})
        outcome = results[-1]
        language = _lang(state)
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

    # --- questions, status, help ---------------------------------------------------------

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
                subject = name.hi if _lang(state) == "hi" else name.en
                arguments["query"] = f"{query} ({subject})"
            return _call("search_knowledge", arguments)
        answer = present.knowledge_answer(results[-1].get("result") or {}, _lang(state))
        return Decision(replies=[answer, *self._reprompt(state, ctx)])

    def _on_status(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        numbers = state["understanding"].get("application_numbers") or []
        if not results:
            return _call("check_status", {"application_number": numbers[0]} if numbers else {})
        outcome = results[-1]
        if not outcome["ok"]:
            reply: Reply = present.error_reply(outcome["error"], _lang(state))
        else:
            reply = present.status_list(outcome["result"]["applications"], ctx.catalog,
                                        _lang(state))
        return Decision(replies=[reply, *self._reprompt(state, ctx)])

    def _on_human(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        if not results:
            arguments: dict[str, Any] = {
                "reason": (state["incoming"].get("text") or "help")[:500]
            }
            if state.get("application"):
                arguments["application_number"] = state["application"]
            return _call("request_human_help", arguments)
        outcome = results[-1]
        if not outcome["ok"]:
            return _replies(present.error_reply(outcome["error"], _lang(state)))
        ticket = outcome["result"]["ticket"]
        return _replies(TextReply(body=text("human_ticket", _lang(state), ticket=ticket)))

    def _on_language(self, state: ConversationState, ctx: PolicyContext,
                     results: list[dict[str, Any]]) -> Decision:
        note = TextReply(body=text("language_switched", _lang(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])

    def _on_thanks(self, state: ConversationState, ctx: PolicyContext,
                   results: list[dict[str, Any]]) -> Decision:
        return _replies(TextReply(body=text("thanks_reply", _lang(state))))

    def _on_empty(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        note = TextReply(body=text("empty_message", _lang(state)))
        return Decision(replies=[note, *self._reprompt(state, ctx)])

    def _on_unknown(self, state: ConversationState, ctx: PolicyContext,
                    results: list[dict[str, Any]]) -> Decision:
        language = _lang(state)
        again = self._reprompt(state, ctx)
        if again:
            return Decision(replies=[TextReply(body=text("not_understood_in_form", language)),
                                     *again])
        key = "gibberish" if looks_like_gibberish(fold(state.get("incoming", {}).get(
            "text", ""))) else "not_understood"
        menu = Button(id="menu", title=text("button_menu", language))
        return _replies(ButtonsReply(body=text(key, language), buttons=[menu]))

    # --- events from outside the chat ------------------------------------------------------

    def _on_event(self, state: ConversationState, ctx: PolicyContext,
                  results: list[dict[str, Any]]) -> Decision:
        incoming = state["incoming"]
        data = incoming.get("event_data") or {}
        language = _lang(state)
        if incoming.get("event") == "payment_captured":
            paid: list[Reply] = [TextReply(body=text("payment_captured", language,
                                                     amount=data.get("amount_rupees", ""),
                                                     receipt=data.get("receipt_number", "")))]
            paid += _pdf(data.get("receipt_path"), data.get("receipt_number"),
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
                return _replies(*paid, present.error_reply(outcome["error"], language))
            return Decision(replies=[*paid, *_submitted(outcome["result"], language)],
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

    def _document_read(self, state: ConversationState, ctx: PolicyContext,
                       data: dict[str, Any]) -> Decision:
        """What OCR read from a document, whether it matches, and what to do if it does not."""
        language = _lang(state)
        service = ctx.catalog.services.get(state.get("service_id") or "")
        slot = data.get("slot")
        if service is None or not slot or not _has_slot(service, slot):
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
            return _replies(TextReply(body=text("document_read_nothing", language, document=name)))
        key = "document_read_mismatch" if mismatched else "document_read_match"
        body = text(key, language, document=name) + "\n" + "\n".join(lines)
        if not mismatched:
            return _replies(TextReply(body=body))
        keep = Button(id="doc_ok", title=text("button_doc_ok", language))
        return _replies(ButtonsReply(body=body, buttons=[keep, resend]))

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
            return _replies(ButtonsReply(body=body, buttons=[menu]))
        replies: list[Reply] = [TextReply(body=text("application_approved", language,
                                                    number=number, service=name))]
        replies += _pdf(data.get("certificate_path"), data.get("certificate_number"),
                        text("certificate_caption", language, service=name))
        return Decision(replies=replies)

    def _on_info_requested(self, state: ConversationState, ctx: PolicyContext,
                           results: list[dict[str, Any]], data: dict[str, Any],
                           language: str) -> Decision:
        """An officer needs more: say what, then reopen the form where it is needed."""
        number = data.get("application_number")
        if not results:
            return _call("check_status", {"application_number": number})
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

    # --- shared steps --------------------------------------------------------------------

    def _next_or_error(self, state: ConversationState, ctx: PolicyContext,
                       outcome: dict[str, Any], intro: list[Reply]) -> Decision:
        """From a check_status outcome, the application's next step."""
        language = _lang(state)
        if not outcome["ok"]:
            return _replies(present.error_reply(outcome["error"], language))
        summary = outcome["result"]["applications"][0]
        if summary["status"] not in ("draft", "info_requested"):
            return _replies(present.status_list([summary], ctx.catalog, language))
        service = ctx.catalog.service(summary["service_id"])
        replies, asked = form.next_step(service, summary, language, state.get("skipped", []))
        return Decision(replies=[*intro, *replies], updates=asked)

    def _reprompt(self, state: ConversationState, ctx: PolicyContext) -> list[Reply]:
        """The question the conversation is waiting on, asked again so the form resumes."""
        awaiting = state.get("awaiting") or ""
        language = _lang(state)
        service = ctx.catalog.services.get(state.get("service_id") or "")
        if awaiting.startswith("field:") and service:
            return form.question(service.field(awaiting.split(":", 1)[1]), language)
        if awaiting.startswith("document:") and service:
            return form.ask_document(service, awaiting.split(":", 1)[1], language)
        if awaiting == "confirm" and state.get("pending_call"):
            return [ButtonsReply(body=text("confirm_again", language),
                                 buttons=present.yes_no(language))]
        if awaiting == "upic":
            return [TextReply(body=text("ask_upic", language))]
        return []


def _pdf(path: str | None, number: str | None, caption: str) -> list[Reply]:
    """The PDF at `path` as a document reply, when there is one."""
    if not path:
        return []
    return [DocumentReply(path=path, filename=f"{number or 'document'}.pdf", caption=caption)]


def _offer_kept_document(decision: Decision, state: ConversationState) -> Decision:
    """When a form asks for a document and one sent earlier is kept, offer to use it."""
    kept = decision.updates.get("loose_documents", state.get("loose_documents", []))
    awaiting = decision.updates.get("awaiting")
    if not kept or not isinstance(awaiting, str) or not awaiting.startswith("document:"):
        return decision
    if not decision.replies or not isinstance(decision.replies[-1], TextReply):
        return decision
    language = _lang(state)
    ask = decision.replies[-1]
    offer = ButtonsReply(body=f"{ask.body}\n{text('kept_document_offer', language)}",
                         buttons=[Button(id="use_kept", title=text("button_use_kept", language))])
    decision.replies = [*decision.replies[:-1], offer]
    return decision


def _call(name: str, arguments: dict[str, Any]) -> Decision:
    return Decision(calls=[ToolCall(name, arguments)])


def _replies(*replies: Reply) -> Decision:
    return Decision(replies=list(replies))


def _lang(state: ConversationState) -> str:
    return state.get("language") or "hi-Latn"


def _first_name(name: str | None) -> str | None:
    return name.split()[0] if name else None


def _kind(spec: FieldSpec) -> str:
    if spec.type in (FieldType.DATE,):
        return "date"
    if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
        return "choice"
    if spec.type in (FieldType.INTEGER, FieldType.YEAR):
        return "number"
    if spec.type is FieldType.UPIC:
        return "upic"
    return "text"


def _awaited_field(state: ConversationState,
                   ctx: PolicyContext) -> tuple[Service | None, FieldSpec | None]:
    awaiting = state.get("awaiting") or ""
    service = ctx.catalog.services.get(state.get("service_id") or "")
    if not awaiting.startswith("field:") or service is None or not state.get("application"):
        return None, None
    try:
        return service, service.field(awaiting.split(":", 1)[1])
    except KeyError:
        return service, None


def _first_field(service: Service, summary: dict[str, Any],
                 state: ConversationState) -> FieldSpec | None:
    from tools.eligibility import fields_to_ask

    pending = fields_to_ask(service, summary["fields"], set(state.get("skipped", [])))
    return service.field(pending[0]) if pending else None


def _field_named(service: Service, message: str) -> tuple[FieldSpec | None, str]:
    """The field a correction names ("janm tithi", "mother ka naam"), and the rest of it."""
    folded = fold(message)
    best: tuple[int, FieldSpec, str] | None = None
    for spec in service.fields:
        phrases = [spec.label.en, spec.label.hi, spec.label.hi_latn,
                   *lexicon().field_aliases.get(spec.name, [])]
        for phrase in phrases:
            if has_phrase(folded, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), spec, phrase)
    if best is None:
        return None, message
    # Cut the field's name out of the original text, so a name keeps its case and script.
    original = normalize(message)
    for variant in (best[2], fold(best[2])):
        pattern = re.compile(re.escape(variant), re.IGNORECASE)
        if pattern.search(original):
            original = pattern.sub(" ", original, count=1)
            break
    return best[1], _strip_correction(original)


def _strip_correction(message: str) -> str:
    """The message without leading "nahi," / "galat" and without 'ka naam … hai' around it."""
    words = normalize(message).replace(",", " , ").split()
    correction = {fold(word) for word in lexicon().correction} | {","}
    while words and fold(words[0]).strip(",.") in correction | {""}:
        words.pop(0)
    remainder = " ".join(words).replace(" , ", ", ").strip(" ,.")
    if any(ch.isdigit() for ch in remainder):
        return remainder
    return clean_name(remainder) or remainder


def _corrections(service: Service, accepted: dict[str, Any], language: str) -> list[Reply]:
    return [
        TextReply(body=text("corrected", language, field=local(service.field(name).label, language),
                            value=form.shown(service.field(name), value, language)))
        for name, value in accepted.items()
    ]


def _submitted(result: dict[str, Any], language: str) -> list[Reply]:
    application = result["application"]
    body = text("submitted", language, number=application["number"])
    if application.get("expected_by") and application["status"] == "submitted":
        body += "\n" + text("submitted_expected", language, date=application["expected_by"])
    replies: list[Reply] = [TextReply(body=body)]
    if result.get("notice"):
        replies.append(TextReply(body=local(result["notice"], language)))
    return replies


def _has_slot(service: Service, slot: str) -> bool:
    return any(document.id == slot for document in service.documents)


def _known_keys() -> set[str]:
    from agent.i18n import catalog

    return set(catalog().messages)
