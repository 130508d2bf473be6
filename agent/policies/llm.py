"""The LLM policy: any OpenAI-compatible chat-completions endpoint, with the typed tools bound.

Transient failures are retried with tenacity; when the endpoint still fails, the turn goes to
the offline policy so the citizen gets an answer anyway.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import openai
from tenacity import (
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from agent.messages import TextReply
from agent.policies.base import Decision, Policy, PolicyContext, ToolCall
from agent.state import ConversationState
from knowledge.search_tool import SearchKnowledgeInput
from tools.catalog import Catalog
from tools.settings import Settings
from tools.toolkit.registry import openai_tool_schemas

logger = logging.getLogger(__name__)

PROMPT_FILE = Path(__file__).resolve().parent.parent / "prompts" / "system.md"
HISTORY_MESSAGES = 30
LANGUAGE_NAMES = {
    "hi": "Hindi in Devanagari script",
    "hi-Latn": "Hinglish (Hindi written in Latin letters)",
    "en": "English",
}
TRANSIENT = (
    openai.APIConnectionError,
    openai.APITimeoutError,
    openai.RateLimitError,
    openai.InternalServerError,
)
FALLBACK = "offline-fallback"


class LLMPolicy:
    """Asks a language model for the next step; the offline policy stands in when it fails."""

    name = "llm"

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        fallback: Policy,
        attempts: int = 3,
    ) -> None:
        self._client = client
        self._model = model
        self._fallback = fallback
        self._attempts = attempts
        self._prompt = PROMPT_FILE.read_text(encoding="utf-8")
        self._schemas: tuple[Catalog, list[dict[str, Any]]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, fallback: Policy) -> LLMPolicy:
        """An LLM policy for the endpoint, key and model in the settings."""
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        client = openai.OpenAI(
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=settings.llm_timeout_seconds,
            max_retries=0,
        )
        return cls(client, settings.llm_model, fallback, attempts=settings.llm_max_retries + 1)

    def decide(self, state: ConversationState, ctx: PolicyContext) -> Decision:
        """The model's next step, or the offline policy's when the model cannot be reached."""
        if state.get("policy_used") == FALLBACK:
            return self._offline(state, ctx, state.get("fallback_at", 0))

        turn = list(state.get("llm_turn") or [])
        if not turn:
            turn = [_user_message(state)]
        turn = _with_tool_results(turn, state.get("results", []))
        messages = [
            {"role": "system", "content": self._system_prompt(state, ctx)},
            *_closed(state.get("llm_messages", [])),
            *turn,
        ]
        try:
            response = self._complete(messages, ctx)
        except (openai.APIError, openai.OpenAIError) as error:
            logger.warning("LLM endpoint failed (%s); the offline policy answers this turn",
                           type(error).__name__)
            return self._offline(state, ctx, len(state.get("results", [])))

        message = response.choices[0].message
        assistant: dict[str, Any] = {"role": "assistant", "content": message.content or ""}
        if message.tool_calls:
            assistant["tool_calls"] = [
                {"id": call.id, "type": "function",
                 "function": {"name": call.function.name,
                              "arguments": call.function.arguments}}
                for call in message.tool_calls
                if call.type == "function"
            ]
            calls = [
                ToolCall(name=c["function"]["name"], arguments=_arguments(c["function"]))
                for c in assistant["tool_calls"]
            ]
            return Decision(calls=calls, updates={"llm_turn": [*turn, assistant],
                                                  "policy_used": self.name})

        history = [*state.get("llm_messages", []), *turn, assistant][-HISTORY_MESSAGES:]
        reply = TextReply(body=message.content or "…")
        return Decision(replies=[reply], updates={"llm_messages": _closed(history),
                                                  "llm_turn": [], "policy_used": self.name})

    def end_turn(self, state: ConversationState) -> dict[str, Any]:
        """Keep a turn that ended early (asking for confirmation) in the model's history."""
        turn = state.get("llm_turn") or []
        if not turn:
            return {}
        history = _closed([*state.get("llm_messages", []), *turn])[-HISTORY_MESSAGES:]
        return {"llm_messages": _closed(history), "llm_turn": []}

    def _complete(self, messages: list[dict[str, Any]], ctx: PolicyContext) -> Any:
        @retry(
            retry=retry_if_exception_type(TRANSIENT),
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential(multiplier=0.2, max=2),
            reraise=True,
        )
        def call() -> Any:
            return self._client.chat.completions.create(
                model=self._model,
                messages=messages,  # type: ignore[arg-type]
                tools=self._tools(ctx),  # type: ignore[arg-type]
            )

        return call()

    def _tools(self, ctx: PolicyContext) -> list[dict[str, Any]]:
        """The tool schemas, built once per catalog rather than on every model call."""
        if self._schemas is None or self._schemas[0] is not ctx.catalog:
            self._schemas = (ctx.catalog, self._build_tools(ctx))
        return self._schemas[1]

    def _build_tools(self, ctx: PolicyContext) -> list[dict[str, Any]]:
        search = SearchKnowledgeInput.model_json_schema()
        search.pop("title", None)
        return [
            *openai_tool_schemas(ctx.catalog),
            {
                "type": "function",
                "function": {
                    "name": "search_knowledge",
                    "description": "Search the departments' own documents to answer a question "
                    "about rules, documents, fees, deadlines or offices, with sources.",
                    "parameters": search,
                },
            },
        ]

    def _system_prompt(self, state: ConversationState, ctx: PolicyContext) -> str:
        language = state.get("language") or "hi-Latn"
        return self._prompt.format(
            language_name=LANGUAGE_NAMES.get(language, "the citizen's language"),
            department=state.get("incoming", {}).get("department") or "general",
            application=state.get("application") or "none",
            awaiting=state.get("awaiting") or "nothing",
            today=ctx.today().isoformat(),
        )

    def _offline(self, state: ConversationState, ctx: PolicyContext, start: int) -> Decision:
        own = {**state, "results": state.get("results", [])[start:]}
        decision = self._fallback.decide(own, ctx)  # type: ignore[arg-type]
        decision.updates.update(policy_used=FALLBACK, fallback_at=start, llm_turn=[])
        return decision


def _user_message(state: ConversationState) -> dict[str, Any]:
    incoming = state.get("incoming", {})
    kind = incoming.get("kind")
    if kind == "choice":
        content = f"[tapped: {incoming.get('choice_title') or incoming.get('choice_id')}]"
    elif kind == "document":
        content = f"[sent a document, stored as document_id {incoming.get('document_id')}]"
    elif kind == "event":
        data = json.dumps(incoming.get("event_data"), ensure_ascii=False)
        content = f"[system event {incoming.get('event')}: {data}]"
    elif kind == "unsupported":
        content = f"[sent something unsupported: {incoming.get('media_kind')}]"
    else:
        content = incoming.get("text", "")
    return {"role": "user", "content": content}


def _with_tool_results(
    turn: list[dict[str, Any]], results: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The turn's messages with a tool message for each call the model made that has run."""
    asked = [c for m in turn if m["role"] == "assistant" for c in m.get("tool_calls", [])]
    answered = {m["tool_call_id"] for m in turn if m["role"] == "tool"}
    # Results of calls the model did not make (a confirmed Yes) come first, as a note.
    extra = len(results) - len(asked)
    out = list(turn)
    if extra > 0 and not any(m.get("name") == "confirmed" for m in turn):
        note = {"role": "user", "name": "confirmed",
                "content": "[The citizen confirmed. Results: "
                + json.dumps([_for_model(r) for r in results[:extra]], ensure_ascii=False) + "]"}
        out.insert(1, note)
    own = results[max(extra, 0):]
    for call, result in zip(asked, own, strict=False):
        if call["id"] not in answered:
            out.append({"role": "tool", "tool_call_id": call["id"],
                        "content": json.dumps(_for_model(result), ensure_ascii=False)})
    return out


def _closed(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History where every tool call has an answer (a call left for confirmation gets one)."""
    out: list[dict[str, Any]] = []
    for index, message in enumerate(history):
        out.append(message)
        for call in message.get("tool_calls", []):
            later = history[index + 1:]
            if not any(m.get("tool_call_id") == call["id"] for m in later):
                out.append({"role": "tool", "tool_call_id": call["id"],
                            "content": json.dumps({"ok": False, "code": "awaiting_confirmation",
                                                   "detail": "The citizen was asked to confirm."})})
    # A history must not start with a tool answer whose call was trimmed away.
    while out and out[0]["role"] == "tool":
        out.pop(0)
    return out


def _for_model(result: dict[str, Any]) -> dict[str, Any]:
    if result.get("ok"):
        return {"ok": True, "result": result.get("result")}
    error = result.get("error") or {}
    return {"ok": False, "kind": error.get("kind"), "code": error.get("code"),
            "detail": error.get("detail")}


def _arguments(function: dict[str, Any]) -> dict[str, Any]:
    try:
        parsed = json.loads(function.get("arguments") or "{}")
    except json.JSONDecodeError:
        return {"__unparsed__": function.get("arguments")}
    return parsed if isinstance(parsed, dict) else {"__unparsed__": parsed}
