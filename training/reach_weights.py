"""Sample weights for the reach model: a made-up outcome row cannot move predicted impressions
beyond a bound, as `outcome_weights.py` bounds the conversion model (docs/decisions/0018).

1. Reach outliers. Each row's impressions are compared with what a reach model fitted on the
   other folds expects for its creator. A row more than RATIO_LIMIT times above or below it
   keeps weight (RATIO_LIMIT / ratio)²: a nano creator filed with a mega creator's impressions
   still counts, but thirty times off counts a hundredth.
2. Caps. The target is a log share, so every row pulls about equally: each creator's weighted
   rows are capped at CREATOR_SHARE of all, each campaign's at CAMPAIGN_SHARE.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from creatormatch.models import REACH_PARAMS, BoosterParams, ReachModel
from creatormatch.training.conversion import ConversionData
from creatormatch.training.outcome_weights import (
    CAMPAIGN_SHARE,
    CREATOR_SHARE,
    RATIO_LIMIT,
    WeightReport,
    cap_shares,
    out_of_fold,
)

Floats = npt.NDArray[np.float64]
# One thread, as for the conversion cross-fit: small fits only wait on a busy machine.
CROSS_FIT_PARAMS = replace(REACH_PARAMS, num_threads=1)


def cross_fitted_impressions(
    data: ConversionData, *, params: BoosterParams = CROSS_FIT_PARAMS, seed: int = 0
) -> Floats:
    """(n,) expected impressions of each row from a reach model that never saw the row's fold."""

    def fit_predict(held: npt.NDArray[np.bool_]) -> Floats:
        model = ReachModel(params=params).fit(data.creators[~held], data.impressions[~held])
        return model.impressions(data.creators[held])

    return out_of_fold(len(data.impressions), fit_predict, seed=seed)


def reach_outlier_weights(impressions: Floats, expected: Floats) -> Floats:
    """(n,) weight 1, or (RATIO_LIMIT / ratio)² for a row more than RATIO_LIMIT times above or
    below `expected` (ratio taken the far way round)."""
    log_ratio = np.abs(np.log(np.maximum(impressions, 1.0)) - np.log(np.maximum(expected, 1.0)))
    return np.minimum(1.0, (RATIO_LIMIT / np.exp(log_ratio)) ** 2)


def reach_weights(data: ConversionData, *, seed: int = 0) -> tuple[Floats, WeightReport]:
    """(n,) sample weights for the reach model on the rows of `data`."""
    weights = reach_outlier_weights(data.impressions, cross_fitted_impressions(data, seed=seed))
    outliers = int((weights < 1.0).sum())
    groupings = [(data.creator_ids, CREATOR_SHARE), (data.campaigns, CAMPAIGN_SHARE)]
    weights, (by_creator, by_campaign) = cap_shares(weights, np.ones(len(weights)), groupings)
    report = WeightReport(
        outliers, by_creator, by_campaign, float(weights.sum()),
        prefix="reach_weights", outlier_kind="reach_outliers",
    )  # fmt: skip
    return weights, report
