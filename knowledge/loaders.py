"""Loaders turn a file (Markdown, plain text, HTML, PDF) into a `Document`.

Markdown and plain text carry their metadata in a YAML front-matter header between `---`
lines; HTML in `<meta name="kb:…">` tags; PDFs in nothing but their title. Whatever a file
does not say is taken from `overrides`, then guessed: the id from the file name, the title
from the first heading, the language from the script.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from pydantic import ValidationError

from knowledge.documents import Document, DocumentMeta, detect_language, slug

logger = logging.getLogger(__name__)

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# Fewer extracted characters than this per page means the PDF is a scan without a text layer.
MIN_PDF_CHARS_PER_PAGE = 20


class LoadError(ValueError):
    """A file cannot become a document; the message says why, for the editor."""


def supported(path: Path) -> bool:
    """Whether a file's suffix names a format the loaders read."""
    return path.suffix.lower() in SUFFIXES


def load_file(path: Path, overrides: dict[str, Any] | None = None) -> Document:
    """Load a document from a file on disk.

    Raises:
        LoadError: unsupported format, unreadable file or invalid metadata.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror}") from error
    return load_bytes(path.name, data, overrides, path=str(path))


def load_bytes(
    filename: str,
    data: bytes,
    overrides: dict[str, Any] | None = None,
    path: str | None = None,
) -> Document:
    """Load a document from the bytes of a file named `filename` (an upload, say).

    Raises:
        LoadError: unsupported format, undecodable text or invalid metadata.
    """
    kind = SUFFIXES.get(Path(filename).suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise LoadError(f"unsupported file type {Path(filename).suffix or '(none)'}; use {known}")

    if kind == "pdf":
        header, body = _pdf(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LoadError("the file is not UTF-8 text") from error
        header, body = _html(text) if kind == "html" else _front_matter(text)

    if not body.strip():
        raise LoadError("the document has no text")
    meta = _meta(filename, header, body, overrides or {})
    return Document(meta=meta, body=body.strip() + "\n", format=kind, path=path)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        header = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise LoadError(f"the front matter is not valid YAML: {error}") from error
    if not isinstance(header, dict):
        raise LoadError("the front matter must be `key: value` lines")
    return header, text[match.end() :]


def _html(text: str) -> tuple[dict[str, Any], str]:
    soup = BeautifulSoup(text, "html.parser")
    header: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or "")
        if name.startswith("kb:"):
            header[name[3:]] = str(tag.get("content") or "")
    html_tag = soup.find("html")
    if html_tag is not None and html_tag.get("lang") and "language" not in header:
        header["language"] = str(html_tag.get("lang")).split("-")[0]
    if soup.title and soup.title.string and "title" not in header:
        header["title"] = soup.title.string.strip()

    # Page furniture is not content.
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form"]):
        tag.decompose()

    # Headings become Markdown headings so the chunker splits HTML the same way.
    lines: list[str] = []
    root = soup.body or soup
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre"]):
        text_of = " ".join(element.get_text(" ", strip=True).split())
        if not text_of:
            continue
        if element.name and element.name[0] == "h":
            lines.extend(["", "#" * int(element.name[1]) + " " + text_of, ""])
        elif element.name == "li":
            lines.append(f"- {text_of}")
        elif element.name == "tr":
            cells = element.find_all(["td", "th"])
            lines.append(" | ".join(cell.get_text(" ", strip=True) for cell in cells))
        else:
            lines.extend([text_of, ""])
    return header, "\n".join(lines)


def _pdf(data: bytes) -> tuple[dict[str, Any], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError) as error:
        raise LoadError(f"cannot read the PDF: {error}") from error

    if sum(len(page.strip()) for page in pages) < MIN_PDF_CHARS_PER_PAGE * max(len(pages), 1):
        # A scan: read its pages with the same OCR as citizens' documents (eng+hin).
        pages = _ocr_pages(data)
        if sum(len(page.strip()) for page in pages) < MIN_PDF_CHARS_PER_PAGE * len(pages):
            raise LoadError("the PDF has no text layer and OCR read almost nothing from it")

    # Each page becomes a section so citations can name the page.
    sections = [f"## Page {number}\n\n{text.strip()}" for number, text in enumerate(pages, 1)]
    header: dict[str, Any] = {"title": title.strip()} if title and title.strip() else {}
    return header, "\n\n".join(section for section in sections if section.strip())


def _ocr_pages(data: bytes) -> list[str]:
    """The text of each page of a scanned PDF, by OCR."""
    from tools.documents.ocr import read_document

    try:
        reading = read_document(data, "application/pdf")
    except Exception as error:  # OCR of a broken scan is a load failure, not a crash
        raise LoadError(f"OCR of the scanned PDF failed: {error}") from error
    return [page.text for page in reading.pages] or [""]


def _meta(
    filename: str, header: dict[str, Any], body: str, overrides: dict[str, Any]
) -> DocumentMeta:
    values = {**header, **{key: value for key, value in overrides.items() if value is not None}}
    values.setdefault("id", slug(filename))
    if not values.get("title"):
        heading = re.search(r"^#{1,6}[ \t]+(.+)$", body, re.MULTILINE)
        values["title"] = heading.group(1).strip() if heading else Path(filename).stem
    values.setdefault("language", detect_language(body))
    try:
        return DocumentMeta.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'header'}: {item['msg']}"
            for item in error.errors()
        )
        raise LoadError(f"invalid metadata: {problems}") from error
