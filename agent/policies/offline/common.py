"""Shared parts of the offline policy: the step base class and small helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.answers import clean_name
from agent.i18n import local, text
from agent.intents import looks_like_gibberish
from agent.lexicon import lexicon
from agent.messages import Button, ButtonsReply, DocumentReply, Reply, TextReply
from agent.normalize import fold, has_phrase, normalize
from agent.policies.base import Decision, PolicyContext, ToolCall
from agent.policies.offline import form, present
from agent.state import ConversationState
from tools.catalog.schema import FieldSpec, FieldType, Service

CANCELLABLE = {"draft", "submitted", "info_requested", "notice_period", "under_review"}
Handler = Callable[[ConversationState, PolicyContext, list[dict[str, Any]]], Decision]


class Steps:
    """What every group of steps shares: the fallback answer and the form's next step."""

    def _on_unknown(self, state: ConversationState, ctx: PolicyContext,
                    results: list[dict[str, Any]]) -> Decision:
        language = language_of(state)
        again = self._reprompt(state, ctx)
        if again:
            return Decision(replies=[TextReply(body=text("not_understood_in_form", language)),
                                     *again])
        key = "gibberish" if looks_like_gibberish(fold(state.get("incoming", {}).get(
            "text", ""))) else "not_understood"
        menu = Button(id="menu", title=text("button_menu", language))
        return reply_with(ButtonsReply(body=text(key, language), buttons=[menu]))

    def _next_or_error(self, state: ConversationState, ctx: PolicyContext,
                       outcome: dict[str, Any], intro: list[Reply]) -> Decision:
        """From a check_status outcome, the application's next step."""
        language = language_of(state)
        if not outcome["ok"]:
            return reply_with(present.error_reply(outcome["error"], language))
        summary = outcome["result"]["applications"][0]
        if summary["status"] not in ("draft", "info_requested"):
            return reply_with(present.status_list([summary], ctx.catalog, language))
        service = ctx.catalog.service(summary["service_id"])
        replies, asked = form.next_step(service, summary, language, state.get("skipped", []))
        return Decision(replies=[*intro, *replies], updates=asked)

    def _reprompt(self, state: ConversationState, ctx: PolicyContext) -> list[Reply]:
        """The question the conversation is waiting on, asked again so the form resumes."""
        awaiting = state.get("awaiting") or ""
        language = language_of(state)
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


def pdf_replies(path: str | None, number: str | None, caption: str) -> list[Reply]:
    """The PDF at `path` as a document reply, when there is one."""
    if not path:
        return []
    return [DocumentReply(path=path, filename=f"{number or 'document'}.pdf", caption=caption)]


def offer_kept_document(decision: Decision, state: ConversationState) -> Decision:
    """When a form asks for a document and one sent earlier is kept, offer to use it."""
    kept = decision.updates.get("loose_documents", state.get("loose_documents", []))
    awaiting = decision.updates.get("awaiting")
    if not kept or not isinstance(awaiting, str) or not awaiting.startswith("document:"):
        return decision
    if not decision.replies or not isinstance(decision.replies[-1], TextReply):
        return decision
    language = language_of(state)
    ask = decision.replies[-1]
    offer = ButtonsReply(body=f"{ask.body}\n{text('kept_document_offer', language)}",
                         buttons=[Button(id="use_kept", title=text("button_use_kept", language))])
    decision.replies = [*decision.replies[:-1], offer]
    return decision


def call(name: str, arguments: dict[str, Any]) -> Decision:
    """A decision to run one tool."""
    return Decision(calls=[ToolCall(name, arguments)])


def reply_with(*replies: Reply) -> Decision:
    """A decision that ends the turn with these replies."""
    return Decision(replies=list(replies))


def language_of(state: ConversationState) -> str:
    """The language replies are written in."""
    return state.get("language") or "hi-Latn"


def first_name(name: str | None) -> str | None:
    """The first word of a profile name, for a greeting."""
    return name.split()[0] if name else None


def kind_of(spec: FieldSpec) -> str:
    """Which "could not read" hint fits a field: date, choice, number, upic or text."""
    if spec.type in (FieldType.DATE,):
        return "date"
    if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
        return "choice"
    if spec.type in (FieldType.INTEGER, FieldType.YEAR):
        return "number"
    if spec.type is FieldType.UPIC:
        return "upic"
    return "text"


def awaited_field(state: ConversationState,
                   ctx: PolicyContext) -> tuple[Service | None, FieldSpec | None]:
    """The service and field the conversation waits an answer for, if it waits for one."""
    awaiting = state.get("awaiting") or ""
    service = ctx.catalog.services.get(state.get("service_id") or "")
    if not awaiting.startswith("field:") or service is None or not state.get("application"):
        return None, None
    try:
        return service, service.field(awaiting.split(":", 1)[1])
    except KeyError:
        return service, None


def first_field(service: Service, summary: dict[str, Any],
                 state: ConversationState) -> FieldSpec | None:
    """The first field still to ask for."""
    from tools.eligibility import fields_to_ask

    pending = fields_to_ask(service, summary["fields"], set(state.get("skipped", [])))
    return service.field(pending[0]) if pending else None


def field_named(
    service: Service, message: str, last_field: str | None = None
) -> tuple[FieldSpec | None, str]:
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
        return _generic_field(service, message, last_field)
    # Cut the field's name out of the original text, so a name keeps its case and script.
    original = normalize(message)
    for variant in (best[2], fold(best[2])):
        pattern = re.compile(re.escape(variant), re.IGNORECASE)
        if pattern.search(original):
            original = pattern.sub(" ", original, count=1)
            break
    return best[1], strip_correction(original)


def _generic_field(
    service: Service, message: str, last_field: str | None
) -> tuple[FieldSpec | None, str]:
    """A field named only as "date" or "name": the form's one such field, or the last one."""
    folded = fold(message)
    lex = lexicon()
    for words, kinds in ((lex.generic_date_words, {FieldType.DATE}),
                         (lex.generic_name_words, {FieldType.NAME})):
        if not any(has_phrase(folded, word) for word in words):
            continue
        fields = [spec for spec in service.fields if spec.type in kinds]
        last = next((spec for spec in fields if spec.name == last_field), None)
        chosen = fields[0] if len(fields) == 1 else last
        if chosen is not None:
            return chosen, strip_correction(message)
    return None, message


def strip_correction(message: str) -> str:
    """The new value in a correction, without the words that announce it.

    For a name, the part after the last comma counts ("galat likha, sahi naam Ramesh Kumar
    hai" gives Ramesh Kumar).
    """
    words = normalize(message).replace(",", " , ").split()
    correction = {fold(word) for word in lexicon().correction} | {","}
    while words and fold(words[0]).strip(",.") in correction | {""}:
        words.pop(0)
    remainder = " ".join(words).replace(" , ", ", ").strip(" ,.")
    if any(ch.isdigit() for ch in remainder):
        return remainder
    last_part = remainder.rsplit(",", 1)[-1].strip()
    return clean_name(last_part) or clean_name(remainder) or remainder


def corrections(service: Service, accepted: dict[str, Any], language: str) -> list[Reply]:
    """Say which corrected values were saved."""
    return [
        TextReply(body=text("corrected", language, field=local(service.field(name).label, language),
                            value=form.shown(service.field(name), value, language)))
        for name, value in accepted.items()
    ]


def submitted(result: dict[str, Any], language: str) -> list[Reply]:
    """The replies for a submitted application, with a notice period when there is one."""
    application = result["application"]
    body = text("submitted", language, number=application["number"])
    if application.get("expected_by") and application["status"] == "submitted":
        body += "\n" + text("submitted_expected", language, date=application["expected_by"])
    replies: list[Reply] = [TextReply(body=body)]
    if result.get("notice"):
        replies.append(TextReply(body=local(result["notice"], language)))
    return replies


def has_slot(service: Service, slot: str) -> bool:
    """Whether the service has a document slot of that id."""
    return any(document.id == slot for document in service.documents)


def known_keys() -> set[str]:
    """Every key of the message catalog."""
    from agent.i18n import catalog

    return set(catalog().messages)
