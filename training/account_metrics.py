"""Account-model metrics with stratified bootstrap intervals, and the three-rule heuristic they
are compared with. Plain numpy (as scikit-learn computes them) so that 1,000 resamples per table
row stay fast. See docs/decisions/0003-account-model-data.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Scores = npt.NDArray[np.float64]
METRICS = ("roc_auc", "pr_auc", "mcc", "recall_at_5fpr", "ece")


def heuristic_scores(frame: pd.DataFrame) -> Scores:
    """Rules fired (0-3): following > 2 × followers, fewer than 5 posts, no profile picture.
    A rule whose field is missing does not fire."""
    ratio = frame["following"] > 2 * frame["followers"]
    few_posts = frame["posts"] < 5
    no_picture = frame.get("has_profile_pic", pd.Series(np.nan, index=frame.index)) == 0
    fired = ratio.astype(float) + few_posts.astype(float) + no_picture.astype(float)
    return np.asarray(fired, dtype=np.float64)


def _curve(y: npt.NDArray[np.bool_], scores: Scores) -> tuple[Scores, Scores]:
    """(false positives, true positives) flagged at each distinct threshold, highest first."""
    order = np.argsort(-scores, kind="stable")
    s, hits = scores[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]  # last index of each distinct score
    tps = np.cumsum(hits)[last].astype(np.float64)
    return (last + 1) - tps, tps


def account_metrics(
    y: npt.NDArray[np.bool_], scores: Scores, cut: float, *, calibrated: bool
) -> Scores:
    """(len(METRICS),): ROC-AUC, PR-AUC (average precision), MCC of `scores >= cut`, recall at
    5 % false-positive rate, expected calibration error over 10 bins (NaN unless `calibrated`).
    Plain numpy (as scikit-learn computes them) so that 1,000 resamples stay fast."""
    fps, tps = _curve(y, scores)
    n_pos, n_neg = tps[-1], fps[-1]
    fpr, tpr = np.r_[0.0, fps / n_neg], np.r_[0.0, tps / n_pos]
    roc_auc = float(np.trapezoid(tpr, fpr))
    pr_auc = float(np.sum(np.diff(np.r_[0.0, tps / n_pos]) * tps / (tps + fps)))
    flagged = scores >= cut
    tp, fp = float((flagged & y).sum()), float((flagged & ~y).sum())
    fn, tn = n_pos - tp, n_neg - fp
    denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    mcc = (tp * tn - fp * fn) / denominator if denominator > 0 else 0.0
    recall = float(np.interp(0.05, fpr, tpr))
    return np.array([roc_auc, pr_auc, mcc, recall, _ece(y, scores) if calibrated else np.nan])


def _ece(y: npt.NDArray[np.bool_], probabilities: Scores, bins: int = 10) -> float:
    which = np.minimum((probabilities * bins).astype(int), bins - 1)  # (n,)
    count = np.bincount(which, minlength=bins)
    gap = np.bincount(which, probabilities, bins) - np.bincount(which, y.astype(float), bins)
    return float(np.abs(gap).sum() / count.sum())


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def text(self) -> str:
        if not np.isfinite(self.value):
            return "—"
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def bootstrap(
    y: npt.NDArray[np.bool_],
    score: Callable[[npt.NDArray[np.intp]], Scores],
    *,
    rate: float | None,
    n: int,
    seed: int,
) -> list[Estimate]:
    """Stratified bootstrap of `score(rows)`. With `rate`, every resample draws its fakes so they
    make up `rate` of it, and the point value is the median over resamples."""
    rng = np.random.default_rng(seed)
    fakes, reals = np.flatnonzero(y), np.flatnonzero(~y)
    n_fakes = len(fakes) if rate is None else round(len(reals) * rate / (1 - rate))
    draws = np.array(
        [
            score(np.concatenate([rng.choice(fakes, n_fakes), rng.choice(reals, len(reals))]))
            for _ in range(n)
        ]
    )  # (n, len(METRICS))
    whole = score(np.arange(len(y))) if rate is None else np.median(draws, axis=0)
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    return [
        Estimate(float(v), float(a), float(b)) for v, a, b in zip(whole, low, high, strict=True)
    ]
