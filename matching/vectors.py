"""The joint vector space of creators and briefs: `[w_text · content, w_aud · audience]`.

Each part is L2-normalised (here, and nowhere else) and then weighted, so the inner product of a
creator with a brief is `w_text² · cos(text) + w_aud² · cos(audience)`: one inner-product FAISS
search scores content and audience fit together.

Unknown audiences. A zero audience part would score `cos(audience) = 0`, and since audience
shares are never negative, every known audience has `cos ≥ 0`: creators without audience data
would rank below every creator with any. Scaling their text part up instead would favour them
for briefs without an audience target, where nobody's audience counts. So an unknown creator
audience is replaced by the neutral prior (uniform shares in every block,
`features.audience.neutral_audience`): it adds nothing when the brief has no target, and against
a target it scores like an audience spread evenly: below a matching audience, above a mismatching
one. A brief without targets gets a zero audience part, which leaves the score to the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatormatch.features import AUDIENCE_DIM, neutral_audience

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VectorWeights:
    """Weights of the parts; the score is `w_text² · cos_text + w_aud² · cos_aud` (0.75 / 0.25)."""

    w_text: float = math.sqrt(0.75)
    w_aud: float = 0.5

    def __post_init__(self) -> None:
        if self.w_text < 0 or self.w_aud < 0 or self.w_text + self.w_aud == 0:
            raise ValueError(
                f"expected non-negative weights, not both zero, got {self.w_text}, {self.w_aud}"
            )


def _unit_rows(x: npt.NDArray[np.floating]) -> Vectors:
    """(n, d) float32 rows scaled to unit L2 norm; all-zero rows stay zero."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0).astype(np.float32)


def _check(name: str, x: npt.NDArray[np.floating], n: int | None, d: int | None) -> None:
    shape = f"({'n' if n is None else n}, {'d' if d is None else d})"
    if x.ndim != 2 or (n is not None and x.shape[0] != n) or (d is not None and x.shape[1] != d):
        raise ValueError(f"expected {name} of shape {shape}, got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"expected finite {name}, got NaN or infinite values")


def _combine(content: Vectors, audience: Vectors, weights: VectorWeights) -> Vectors:
    """(n, d + A) float32: both parts unit-normalised, then weighted."""
    return np.hstack(
        [weights.w_text * _unit_rows(content), weights.w_aud * _unit_rows(audience)]
    ).astype(np.float32)


def joint_vectors(
    content: Vectors,
    audience: Vectors,
    audience_known: npt.NDArray[np.bool_],
    *,
    weights: VectorWeights = VectorWeights(),
) -> Vectors:
    """(n, d + AUDIENCE_DIM) float32 creator vectors from content (n, d) and audience (n, A)."""
    _check("content", content, None, None)
    n = content.shape[0]
    _check("audience", audience, n, AUDIENCE_DIM)
    if audience_known.shape != (n,):
        raise ValueError(f"expected audience_known of shape ({n},), got {audience_known.shape}")
    audience = np.where(audience_known[:, None], audience, neutral_audience()[None, :])
    return _combine(content.astype(np.float32), audience.astype(np.float32), weights)


def query_vector(
    content: Vectors,
    target: Vectors,
    target_known: bool,
    *,
    weights: VectorWeights = VectorWeights(),
) -> Vectors:
    """(d + AUDIENCE_DIM,) float32 brief vector from its text (d,) and target audience (A,)."""
    if content.ndim != 1 or target.ndim != 1:
        raise ValueError(f"expected 1-d content and target, got {content.shape}, {target.shape}")
    _check("content", content[None, :], 1, None)
    _check("target", target[None, :], 1, AUDIENCE_DIM)
    audience = target if target_known else np.zeros_like(target)
    return _combine(content[None, :], audience[None, :], weights)[0]
