"""Cut a document into chunks along its headings, each chunk small enough to embed well."""

from __future__ import annotations

import re

from knowledge.documents import Chunk, Document

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
FENCE = re.compile(r"^(```|~~~)")
SENTENCE_END = re.compile(r"(?<=[.!?।])\s+")
# e5-small reads at most 512 tokens; Devanagari costs about one token per two or three
# characters, so 900 characters keep a chunk well inside that and focused on one point.
MAX_CHARS = 900


def chunk_document(document: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """The chunks of a document in reading order, each with its heading path."""
    chunks: list[Chunk] = []
    for path, text in _sections(document):
        for piece in _pieces(text, max_chars):
            chunks.append(
                Chunk(
                    doc_id=document.meta.id,
                    ordinal=len(chunks),
                    heading_path=path,
                    text=piece,
                    meta=document.meta,
                )
            )
    return chunks


def _sections(document: Document) -> list[tuple[tuple[str, ...], str]]:
    """(heading path, text) for each run of text under a heading; empty runs are dropped."""
    sections: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False

    def close() -> None:
        text = "\n".join(lines).strip()
        if text:
            sections.append((tuple(title for _, title in stack), text))
        lines.clear()

    for line in document.body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        close()
        level, title = len(match.group(1)), match.group(2).strip()
        while stack and stack[-1][0] >= level:
            stack.pop()
        # A top heading that repeats the title says nothing a citation does not.
        if not (level == 1 and not stack and title == document.meta.title):
            stack.append((level, title))
    close()
    return sections


def _pieces(text: str, max_chars: int) -> list[str]:
    """Split a section's text at paragraphs, then sentences, into pieces of `max_chars`."""
    if len(text) <= max_chars:
        return [text]
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        if len(paragraph) <= max_chars:
            units.append(paragraph.strip())
        else:
            units.extend(_sentences(paragraph, max_chars))

    pieces: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + len(unit) + 2 > max_chars:
            pieces.append(current)
            current = unit
        else:
            current = f"{current}\n\n{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def _sentences(paragraph: str, max_chars: int) -> list[str]:
    """Sentences (or lines of a list), cut hard only when one alone is too long."""
    parts: list[str] = []
    for line in paragraph.splitlines():
        for sentence in SENTENCE_END.split(line.strip()):
            while len(sentence) > max_chars:
                parts.append(sentence[:max_chars])
                sentence = sentence[max_chars:]
            if sentence:
                parts.append(sentence)
    return parts
