"""Reciprocal rank fusion: one ranking from several, using ranks only, never raw scores.

BM25 scores and cosine similarities live on different scales; ranks do not. Each list adds
`weight / (k + rank)` for every id it holds (Cormack et al., 2009; k = 60 is their value).
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> list[tuple[str, float]]:
    """(id, fused score) for every id in any ranking, best first; ties keep first-seen order."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
