"""Shortlist assembly: score candidates, diversify, fit the budget; on-topic creators first.

Relevance comes before value: creators on the brief's topic are ranked (by fit, or value per
dollar under a budget) and listed first; off-topic ones only fill the slots left, best topical
match first, whatever their predicted conversions (docs/decisions/0016).

Pure functions over arrays; the service layer gathers the candidates and explains the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MMR_LAMBDA = 0.8
BUDGET_POOL = 10
# Log-odds of being on topic from which a creator counts as fitting the brief (P = 0.5).
ON_TOPIC = 0.0


@dataclass(frozen=True)
class Candidates:
    """Everything assembly needs about n retrieved creators, aligned by row."""

    ids: list[str]
    fit: npt.NDArray[np.float64]  # (n,) conversions per impression, or match score
    value: npt.NDArray[np.float64]  # (n,) what one post is worth: expected conversions
    content: npt.NDArray[np.float32]  # (n, dim) unit rows, for diversity
    price: npt.NDArray[np.float64]  # (n,) NaN when unknown
    # (n,) log-odds that the creator is on the brief's topic (matching.relevance); None: all are.
    # Log-odds, not probabilities: off-topic rows are ordered by it, and a probability would
    # squash them all to ~0, leaving their order to diversity alone.
    topical: npt.NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("fit", "value", "price", *(("topical",) if self.topical is not None else ())):
            if getattr(self, name).shape != (n,):
                raise ValueError(
                    f"expected {name} of shape ({n},), got {getattr(self, name).shape}"
                )
        if self.content.ndim != 2 or self.content.shape[0] != n:
            raise ValueError(f"expected content of shape ({n}, dim), got {self.content.shape}")


def mmr_order(
    relevance: npt.NDArray[np.float64],
    content: npt.NDArray[np.float32],
    k: int,
    *,
    lam: float = MMR_LAMBDA,
) -> list[int]:
    """Maximal marginal relevance: up to k row indices, relevant and unlike each other."""
    n = relevance.shape[0]
    if n == 0:
        return []
    finite = np.isfinite(relevance)
    if not finite.any():
        return list(range(min(k, n)))
    low, spread = relevance[finite].min(), np.ptp(relevance[finite]) or 1.0
    # (n,) in [0, 1]; rows without a score (no price under a budget) come last.
    gain = np.where(finite, (relevance - low) / spread, -1.0)
    steps = min(k, n)
    # The redundancy term lies in [-(1 - lam), 1 - lam], and while fewer than `steps` rows are
    # chosen one of the `steps` highest gains is still available: a row more than
    # 2 (1 - lam) / lam below the lowest of those can never win. Skipping such rows left
    # 26-45 % of 1,000 candidates to compare (docs/decisions/0009).
    lowest = np.partition(gain, n - steps)[n - steps]
    margin = np.inf if lam <= 0 else 2 * (1 - lam) / lam + 1e-6  # + float error in cosines
    rows = np.flatnonzero(gain >= lowest - margin)
    gain, content = gain[rows], content[rows]
    closest = np.full(len(rows), -np.inf)
    chosen: list[int] = []
    available = np.ones(len(rows), dtype=bool)
    for _ in range(steps):
        redundancy = np.where(np.isfinite(closest), closest, 0.0)
        value = np.where(available, lam * gain - (1 - lam) * redundancy, -np.inf)
        pick = int(np.argmax(value))
        chosen.append(int(rows[pick]))
        available[pick] = False
        closest = np.maximum(closest, content @ content[pick])
    return chosen


def fit_budget(
    order: list[int], price: npt.NDArray[np.float64], budget: float | None
) -> tuple[list[int], int]:
    """Keep rows of `order` while their prices fit the budget; (kept rows, rows without price)."""
    if budget is None:
        return order, 0
    kept, left, unpriced = [], budget, 0
    for row in order:
        if np.isnan(price[row]):
            unpriced += 1
        elif price[row] <= left:
            kept.append(row)
            left -= price[row]
    return kept, unpriced


def ranking_score(candidates: Candidates, *, budget: float | None) -> npt.NDArray[np.float64]:
    """What the shortlist is ordered by: fit, or with a budget, value per unit of price.

    Without a budget the best fits come first whatever their size; with one, several cheap
    creators can buy more conversions than one expensive star, so value per dollar decides.
    """
    if budget is None:
        return candidates.fit
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(candidates.price > 0, candidates.value / candidates.price, np.nan)


def _ranked(
    rows: npt.NDArray[np.int64],
    score: npt.NDArray[np.float64],
    candidates: Candidates,
    *,
    k: int,
    budget: float | None,
) -> tuple[list[int], int]:
    """Up to k of `rows`, diversified and within `budget`, best score first."""
    if k <= 0 or not len(rows):
        return [], 0
    # A budget skips creators it cannot afford, so it needs a deeper diversified pool.
    depth = k if budget is None else BUDGET_POOL * k
    pool = mmr_order(score[rows], candidates.content[rows], depth)
    kept, unpriced = fit_budget([int(rows[i]) for i in pool], candidates.price, budget)
    return sorted(kept[:k], key=lambda row: -score[row]), unpriced


def assemble(
    candidates: Candidates, *, k: int, budget: float | None = None
) -> tuple[list[int], npt.NDArray[np.float64], int]:
    """(rows of the shortlist best first, the score of every candidate, rows without a price).

    On-topic rows (topical log-odds ≥ ON_TOPIC) come first, ranked by score; off-topic rows fill
    what is left of k and of the budget, ranked by topical match, never by score.
    """
    score = ranking_score(candidates, budget=budget)
    everyone = np.arange(len(candidates.ids))
    if candidates.topical is None:
        rows, unpriced = _ranked(everyone, score, candidates, k=k, budget=budget)
        return rows, score, unpriced
    on = candidates.topical >= ON_TOPIC
    first, unpriced = _ranked(everyone[on], score, candidates, k=k, budget=budget)
    left = None if budget is None else budget - float(np.nansum(candidates.price[first]))
    rest, more = _ranked(
        everyone[~on], candidates.topical, candidates, k=k - len(first), budget=left
    )
    return first + rest, score, unpriced + more
