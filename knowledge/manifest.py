"""The manifest: which documents the knowledge base holds, in a small SQLite file beside Chroma.

It is the source of truth. A document counts only once its row is committed; chunks in Chroma
carry the content hash ("generation") they were made from, and chunks whose document and
generation have no committed row are leftovers of an interrupted load, removed on open.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from knowledge.documents import Document, DocumentMeta

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    meta_json TEXT NOT NULL,
    body TEXT NOT NULL,
    format TEXT NOT NULL,
    path TEXT,
    content_hash TEXT NOT NULL,
    chunk_count INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class ManifestRow:
    """One committed document."""

    document: Document
    content_hash: str
    chunk_count: int
    added_at: datetime
    updated_at: datetime


class Manifest:
    """Read and write the manifest; each write is one transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The web page and the CLI may hold the file at once; wait for the other's write.
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._db.commit()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db:
            yield self._db

    def get_state(self, key: str) -> str | None:
        """A stored value: the embedder, the active collection, the revision."""
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, values: dict[str, str]) -> None:
        """Store values in one transaction."""
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    @property
    def revision(self) -> int:
        """Grows with every committed change, so other processes know to reload."""
        return int(self.get_state("revision") or 0)

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO state (key, value) VALUES ('revision', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def hash_of(self, doc_id: str) -> str | None:
        """The committed content hash of a document, if it is present."""
        row = self._db.execute(
            "SELECT content_hash FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def generations(self) -> dict[str, str]:
        """Document id to committed content hash, for every document."""
        return dict(self._db.execute("SELECT id, content_hash FROM documents").fetchall())

    def commit(self, document: Document, chunk_count: int, now: datetime) -> None:
        """Record a document as present, replacing any earlier version."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO documents (id, meta_json, body, format, path, content_hash, "
                "chunk_count, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET meta_json = excluded.meta_json, "
                "body = excluded.body, format = excluded.format, path = excluded.path, "
                "content_hash = excluded.content_hash, chunk_count = excluded.chunk_count, "
                "updated_at = excluded.updated_at",
                (
                    document.meta.id,
                    document.meta.model_dump_json(),
                    document.body,
                    document.format,
                    document.path,
                    document.content_hash,
                    chunk_count,
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
            self._bump(db)

    def delete(self, doc_id: str) -> bool:
        """Forget a document; False if it was not there."""
        with self._transaction() as db:
            deleted = db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            if deleted:
                self._bump(db)
        return bool(deleted)

    def rows(self) -> list[ManifestRow]:
        """Every committed document, by id."""
        cursor = self._db.execute(
            "SELECT meta_json, body, format, path, content_hash, chunk_count, added_at, "
            "updated_at FROM documents ORDER BY id"
        )
        return [_row(values) for values in cursor.fetchall()]

    def row(self, doc_id: str) -> ManifestRow | None:
        """One committed document, if present."""
        values = self._db.execute(
            "SELECT meta_json, body, format, path, content_hash, chunk_count, added_at, "
            "updated_at FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return None if values is None else _row(values)


def _row(values: tuple[str, str, str, str | None, str, int, str, str]) -> ManifestRow:
    meta_json, body, format_, path, content_hash, chunk_count, added_at, updated_at = values
    meta = DocumentMeta.model_validate(json.loads(meta_json))
    return ManifestRow(
        document=Document(meta=meta, body=body, format=format_, path=path),
        content_hash=content_hash,
        chunk_count=int(chunk_count),
        added_at=datetime.fromisoformat(added_at),
        updated_at=datetime.fromisoformat(updated_at),
    )
