"""Replies as Cloud API message objects, within WhatsApp's limits.

A reply that would break a limit (four buttons, a 30-character row title, …) goes out as
numbered text instead, and the choices are returned so that a later "2" can be read as the
second choice. Text longer than 4096 characters is split at line breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.messages import (
    ButtonsReply,
    DocumentReply,
    ImageReply,
    ListReply,
    Reply,
    TextReply,
)

MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_CAPTION = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_SECTION_TITLE = 24
MAX_LIST_BUTTON = 20
MAX_ID = 200
NUMBER_PROMPT = "नंबर लिखकर भेजें / Reply with a number"


@dataclass
class Outgoing:
    """One Cloud API message, less the recipient: `body` is merged into the send request."""

    kind: str
    body: dict[str, Any]
    media_path: str | None = None
    menu: list[dict[str, str]] = field(default_factory=list)


def render(reply: Reply) -> list[Outgoing]:
    """The messages that carry one reply, in order."""
    if isinstance(reply, TextReply):
        return [_text(part) for part in split_text(reply.body)]
    if isinstance(reply, ButtonsReply):
        return _buttons(reply)
    if isinstance(reply, ListReply):
        return _list(reply)
    if isinstance(reply, DocumentReply):
        document: dict[str, Any] = {"filename": reply.filename, "mime_type": reply.mime_type}
        if reply.caption:
            document["caption"] = reply.caption[:MAX_CAPTION]
        return [Outgoing("document", {"type": "document", "document": document}, reply.path)]
    if isinstance(reply, ImageReply):
        image: dict[str, Any] = {"mime_type": reply.mime_type}
        if reply.caption:
            image["caption"] = reply.caption[:MAX_CAPTION]
        return [Outgoing("image", {"type": "image", "image": image}, reply.path)]
    raise TypeError(f"unknown reply type: {type(reply).__name__}")


def split_text(body: str, limit: int = MAX_TEXT) -> list[str]:
    """`body` in pieces of at most `limit` characters, cut at line breaks where possible."""
    parts: list[str] = []
    rest = body
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return parts


def _text(body: str) -> Outgoing:
    return Outgoing("text", {"type": "text", "text": {"body": body, "preview_url": True}})


def _buttons(reply: ButtonsReply) -> list[Outgoing]:
    fits = (
        0 < len(reply.buttons) <= MAX_BUTTONS
        and len(reply.body) <= MAX_INTERACTIVE_BODY
        and all(0 < len(b.title) <= MAX_BUTTON_TITLE and len(b.id) <= MAX_ID
                for b in reply.buttons)
    )
    choices = [{"id": b.id, "title": b.title} for b in reply.buttons]
    if not fits:
        return _numbered(reply.body, choices)
    buttons = [{"type": "reply", "reply": choice} for choice in choices]
    interactive = {"type": "button", "body": {"text": reply.body}, "action": {"buttons": buttons}}
    return [Outgoing("interactive", {"type": "interactive", "interactive": interactive})]


def _list(reply: ListReply) -> list[Outgoing]:
    rows = [row for section in reply.sections for row in section.rows]
    fits = (
        0 < len(rows) <= MAX_ROWS
        and len(reply.body) <= MAX_INTERACTIVE_BODY
        and 0 < len(reply.button) <= MAX_LIST_BUTTON
        and all(len(s.title) <= MAX_SECTION_TITLE for s in reply.sections)
        and all(
            0 < len(r.title) <= MAX_ROW_TITLE
            and len(r.description or "") <= MAX_ROW_DESCRIPTION
            and len(r.id) <= MAX_ID
            for r in rows
        )
    )
    if not fits:
        choices = []
        for row in rows:
            title = f"{row.title} — {row.description}" if row.description else row.title
            choices.append({"id": row.id, "title": title})
        return _numbered(reply.body, choices)

    sections = []
    for section in reply.sections:
        out_rows = []
        for row in section.rows:
            out_row = {"id": row.id, "title": row.title}
            if row.description:
                out_row["description"] = row.description
            out_rows.append(out_row)
        out_section: dict[str, Any] = {"rows": out_rows}
        if section.title:
            out_section["title"] = section.title
        sections.append(out_section)
    interactive = {
        "type": "list",
        "body": {"text": reply.body},
        "action": {"button": reply.button, "sections": sections},
    }
    return [Outgoing("interactive", {"type": "interactive", "interactive": interactive})]


def _numbered(body: str, choices: list[dict[str, str]]) -> list[Outgoing]:
    """Choices as a numbered text, remembered as the citizen's menu."""
    lines = [f"{index}. {choice['title']}" for index, choice in enumerate(choices, start=1)]
    text = "\n".join([body, "", *lines, "", NUMBER_PROMPT]) if lines else body
    parts = [_text(part) for part in split_text(text)]
    parts[-1].menu = [{"id": c["id"], "title": c["title"]} for c in choices]
    return parts
