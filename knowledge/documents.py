"""What the knowledge base holds: documents with their metadata, and the chunks cut from them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Language = Literal["hi", "en"]
DOC_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{1,99}$"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN = re.compile(r"[A-Za-z]")


class DocumentMeta(BaseModel):
    """The front-matter header of a document; unknown keys are an error, so typos show."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=DOC_ID_PATTERN, description="Stable id; re-adding it replaces it.")
    title: str = Field(min_length=1)
    service: str | None = Field(default=None, description="Catalog service id, or none.")
    department: str | None = None
    language: Language
    source_url: str | None = Field(default=None, description="The main public source.")
    sources: list[str] = Field(default_factory=list, description="Further public sources.")
    effective_date: date | None = None

    @field_validator("service", "department", mode="before")
    @classmethod
    def _none_words(cls, value: object) -> object:
        # Editors write `service: none` for a document that belongs to no one service.
        if isinstance(value, str) and value.strip().lower() in {"", "none", "null", "-"}:
            return None
        return value


@dataclass(frozen=True)
class Document:
    """A loaded document: its metadata and its text as Markdown-like lines."""

    meta: DocumentMeta
    body: str
    format: str
    path: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of metadata and text: equal hashes mean re-adding changes nothing."""
        digest = hashlib.sha256()
        digest.update(self.meta.model_dump_json().encode())
        digest.update(b"\n")
        digest.update(self.body.encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Chunk:
    """A piece of a document under one heading, small enough to embed."""

    doc_id: str
    ordinal: int
    heading_path: tuple[str, ...]
    text: str
    meta: DocumentMeta = field(repr=False)

    @property
    def id(self) -> str:
        """Unique within the knowledge base: the document id and the chunk's position."""
        return f"{self.doc_id}#{self.ordinal:03d}"

    @property
    def heading(self) -> str:
        """The heading path as one line, for citations."""
        return " › ".join(self.heading_path)

    @property
    def indexed_text(self) -> str:
        """What is embedded and indexed: title and headings give the passage its context."""
        context = ". ".join((self.meta.title, *self.heading_path))
        return f"{context}\n{self.text}"


def detect_language(text: str) -> Language:
    """`hi` when Devanagari makes up a good part of the letters, else `en`."""
    devanagari = len(DEVANAGARI.findall(text))
    latin = len(LATIN.findall(text))
    return "hi" if devanagari > 0.3 * (devanagari + latin) and devanagari else "en"


def slug(text: str) -> str:
    """A document id made from a file name: lower case, dashes, at least two characters."""
    cleaned = re.sub(r"[^a-z0-9_.-]+", "-", Path(text).stem.lower()).strip("-._")
    return (cleaned or "document").ljust(2, "0")[:100]
