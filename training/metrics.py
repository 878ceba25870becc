"""Ranking metrics shared by every evaluation: one nDCG, for graded and for binary gains."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def ndcg_at_k(ranked_gains: npt.ArrayLike, ideal_gains: npt.ArrayLike, *, k: int) -> float:
    """nDCG@k of a ranking; NaN when the ideal DCG is 0 (nothing worth ranking).

    `ranked_gains` are the gains of the ranked items in their order; `ideal_gains` those of every
    item the ranking could have placed, of which the best k make the ideal.
    """
    ranked = np.asarray(ranked_gains, dtype=np.float64)[:k]  # (≤ k,)
    ideal = np.sort(np.asarray(ideal_gains, dtype=np.float64))[::-1][:k]  # (≤ k,)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))  # (k,)
    best = float(ideal @ discounts[: ideal.size])
    return float(ranked @ discounts[: ranked.size]) / best if best > 0 else float("nan")
