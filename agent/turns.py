"""What one turn of the conversation produced: replies, tool calls and the language used."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agent.messages import Reply


class ToolCallRecord(BaseModel):
    """A tool call made during a turn, as evals and operators see it."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    ok: bool
    error_code: str | None = None
    replayed: bool = False


class TurnResult(BaseModel):
    """The outcome of handling one incoming message."""

    replies: list[Reply]
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    language: str = Field(description="hi (Devanagari), hi-Latn (Hinglish) or en.")
    policy: str = Field(default="offline", description="Which policy produced the turn.")
