"""The knowledge base a run of scenarios shares: built once from the sample documents.

Scenarios only read from it, so one copy serves every scenario of a run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tools.settings import Settings

logger = logging.getLogger(__name__)


class KnowledgeUnavailable(RuntimeError):
    """The knowledge base cannot be built here; the message says why."""


def build_shared_knowledge(settings: Settings, folder: Path) -> Any:
    """A knowledge base in `folder` loaded with the configured sample documents.

    Raises:
        KnowledgeUnavailable: the knowledge package is missing or loading failed.
    """
    try:
        from knowledge.base import KnowledgeBase
    except ImportError as error:
        raise KnowledgeUnavailable(f"the knowledge package cannot be imported: {error}") from None

    kb_settings = settings.model_copy(
        update={"data_dir": folder, "kb_dir": folder / "kb", "kb_chroma_host": None}
    )
    try:
        kb = KnowledgeBase.open(kb_settings)
        report = kb.add_paths([settings.kb_sample_dir])
    except Exception as error:  # any failure here means: run without a knowledge base
        raise KnowledgeUnavailable(f"building the knowledge base failed: {error}") from error
    failed = [o for o in report.outcomes if getattr(o, "status", None) == "failed"]
    if failed:
        logger.warning("knowledge base: %d sample documents failed to load", len(failed))
    return kb
