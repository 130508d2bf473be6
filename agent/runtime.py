"""The agent as the channels and the evals use it: one call per incoming message."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import Any

from pydantic import TypeAdapter

from agent.checkpoints import open_checkpointer
from agent.document_reader import DocumentReader
from agent.graph import GraphDeps, build_graph
from agent.messages import Incoming, IncomingKind, Reply
from agent.policies.base import Policy, PolicyContext
from agent.policies.offline import OfflinePolicy
from agent.tool_executor import ToolExecutor
from agent.turns import ToolCallRecord, TurnResult
from knowledge.base import KnowledgeBase
from tools.clock import Clock
from tools.settings import Policy as PolicyChoice
from tools.settings import Settings
from tools.toolkit.build import build_runtime
from tools.toolkit.runtime import ToolRuntime

logger = logging.getLogger(__name__)
REPLIES = TypeAdapter(list[Reply])


class Agent:
    """Handles one citizen message at a time per citizen, many citizens at once."""

    def __init__(
        self,
        *,
        tools: ToolRuntime,
        knowledge: KnowledgeBase | None,
        policy: Policy,
        checkpoint_location: str,
        max_steps: int,
    ) -> None:
        self.tools = tools
        self.knowledge = knowledge
        self.policy = policy
        context = PolicyContext(
            catalog=tools.catalog, clock=tools.clock, media_dir=tools.settings.data_dir / "media"
        )
        deps = GraphDeps(
            policy=policy,
            context=context,
            executor=ToolExecutor(tools=tools, knowledge=knowledge),
            max_steps=max_steps,
        )
        self._graph = build_graph(deps, open_checkpointer(checkpoint_location))
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()
        # Citizens whose row this process has made sure of (with their name, when one came).
        self._ensured: set[tuple[str, bool]] = set()
        # Set by the server: reads attached documents in the background and reports back.
        self.document_reader: DocumentReader | None = None

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Process one message and return the replies (the channels' entry point)."""
        return self.handle_turn(incoming).replies

    def handle_turn(self, incoming: Incoming) -> TurnResult:
        """Process one message; return the replies, the tool calls made, and the language."""
        with self._locks_guard:
            lock = self._locks[incoming.citizen_id]
        # One citizen, one queue: two messages of one citizen never interleave.
        with lock:
            if incoming.kind is not IncomingKind.EVENT:
                self._ensure_citizen(incoming)
            config: Any = {"configurable": {"thread_id": incoming.citizen_id}}
            # One checkpoint per turn, at its end: a turn cut short by a crash is redone from
            # the inbox, and its tool calls are idempotent by key, so nothing is done twice.
            state = self._graph.invoke(
                {"incoming": incoming.model_dump(mode="json")}, config, durability="exit"
            )
        replies = REPLIES.validate_python(state.get("replies", []))
        calls = [
            ToolCallRecord(
                name=result["name"],
                arguments=result.get("arguments", {}),
                ok=result["ok"],
                error_code=(result.get("error") or {}).get("code"),
                replayed=result.get("replayed", False),
            )
            for result in state.get("results", [])
        ]
        result = TurnResult(
            replies=replies,
            tool_calls=calls,
            language=state.get("language") or "hi-Latn",
            policy=state.get("policy_used") or self.policy.name,
        )
        if self.document_reader is not None:
            self.document_reader.after_turn(incoming, result)
        logger.info(
            "turn for message %s: %d replies, tools %s",
            incoming.message_id,
            len(replies),
            [call.name for call in calls],
        )
        return result


    def _ensure_citizen(self, incoming: Incoming) -> None:
        """Create the citizen's row on first contact; a row is never deleted, so ask once."""
        named = bool(incoming.citizen_name)
        if (incoming.citizen_id, True) in self._ensured or (
            incoming.citizen_id, named
        ) in self._ensured:
            return
        self.tools.ensure_citizen(incoming.citizen_id, incoming.citizen_name)
        self._ensured.add((incoming.citizen_id, named))


def create_agent(
    settings: Settings,
    *,
    clock: Clock | None = None,
    tools: ToolRuntime | None = None,
    knowledge: KnowledgeBase | None = None,
    policy: str | None = None,
    checkpoint_location: str | None = None,
) -> Agent:
    """An agent over the configured database, knowledge base and policy."""
    tools = tools or build_runtime(settings, clock=clock)
    choice = PolicyChoice(policy) if policy else settings.policy
    chosen: Policy = OfflinePolicy()
    if choice is PolicyChoice.LLM:
        from agent.policies.llm import LLMPolicy

        chosen = LLMPolicy.from_settings(settings, fallback=OfflinePolicy())
    return Agent(
        tools=tools,
        knowledge=knowledge,
        policy=chosen,
        checkpoint_location=checkpoint_location or settings.resolved_checkpoint_url,
        max_steps=settings.max_steps,
    )


def create_handler(settings: Settings) -> Agent:
    """The agent the server runs: the knowledge base opened from settings when it exists."""
    knowledge = open_knowledge(settings)
    return create_agent(settings, knowledge=knowledge)


def open_knowledge(settings: Settings) -> KnowledgeBase | None:
    """The knowledge base, or None (questions then get "I don't know") when it cannot open."""
    try:
        return KnowledgeBase.open(settings)
    except Exception:  # the bot still runs forms and payments without it
        logger.exception("knowledge base unavailable; questions will not be answered")
        return None


