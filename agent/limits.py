"""WhatsApp's limits on replies, and the numbered-text fallback when a reply breaks one."""

from __future__ import annotations

from agent.messages import (
    Button,
    ButtonsReply,
    DocumentReply,
    ImageReply,
    ListReply,
    Reply,
    TextReply,
)

MAX_BODY = 4096
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
MAX_SECTION_TITLE = 24


def fit(reply: Reply) -> list[Reply]:
    """The reply as WhatsApp accepts it: unchanged, split, or turned into numbered text."""
    if isinstance(reply, TextReply):
        return [TextReply(body=part) for part in _split(reply.body)]
    if isinstance(reply, ButtonsReply):
        if _buttons_fit(reply.buttons) and len(reply.body) <= 1024:
            return [reply]
        return fit(TextReply(body=numbered(reply.body, [b.title for b in reply.buttons])))
    if isinstance(reply, ListReply):
        if _list_fits(reply) and len(reply.body) <= 4096:
            return [reply]
        titles = [row.title for section in reply.sections for row in section.rows]
        return fit(TextReply(body=numbered(reply.body, titles)))
    if isinstance(reply, DocumentReply | ImageReply):
        return [reply]
    raise TypeError(f"unknown reply {reply!r}")


def choices_of(reply: Reply) -> list[Button]:
    """The choices a reply offers, in the order a numbered fallback shows them."""
    if isinstance(reply, ButtonsReply):
        return list(reply.buttons)
    if isinstance(reply, ListReply):
        return [Button(id=row.id, title=row.title) for s in reply.sections for row in s.rows]
    return []


def numbered(body: str, titles: list[str]) -> str:
    """A body followed by the choices as a numbered list, to answer with a number."""
    lines = [body, ""] + [f"{index}. {title}" for index, title in enumerate(titles, 1)]
    return "\n".join(lines)


def _buttons_fit(buttons: list[Button]) -> bool:
    return 0 < len(buttons) <= MAX_BUTTONS and all(
        0 < len(b.title) <= MAX_BUTTON_TITLE for b in buttons
    )


def _list_fits(reply: ListReply) -> bool:
    rows = [row for section in reply.sections for row in section.rows]
    return (
        0 < len(rows) <= MAX_ROWS
        and 0 < len(reply.button) <= MAX_LIST_BUTTON
        and all(len(section.title) <= MAX_SECTION_TITLE for section in reply.sections)
        and all(0 < len(row.title) <= MAX_ROW_TITLE for row in rows)
        and all(len(row.description or "") <= MAX_ROW_DESCRIPTION for row in rows)
    )


def _split(body: str) -> list[str]:
    """Text bodies of at most 4096 characters, split at line ends where possible."""
    parts = []
    while len(body) > MAX_BODY:
        cut = body.rfind("\n", 0, MAX_BODY)
        if cut <= 0:
            cut = MAX_BODY
        parts.append(body[:cut])
        body = body[cut:].lstrip("\n")
    parts.append(body)
    return parts
