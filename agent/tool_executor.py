"""Runs the tool calls a policy asks for: the typed tools, and the knowledge search."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from knowledge.base import KnowledgeBase
from knowledge.search_tool import SearchKnowledgeInput, search_knowledge
from tools.toolkit.errors import ToolRetry
from tools.toolkit.registry import TOOLS
from tools.toolkit.runtime import ToolOutcome, ToolRuntime

logger = logging.getLogger(__name__)

SEARCH_TOOL = "search_knowledge"


@dataclass
class ToolExecutor:
    """Executes calls for one citizen; results are plain dicts that fit in the checkpoint."""

    tools: ToolRuntime
    knowledge: KnowledgeBase | None

    def run(
        self,
        citizen_id: str,
        name: str,
        arguments: dict[str, Any],
        *,
        idempotency_key: str,
        department: str | None,
    ) -> dict[str, Any]:
        """Run one call and describe its outcome; tool failures are outcomes, not exceptions."""
        if name == SEARCH_TOOL:
            return self._search(arguments)
        outcome = self.tools.call(
            citizen_id, name, arguments, idempotency_key=idempotency_key, department=department
        )
        return describe(outcome)

    def _search(self, arguments: dict[str, Any]) -> dict[str, Any]:
        if self.knowledge is None:
            return _failure(SEARCH_TOOL, arguments, "knowledge_unavailable", "no knowledge base")
        try:
            args = SearchKnowledgeInput.model_validate(arguments)
        except ValidationError as error:
            return _failure(SEARCH_TOOL, arguments, "invalid_arguments", str(error), retry=True)
        try:
            result = search_knowledge(self.knowledge, args)
        except Exception as error:  # the knowledge base is optional: a fault must not end the chat
            logger.exception("knowledge search failed")
            return _failure(SEARCH_TOOL, arguments, "knowledge_unavailable", str(error))
        return {
            "name": SEARCH_TOOL,
            "arguments": arguments,
            "ok": True,
            "result": result.model_dump(mode="json"),
            "replayed": False,
        }


def describe(outcome: ToolOutcome) -> dict[str, Any]:
    """A tool outcome as a plain dict for the state and the policies."""
    described: dict[str, Any] = {
        "name": outcome.name,
        "arguments": {k: v for k, v in outcome.arguments.items() if k != "idempotency_key"},
        "ok": outcome.ok,
        "replayed": outcome.replayed,
    }
    if outcome.result is not None:
        described["result"] = outcome.result.model_dump(mode="json")
    if outcome.error is not None:
        described["error"] = {
            "code": outcome.error.code,
            "detail": outcome.error.detail,
            "params": outcome.error.params,
            "kind": "retry" if isinstance(outcome.error, ToolRetry) else "refused",
        }
    return described


def _failure(
    name: str, arguments: dict[str, Any], code: str, detail: str, retry: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "arguments": arguments,
        "ok": False,
        "replayed": False,
        "error": {
            "code": code,
            "detail": detail,
            "params": {},
            "kind": "retry" if retry else "refused",
        },
    }


def needs_confirmation(name: str) -> bool:
    """Whether the tool submits, pays or cancels, so the citizen must say Yes first."""
    spec = TOOLS.get(name)
    return spec is not None and spec.confirm
