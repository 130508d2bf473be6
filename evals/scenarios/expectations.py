"""Judging one turn: the replies, the tool calls and the language against `expect`."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from agent.messages import ButtonsReply, DocumentReply, ImageReply, ListReply, Reply, TextReply
from agent.turns import ToolCallRecord, TurnResult
from evals.scenarios.model import Expect, ToolExpectation

URL = re.compile(r"\S+://\S+")
# Share of letters that must be in the expected script for a reply to count as written in it.
SCRIPT_SHARE = 0.5


def fold(text: str) -> str:
    """Text for case-insensitive comparison: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def reply_text(replies: list[Reply]) -> str:
    """Everything a citizen reads in the replies: bodies, buttons, rows, captions."""
    parts: list[str] = []
    for reply in replies:
        if isinstance(reply, TextReply):
            parts.append(reply.body)
        elif isinstance(reply, ButtonsReply):
            parts.append(reply.body)
            parts.extend(button.title for button in reply.buttons)
        elif isinstance(reply, ListReply):
            parts.extend([reply.body, reply.button])
            for section in reply.sections:
                parts.append(section.title)
                for row in section.rows:
                    parts.extend([row.title, row.description or ""])
        elif isinstance(reply, DocumentReply):
            parts.extend([reply.caption or "", reply.filename])
        elif isinstance(reply, ImageReply):
            parts.append(reply.caption or "")
    return "\n".join(part for part in parts if part)


def choices_offered(replies: list[Reply]) -> list[tuple[str, str]]:
    """The (id, title) of every reply button and list row in the replies, in order."""
    offered: list[tuple[str, str]] = []
    for reply in replies:
        if isinstance(reply, ButtonsReply):
            offered.extend((button.id, button.title) for button in reply.buttons)
        elif isinstance(reply, ListReply):
            for section in reply.sections:
                offered.extend((row.id, row.title) for row in section.rows)
    return offered


def devanagari_share(text: str) -> float | None:
    """The share of letters that are Devanagari, URLs left out; None when there are none."""
    letters = [ch for ch in URL.sub(" ", text) if ch.isalpha() or "\u0900" <= ch <= "\u097f"]
    if not letters:
        return None
    return sum("\u0900" <= ch <= "\u097f" for ch in letters) / len(letters)


def check_turn(expect: Expect, result: TurnResult) -> list[str]:
    """Each expectation of the turn that does not hold, as `key: what was wrong`."""
    failures: list[str] = []
    text = reply_text(result.replies)
    folded = fold(text)
    calls = result.tool_calls

    if expect.language is not None:
        failures.extend(_language(expect.language, result.language, text))
    if expect.tools:
        missing = _missing_in_order(expect.tools, calls)
        if missing is not None:
            failures.append(
                f"tools: expected {_describe(missing)} (in order {_names(expect.tools)}); "
                f"saw {_seen(calls)}"
            )
    called = {call.name for call in calls}
    unwanted = [name for name in expect.not_tools if name in called]
    if unwanted:
        failures.append(f"not_tools: {unwanted} were called; saw {_seen(calls)}")
    codes = {call.error_code for call in calls if not call.ok}
    absent_codes = [code for code in expect.tool_errors if code not in codes]
    if absent_codes:
        failures.append(f"tool_errors: expected {absent_codes}; saw {_seen(calls)}")

    if expect.contains_any and not any(fold(word) in folded for word in expect.contains_any):
        failures.append(f"contains_any: none of {expect.contains_any} in the reply")
    lacking = [word for word in expect.contains_all if fold(word) not in folded]
    if lacking:
        failures.append(f"contains_all: {lacking} not in the reply")
    present = [word for word in expect.not_contains if fold(word) in folded]
    if present:
        failures.append(f"not_contains: {present} in the reply")

    if expect.buttons:
        offered = choices_offered(result.replies)
        names = {fold(title) for _id, title in offered} | {fold(id_) for id_, _t in offered}
        absent = [title for title in expect.buttons if fold(title) not in names]
        if absent:
            titles = [title for _id, title in offered]
            failures.append(f"buttons: {absent} not offered; offered {titles}")
    types = {reply.type for reply in result.replies}
    absent_types = [kind for kind in expect.reply_types if kind not in types]
    if absent_types:
        failures.append(f"reply_types: no {absent_types} reply; got {sorted(types)}")
    return failures


def _language(expected: str, reported: str, text: str) -> list[str]:
    failures = []
    if reported != expected:
        failures.append(f"language: expected {expected}, the turn reports {reported}")
    share = devanagari_share(text)
    if share is not None:
        if expected == "hi" and share < SCRIPT_SHARE:
            failures.append(f"language: expected Devanagari, {share:.0%} of letters are")
        elif expected != "hi" and share > 1 - SCRIPT_SHARE:
            failures.append(f"language: expected Latin script, {share:.0%} are Devanagari")
    return failures


def tool_matches(wanted: ToolExpectation, call: ToolCallRecord) -> bool:
    """Whether a call is the wanted tool, with the wanted outcome and argument values."""
    if call.name != wanted.name:
        return False
    if wanted.ok is not None and call.ok != wanted.ok:
        return False
    return all(_value_matches(v, call.arguments.get(k)) for k, v in wanted.arguments.items())


def _value_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            _value_matches(v, actual.get(k)) for k, v in expected.items()
        )
    if isinstance(expected, str) and isinstance(actual, str):
        return fold(expected) == fold(actual)
    return bool(expected == actual)


def _missing_in_order(
    wanted: list[ToolExpectation], calls: list[ToolCallRecord]
) -> ToolExpectation | None:
    """The first wanted call not found after the previous one; None when all are there."""
    position = 0
    for item in wanted:
        while position < len(calls) and not tool_matches(item, calls[position]):
            position += 1
        if position == len(calls):
            return item
        position += 1
    return None


def _describe(item: ToolExpectation) -> str:
    extra = []
    if item.ok is not None:
        extra.append("ok" if item.ok else "failing")
    if item.arguments:
        extra.append(f"with {item.arguments}")
    return item.name + (f" ({', '.join(extra)})" if extra else "")


def _names(items: list[ToolExpectation]) -> list[str]:
    return [item.name for item in items]


def _seen(calls: list[ToolCallRecord]) -> str:
    if not calls:
        return "no tool calls"
    return ", ".join(
        call.name + ("" if call.ok else f" (error {call.error_code})") for call in calls
    )
