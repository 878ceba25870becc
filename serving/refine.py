"""More or fewer like this: a brief's shortlist ranked again around creators the marketer marked.

Rocchio relevance feedback (Rocchio 1971; Manning, Raghavan and Schütze, *Introduction to
Information Retrieval*, ch. 9): the brief's (dim,) text vector moves toward the mean content
vector of the creators marked "more like this" and away from those marked "fewer like this",

    q' = α·q + β·mean(more) − γ·mean(fewer),  normalised,

with the textbook weights α = 1, β = 0.75, γ = 0.15, taken as they are, not tuned here. A
creator marked "fewer like this" also leaves the list. The audience targets and filters of the
brief are kept; the on-topic gate judges against the moved query.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from creatormatch.core import NotFound
from creatormatch.features import Brief, brief_vectors
from creatormatch.matching import Bundle, Shortlist, creator_vectors, shortlist

ALPHA, BETA, GAMMA = 1.0, 0.75, 0.15


def moved_query(
    text: npt.NDArray[np.float32],
    more: npt.NDArray[np.float32],
    fewer: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """The (dim,) unit query; `more` (m, dim) and `fewer` (f, dim) are unit content rows."""
    (dim,) = text.shape
    if more.shape[1:] != (dim,) or fewer.shape[1:] != (dim,):
        raise ValueError(f"expected (n, {dim}) feedback rows, got {more.shape} and {fewer.shape}")
    moved = ALPHA * text.astype(np.float64)
    if len(more):
        moved += BETA * more.mean(axis=0)
    if len(fewer):
        moved -= GAMMA * fewer.mean(axis=0)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def _vectors(bundle: Bundle, ids: list[str]) -> npt.NDArray[np.float32]:
    dimension = bundle.embedder.dimension
    if not ids:
        return np.zeros((0, dimension), dtype=np.float32)
    content, _, _ = creator_vectors(bundle.catalog, ids, dimension=dimension)
    return content


def without(brief: Brief, fewer: list[str]) -> Brief:
    """The brief with the creators marked "fewer like this" excluded."""
    return brief.model_copy(update={"exclude": sorted({*brief.exclude, *fewer})})


def refine(bundle: Bundle, brief: Brief, more: list[str], fewer: list[str]) -> Shortlist:
    known = bundle.catalog.stored_hashes([*more, *fewer])
    missing = [c for c in (*more, *fewer) if c not in known]
    if missing:
        raise NotFound(f"no creator {', '.join(map(repr, missing[:5]))} in the catalog")
    text = brief_vectors(bundle.embedder, [brief.text])[0]  # (dim,)
    query = moved_query(text, _vectors(bundle, more), _vectors(bundle, fewer))
    return shortlist(bundle, without(brief, fewer), text=query)
