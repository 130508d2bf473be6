"""The `search_knowledge` tool: the agent's way to answer questions from scheme documents."""

from __future__ import annotations

import logging

from pydantic import BaseModel, Field

from knowledge.base import KnowledgeBase
from knowledge.results import Citation

logger = logging.getLogger(__name__)

PASSAGES = 3


class SearchKnowledgeInput(BaseModel):
    """Arguments of `search_knowledge`."""

    query: str = Field(
        min_length=1,
        max_length=500,
        description=(
            "The citizen's question in their own words and language (Hindi, Hinglish or "
            "English). Do not translate it; documents in either language are found."
        ),
    )
    service: str | None = Field(
        default=None,
        description=(
            "Catalog service id to search within, such as birth_certificate, "
            "caste_certificate, marriage_certificate, learner_licence or property_tax. "
            "Leave empty when the question is not about one service or you are not sure."
        ),
    )


class Passage(BaseModel):
    """A passage to answer from, with where it comes from."""

    text: str
    citation: Citation
    similarity: float | None = Field(description="How close the passage is to the question.")


class SearchKnowledgeResult(BaseModel):
    """Passages to answer from, or `found=False` when the documents do not answer it."""

    found: bool = Field(description="False: say you do not know; do not guess.")
    passages: list[Passage] = Field(default_factory=list)
    citations: list[Citation] = Field(
        default_factory=list, description="Each cited section once, to name as the source."
    )
    note: str | None = Field(default=None, description="What to do when nothing was found.")


def search_knowledge(kb: KnowledgeBase, args: SearchKnowledgeInput) -> SearchKnowledgeResult:
    """Search the departments' own documents: who may apply, documents, fees, deadlines.

    They also say where to go and what happens next. Answer only from the passages returned
    and name the source (title and link). When `found` is false, tell the citizen you do not
    know and suggest the department's office or website; never guess a fee, a date or a rule.
    """
    result = kb.search(args.query, service=args.service, limit=PASSAGES)
    logger.info(
        "search_knowledge service=%s found=%s passages=%d",
        args.service,
        result.found,
        len(result.hits),
    )
    if not result.found:
        return SearchKnowledgeResult(
            found=False,
            note=(
                "No document answers this. Say so politely and suggest the department's "
                "office or website."
            ),
        )

    passages = [
        Passage(text=hit.text, citation=hit.citation, similarity=hit.similarity)
        for hit in result.hits
    ]
    citations: dict[tuple[str, str], Citation] = {}
    for passage in passages:
        citations.setdefault((passage.citation.doc_id, passage.citation.heading), passage.citation)
    return SearchKnowledgeResult(found=True, passages=passages, citations=list(citations.values()))
