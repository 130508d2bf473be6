"""The offline policy: reads the understood message and the turn's tool results, step by step.

Each `decide` call looks at what has already run in this turn and returns either the next
tool calls or the replies that end the turn, so it emits the same calls an LLM would.
"""

from __future__ import annotations

from agent.intents import Intent
from agent.policies.base import Decision, PolicyContext
from agent.policies.offline.application_steps import FormSteps
from agent.policies.offline.common import Handler, offer_kept_document
from agent.policies.offline.confirmation_steps import ConfirmSteps
from agent.policies.offline.conversation_steps import ConversationSteps
from agent.policies.offline.document_steps import DocumentSteps
from agent.policies.offline.event_steps import EventSteps
from agent.state import ConversationState


class OfflinePolicy(FormSteps, DocumentSteps, ConfirmSteps, ConversationSteps, EventSteps):
    """Deterministic rules: no network, no key; the embedded default and the eval baseline."""

    name = "offline"

    def decide(self, state: ConversationState, ctx: PolicyContext) -> Decision:
        """The next step for the message in `state`."""
        intent = state.get("understanding", {}).get("intent", Intent.UNKNOWN.value)
        handler: Handler = getattr(self, f"_on_{intent}", self._on_unknown)
        decision = handler(state, ctx, state.get("results", []))
        return offer_kept_document(decision, state)
