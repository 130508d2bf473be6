"""The conversation state LangGraph keeps per citizen, checkpointed after every turn."""

from __future__ import annotations

from typing import Any, TypedDict


class ConversationState(TypedDict, total=False):
    """One citizen's conversation. Fields marked *turn* are reset when a message arrives."""

    incoming: dict[str, Any]
    """*turn* The message being handled (an `Incoming`, as a dict)."""
    understanding: dict[str, Any]
    """*turn* Intent and values found in the message by the offline reader."""
    calls: list[dict[str, Any]]
    """*turn* Tool calls the policy asked for and the tools node has yet to run."""
    results: list[dict[str, Any]]
    """*turn* Outcomes of the tool calls run in this turn, in order."""
    replies: list[dict[str, Any]]
    """*turn* Replies to send, as `Reply` dicts, in order."""
    steps: int
    """*turn* How many times the policy has decided in this turn (bounded by max_steps)."""
    policy_used: str
    """*turn* Which policy produced the turn: offline, llm, or offline after an LLM failure."""

    language: str
    """The language replies are written in: hi, hi-Latn or en."""
    language_locked: bool
    """The citizen asked for a language; detection no longer changes it."""
    application: str | None
    """The application being filled in, by number."""
    service_id: str | None
    """The service of that application."""
    awaiting: str | None
    """What the last reply asked for: `field:<name>`, `document:<slot>`, `upic`, or None."""
    skipped: list[str]
    """Optional fields of the application the citizen chose to skip."""
    last_field: str | None
    """The field answered last, which a bare correction ("nahi, 5 march") refers to."""
    pending_call: dict[str, Any] | None
    """A tool call (submit, pay, cancel) shown to the citizen and awaiting Yes or No."""
    awaiting_before: str | None
    """What the form waited for before a "cancel?" question, to ask again after a No."""
    upic: str | None
    """The property whose tax is being paid."""
    loose_documents: list[int]
    """Documents received when no application needed one, waiting to be assigned."""
    llm_messages: list[dict[str, Any]]
    """The LLM policy's chat history (OpenAI message dicts), trimmed to the recent turns."""
    last_message_id: str | None
    """The last message handled, so a redelivered message gets the same replies again."""
    last_replies: list[dict[str, Any]]
    """The replies sent for `last_message_id`."""
    last_results: list[dict[str, Any]]
    """The tool outcomes of `last_message_id`."""
    offered: list[dict[str, Any]]
    """Choices the last replies offered (id and title), so "2" or a title picks one."""
    llm_turn: list[dict[str, Any]]
    """*turn* The LLM policy's messages of this turn: the user message, calls and results."""
    fallback_at: int
    """*turn* Where in `results` the offline policy took over from a failed LLM."""
