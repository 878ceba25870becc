"""Sample weights for campaign outcomes: no row, creator or campaign can pull the conversion model
beyond a bound, however it was made up (docs/decisions/0018).

1. Rate outliers. Each row's conversions are compared with what a model fitted on the other folds
   expects for that (brief, creator) pair: the creator's other rows and similar creators. A row
   more than RATIO_LIMIT times above it, and further than Poisson noise goes (P(Y >= y) <
   P_LIMIT), keeps weight (RATIO_LIMIT / ratio)²: it still says "this pair converts well", never
   ten times over.
2. Caps. In a Poisson fit with an exposure offset a row pulls in proportion to its impressions,
   so a creator's weighted impressions are capped at CREATOR_SHARE of all, a campaign's at
   CAMPAIGN_SHARE (never below twice the average share, which small data sets would make
   unreachable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy.stats import poisson

from creatormatch.models import CONVERSION_PARAMS, BoosterParams, ConversionModel
from creatormatch.training.conversion import ConversionData

Floats = npt.NDArray[np.float64]
RATIO_LIMIT = 3.0
P_LIMIT = 1e-3
CREATOR_SHARE = 0.05
CAMPAIGN_SHARE = 0.10
FOLDS = 5


@dataclass(frozen=True)
class WeightReport:
    outliers: int  # rows down-weighted as far from their cross-fitted expectation
    capped_creators: int
    capped_campaigns: int
    effective_rows: float  # sum of the weights
    # How the counts are named: the conversion model's here, the reach model's in reach_weights.
    prefix: str = "outcome_weights"
    outlier_kind: str = "rate_outliers"

    def counts(self) -> dict[str, float]:
        return {
            f"{self.prefix}.{self.outlier_kind}": float(self.outliers),
            f"{self.prefix}.capped_creators": float(self.capped_creators),
            f"{self.prefix}.capped_campaigns": float(self.capped_campaigns),
            f"{self.prefix}.effective_rows": self.effective_rows,
        }

    def summary(self) -> str:
        return (
            f"{self.outliers} {self.outlier_kind.replace('_', ' ')} down-weighted, "
            f"{self.capped_creators} creators and {self.capped_campaigns} campaigns capped"
        )


# One thread: a few thousand rows gain nothing from more, and on a busy machine LightGBM's
# threads wait on each other (a 600-row fit took 5-18 s with two threads, 0.2 s with one).
CROSS_FIT_PARAMS = replace(CONVERSION_PARAMS, num_threads=1)


def out_of_fold(
    n: int, fit_predict: Callable[[npt.NDArray[np.bool_]], Floats], *, seed: int
) -> Floats:
    """(n,) `fit_predict(held)` for each of FOLDS random folds: a model fitted on the rows not
    `held`, predicting the `held` ones, so no row is judged by a model that saw it."""
    folds = np.random.default_rng(seed).permutation(n) % FOLDS
    expected = np.empty(n)
    for fold in range(FOLDS):
        held = folds == fold
        expected[held] = fit_predict(held)
    return expected


def cross_fitted_counts(
    data: ConversionData, *, params: BoosterParams = CROSS_FIT_PARAMS, seed: int = 0
) -> Floats:
    """(n,) expected conversions of each row from a model that never saw the row's fold."""

    def fit_predict(held: npt.NDArray[np.bool_]) -> Floats:
        model = ConversionModel(params=params).fit(
            data.X[~held], data.conversions[~held], data.impressions[~held]
        )
        return model.rate(data.X[held]) * data.impressions[held]

    return out_of_fold(len(data.conversions), fit_predict, seed=seed)


def outlier_weights(conversions: Floats, expected: Floats) -> Floats:
    """(n,) weight 1, or (RATIO_LIMIT / ratio)² for a row far and significantly above
    `expected`."""
    ratio = (conversions + 0.5) / (expected + 0.5)
    surprising = poisson.sf(conversions - 1, expected) < P_LIMIT  # P(Y >= y)
    far = surprising & (ratio > RATIO_LIMIT)
    return np.where(far, (RATIO_LIMIT / np.maximum(ratio, RATIO_LIMIT)) ** 2, 1.0)


def _capped_scale(mass: Floats, bound: float) -> Floats:
    """(groups,) factors that bring every group's share of `mass` to at most `bound`, leaving
    the others as they are: the capped groups end exactly at the bound of the new total."""
    capped = np.zeros(len(mass), dtype=bool)
    total = float(mass.sum())
    while True:
        # With k groups at the bound, the total is the free mass / (1 - k * bound).
        total = float(mass[~capped].sum()) / (1.0 - capped.sum() * bound)
        over = ~capped & (mass > bound * total)
        if not over.any():
            break
        capped |= over
    return np.where(capped, bound * total / np.maximum(mass, 1e-300), 1.0)


def cap_shares(
    weights: Floats, impressions: Floats, groupings: Sequence[tuple[npt.NDArray[np.str_], float]]
) -> tuple[Floats, list[int]]:
    """Scale weights until, in every (groups, share) of `groupings`, each group's share of the
    weighted impressions is at most `share` (or twice the average share, if larger). Returns the
    weights and, per grouping, how many groups were capped."""
    coded = [np.unique(groups, return_inverse=True)[1] for groups, _ in groupings]
    sizes = [int(codes.max()) + 1 for codes in coded]
    bounds = [max(share, 2.0 / size) for size, (_, share) in zip(sizes, groupings, strict=True)]
    capped = [np.zeros(size, dtype=bool) for size in sizes]
    for _ in range(50):  # capping by campaign can lift a creator's share again: alternate
        settled = True
        for codes, bound, hit in zip(coded, bounds, capped, strict=True):
            mass = np.bincount(codes, weights * impressions).astype(np.float64)
            if (mass > bound * mass.sum() * (1 + 1e-6)).any():
                settled = False
                scale = _capped_scale(mass, bound)
                hit |= scale < 1.0
                weights = weights * scale[codes]
        if settled:
            break
    return weights, [int(hit.sum()) for hit in capped]


def outcome_weights(data: ConversionData, *, seed: int = 0) -> tuple[Floats, WeightReport]:
    """(n,) sample weights for the rows of `data`."""
    expected = cross_fitted_counts(data, seed=seed)
    weights = outlier_weights(data.conversions, expected)
    outliers = int((weights < 1.0).sum())
    groupings = [(data.creator_ids, CREATOR_SHARE), (data.campaigns, CAMPAIGN_SHARE)]
    weights, (by_creator, by_campaign) = cap_shares(weights, data.impressions, groupings)
    report = WeightReport(outliers, by_creator, by_campaign, float(weights.sum()))
    return weights, report
