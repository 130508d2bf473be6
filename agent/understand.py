"""The first node of every turn: what was sent, in which language, and what it asks for."""

from __future__ import annotations

from typing import Any

from agent import entities
from agent.intents import Intent, classify
from agent.language import detect_language, strong_language_signal
from agent.messages import Incoming, IncomingKind
from agent.normalize import fold
from agent.state import ConversationState
from tools.catalog import Catalog

DEFAULT_LANGUAGE = "hi-Latn"
CHOICE_INTENTS = {
    "yes": Intent.YES,
    "no": Intent.NO,
    "skip": Intent.SKIP,
    "status": Intent.STATUS,
    "resume": Intent.RESUME,
    "pay": Intent.PAY,
    "menu": Intent.GREET,
    "doc_ok": Intent.RESUME,
}


def understand(state: ConversationState, catalog: Catalog) -> dict[str, Any]:
    """State updates for a new message: language, understanding, and a fresh turn."""
    incoming = Incoming.model_validate(state["incoming"])
    language = state.get("language") or DEFAULT_LANGUAGE
    locked = bool(state.get("language_locked"))
    updates: dict[str, Any] = {
        "calls": [], "results": [], "replies": [], "steps": 0,
        "policy_used": None, "llm_turn": [], "fallback_at": 0,
    }

    if incoming.kind is IncomingKind.EVENT:
        understanding: dict[str, Any] = {"intent": Intent.EVENT.value}
    elif incoming.kind is IncomingKind.DOCUMENT:
        understanding = {"intent": Intent.DOCUMENT.value}
    elif incoming.kind is IncomingKind.UNSUPPORTED:
        understanding = {"intent": Intent.UNSUPPORTED.value}
    else:
        choice_id = incoming.choice_id if incoming.kind is IncomingKind.CHOICE else None
        if choice_id is None and incoming.text:
            choice_id = _typed_choice(incoming.text, state.get("offered") or [])
        if choice_id is not None and (found := _choice(choice_id, catalog)) is not None:
            understanding = found
        else:
            message = incoming.text or incoming.choice_title or ""
            understanding = _classify(message, catalog, state)
            if not state.get("language"):
                # A first message sets the language even from a weak hint.
                guess = detect_language(message, fallback=DEFAULT_LANGUAGE)
                language = guess.language if guess.confident else guess.lean or language
            elif not locked:
                language = _language_after(message, language, understanding["intent"])

    if understanding["intent"] == Intent.LANGUAGE.value:
        language, locked = understanding["language_requested"], True

    # A Yes to a pending confirmation runs exactly the call that was shown.
    pending = state.get("pending_call")
    paying = understanding["intent"] == Intent.PAY.value and bool(pending) and (
        pending or {}).get("name") == "create_payment"
    if pending and (understanding["intent"] == Intent.YES.value or paying):
        understanding["intent"] = Intent.YES.value
        updates["calls"] = [{**pending, "from_pending": True}]

    updates.update(understanding=understanding, language=language, language_locked=locked)
    return updates


def _language_after(message: str, current: str, intent: str) -> str:
    """The reply language after a message; an answer (a name, an address) rarely changes it."""
    guess = detect_language(message, fallback=current)
    if not guess.confident:
        return current
    if intent in (Intent.ANSWER.value, Intent.CORRECTION.value) and not strong_language_signal(
        message
    ):
        return current
    return guess.language


def _classify(message: str, catalog: Catalog, state: ConversationState) -> dict[str, Any]:
    awaiting = state.get("awaiting") or ""
    found = classify(
        message,
        catalog,
        awaiting_field=awaiting.startswith("field:"),
        awaiting_confirmation=bool(state.get("pending_call")),
        awaiting_upic=awaiting == "upic",
    )
    return {
        "amounts": entities.amounts(message),
        "intent": found.intent.value,
        "service_id": found.service_id,
        "application_numbers": found.application_numbers,
        "upics": found.upics,
        "language_requested": found.language_requested,
    }


def _choice(choice_id: str, catalog: Catalog) -> dict[str, Any] | None:
    """The understanding of a tapped button or list row, by its id."""
    if choice_id.startswith("service:"):
        service_id = choice_id.split(":", 1)[1]
        if service_id not in catalog.services:
            return None
        is_tax = catalog.service(service_id).kind.value == "payment"
        intent = Intent.PROPERTY_TAX if is_tax else Intent.SERVICE
        return {"intent": intent.value, "service_id": service_id, "upics": []}
    if choice_id.startswith("opt:"):
        return {"intent": Intent.ANSWER.value, "value": choice_id.split(":", 1)[1]}
    if choice_id == "use_kept":
        return {"intent": Intent.DOCUMENT.value, "use_kept": True}
    if choice_id.startswith("resend:"):
        return {"intent": Intent.RESEND.value, "slot": choice_id.split(":", 1)[1]}
    if choice_id in CHOICE_INTENTS:
        return {"intent": CHOICE_INTENTS[choice_id].value, "application_numbers": []}
    return None


def _typed_choice(text: str, offered: list[dict[str, Any]]) -> str | None:
    """A typed "2" or a typed button title picks that choice from the last replies."""
    if not offered:
        return None
    typed = fold(text).strip(" .")
    if typed.isdigit() and 1 <= int(typed) <= len(offered):
        return str(offered[int(typed) - 1]["id"])
    for choice in offered:
        if fold(choice["title"]).strip(" .") == typed:
            return str(choice["id"])
    return None
