"""Candidate changes to content pooling and brief embedding, measured beside the real pipeline.

`features.text.content_text` (one text per creator: bio, hashtags, captions, 1,000 characters)
belongs to the feature code; these variants are computed here from the same records, with the same
embedder, and ranked by cosine so they can be compared with it before anyone changes it:

- `post_mean`: one embedding per post (`features.text.post_texts`), mean-pooled.
- `text+posts`: the content_text embedding plus the post mean, renormalised.
- `*+prf`: the brief vector expanded by pseudo-relevance feedback (Rocchio): the mean of its
  top-m creators is added with weight beta, which pulls a wordy brief towards the creators that
  match its topic and away from incidental words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from creatormatch.features import CreatorRecord, TextEmbedder, content_text
from creatormatch.features.text import post_texts

Vectors = npt.NDArray[np.float32]
PRF_DEPTH = 10
PRF_WEIGHT = 1.0


def unit_rows(x: npt.NDArray[np.floating]) -> Vectors:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def post_mean_vectors(records: Sequence[CreatorRecord], embedder: TextEmbedder) -> Vectors:
    """(n, dim) unit mean of each creator's post embeddings (content_text when it has none)."""
    texts = [post_texts(r) or [content_text(r) or " "] for r in records]
    flat = embedder.encode([t for group in texts for t in group])  # (posts, dim)
    starts = np.cumsum([0, *(len(g) for g in texts)])
    return unit_rows(np.stack([flat[a:b].mean(axis=0) for a, b in pairwise(starts)]))


def content_vectors(records: Sequence[CreatorRecord], embedder: TextEmbedder) -> Vectors:
    """(n, dim) the pipeline's own content vectors (content_text, one embedding each)."""
    return embedder.encode([content_text(r) or " " for r in records])


def expand_queries(
    queries: Vectors, creators: Vectors, *, depth: int = PRF_DEPTH, weight: float = PRF_WEIGHT
) -> Vectors:
    """(q, dim) Rocchio: each query plus `weight` × the mean of its top-`depth` creators."""
    scores = queries @ creators.T  # (q, n)
    top = np.argsort(-scores, axis=1)[:, :depth]  # (q, depth)
    return unit_rows(queries + weight * creators[top].mean(axis=1))


def variant_vectors(
    records: Sequence[CreatorRecord], embedder: TextEmbedder
) -> dict[str, Callable[[], Vectors]]:
    """Creator vectors of each pooling variant, computed on demand (embedding is the cost)."""
    cache: dict[str, Vectors] = {}

    def text() -> Vectors:
        return cache.setdefault("text", content_vectors(records, embedder))

    def posts() -> Vectors:
        return cache.setdefault("posts", post_mean_vectors(records, embedder))

    return {
        "content_text": text,
        "post_mean": posts,
        "text+posts": lambda: unit_rows(text() + posts()),
    }


def rankings(
    creators: Vectors, queries: Vectors, ids: Sequence[str], *, k: int, prf: bool
) -> list[list[str]]:
    """Top-k ids per query by cosine, the queries first expanded when `prf`."""
    if prf:
        queries = expand_queries(queries, creators)
    order = np.argsort(-(queries @ creators.T), axis=1, kind="stable")[:, :k]  # (q, k)
    return [[ids[i] for i in row] for row in order]
