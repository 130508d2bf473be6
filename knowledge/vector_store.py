"""Chunks and their vectors in Chroma: embedded and persistent by default, a server by setting.

Vectors are always computed by the project's embedder and handed to Chroma; Chroma's own
default embedding function would try to download a model. The collection still gets an
adapter for that embedder, on create and on get, so nothing falls back to the default.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.documents import Chunk
from knowledge.embedders import Embedder, Vectors, get_embedder

logger = logging.getLogger(__name__)

# Chroma imports onnxruntime for its default function; keep its native library off the network.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


@register_embedding_function
class ProjectEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of a project embedder; the model loads only if Chroma ever calls it."""

    def __init__(self, spec: str, embedder: Embedder | None = None) -> None:
        self._spec = spec
        self._embedder = embedder

    def _model(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self._spec)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's name
        """Passage vectors for documents Chroma was handed without embeddings."""
        return list(self._model().embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's name
        """Query vectors, with the query prefix e5 models expect."""
        return [self._model().embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        """Registered name of this adapter."""
        return "nagrik"

    def get_config(self) -> dict[str, Any]:
        """What rebuilds the adapter: the embedder spec."""
        return {"embedder": self._spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ProjectEmbeddingFunction:
        """An adapter for a stored spec; its model loads on first use."""
        return ProjectEmbeddingFunction(str(config["embedder"]))


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as Chroma returns it: id, text and flat metadata."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class DenseHit:
    """A chunk id found by vector search, with its cosine similarity to the query."""

    id: str
    similarity: float


def connect(kb_dir: Path, host: str | None, port: int) -> ClientAPI:
    """A Chroma client: a server when a host is set, else an embedded store under kb_dir."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        logger.info("knowledge base uses the Chroma server at %s:%d", host, port)
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    path = kb_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    """One Chroma collection of chunks, embedded by one project embedder."""

    def __init__(
        self,
        client: ClientAPI,
        name: str,
        spec: str,
        dimension: int,
        embedder: Embedder | None = None,
    ) -> None:
        self.name = name
        self._client = client
        # The adapter goes in on create and on get: Chroma does not restore it when reopening.
        self._collection: Collection = client.get_or_create_collection(
            name=name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": spec, "dimension": dimension},
            embedding_function=cast(Any, ProjectEmbeddingFunction(spec, embedder)),
        )

    @property
    def stored_embedder(self) -> tuple[str | None, int | None]:
        """The embedder name and dimension recorded on the collection."""
        metadata = self._collection.metadata or {}
        dimension = metadata.get("dimension")
        name = metadata.get("embedder")
        return (
            str(name) if name is not None else None,
            int(cast(int, dimension)) if dimension is not None else None,
        )

    def count(self) -> int:
        """How many chunks the collection holds."""
        return self._collection.count()

    def upsert(self, chunks: Sequence[Chunk], generation: str, vectors: Vectors) -> None:
        """Store chunks of one document version with their vectors."""
        if not chunks:
            return
        self._collection.upsert(
            ids=[chunk_key(chunk, generation) for chunk in chunks],
            embeddings=vectors,
            documents=[chunk.text for chunk in chunks],
            metadatas=[chunk_metadata(chunk, generation) for chunk in chunks],
        )

    def delete_ids(self, ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if ids:
            self._collection.delete(ids=list(ids))

    def delete_where(self, where: dict[str, Any]) -> None:
        """Remove the chunks that match a metadata filter."""
        self._collection.delete(where=cast(Any, where))

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk with its text and metadata (not its vector)."""
        result = self._collection.get(include=cast(Any, ["documents", "metadatas"]))
        documents = result.get("documents") or []
        metadatas = result.get("metadatas") or []
        return [
            StoredChunk(id=chunk_id, text=text or "", metadata=dict(metadata or {}))
            for chunk_id, text, metadata in zip(result["ids"], documents, metadatas, strict=True)
        ]

    def query(self, vector: Vectors, limit: int, where: dict[str, Any] | None) -> list[DenseHit]:
        """The chunks nearest to a query vector, most similar first."""
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(
            query_embeddings=cast(Any, [vector]),
            n_results=min(limit, total),
            where=cast(Any, where),
            include=cast(Any, ["distances"]),
        )
        distances = (result.get("distances") or [[]])[0]
        # Cosine distance is 1 - similarity.
        return [
            DenseHit(id=chunk_id, similarity=1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], distances, strict=True)
        ]

    def drop(self) -> None:
        """Delete the whole collection."""
        self._client.delete_collection(self.name)


def chunk_key(chunk: Chunk, generation: str) -> str:
    """Chroma id of a chunk: its id plus the short content hash of its document version."""
    return f"{chunk.doc_id}@{generation[:16]}#{chunk.ordinal:03d}"


def chunk_metadata(chunk: Chunk, generation: str) -> dict[str, str | int]:
    """Flat metadata for a chunk; Chroma takes no None, so absent values are empty strings."""
    meta = chunk.meta
    return {
        "doc_id": chunk.doc_id,
        "generation": generation,
        "ordinal": chunk.ordinal,
        "heading": chunk.heading,
        "heading_path": "\x1f".join(chunk.heading_path),
        "title": meta.title,
        "service": meta.service or "",
        "department": meta.department or "",
        "language": meta.language,
        "source_url": meta.source_url or "",
        "effective_date": meta.effective_date.isoformat() if meta.effective_date else "",
    }


def collection_names(client: ClientAPI) -> list[str]:
    """Names of every collection the client sees."""
    return [
        collection if isinstance(collection, str) else collection.name
        for collection in client.list_collections()
    ]
