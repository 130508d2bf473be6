"""What every policy receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from agent.messages import Reply
from agent.state import ConversationState
from tools.catalog import Catalog
from tools.clock import Clock, today


@dataclass
class PolicyContext:
    """What a policy may know besides the conversation: the catalog, the time, where files go."""

    catalog: Catalog
    clock: Clock
    media_dir: Path

    def today(self) -> date:
        """Today's date in India."""
        return today(self.clock)


@dataclass
class ToolCall:
    """A tool the policy wants run, with its arguments (never an idempotency key)."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    # Only honoured in turns started by an event (such as a payment the citizen confirmed).
    confirmed: bool = False


@dataclass
class Decision:
    """Either tool calls to run next, or the turn's replies; plus state changes either way."""

    calls: list[ToolCall] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    updates: dict[str, Any] = field(default_factory=dict)


class Policy(Protocol):
    """Decides, step by step, what to do with one citizen message."""

    name: str

    def decide(self, state: ConversationState, ctx: PolicyContext) -> Decision:
        """The next step: calls to run, or the replies that end the turn."""
        ...
