"""Reach model: how many impressions a creator's sponsored post gets, per follower.

A budgeted shortlist values a creator at rate × impressions ÷ price, so a reach that is wrong by
tier is wrong by the same factor in value per dollar. Sponsored reach is not organic reach:
a sponsored post of a large account reaches a smaller share of its followers than a nano
creator's does. The campaign outcomes measure it, so it is learned from them
(docs/decisions/0010).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.models.booster import Booster, BoosterParams, check_fitted

Floats = npt.NDArray[np.float64]
DEFAULT_PARAMS = BoosterParams(
    objective="regression", n_estimators=150, learning_rate=0.05, num_leaves=7,
    min_child_samples=40,
)  # fmt: skip
# Organic reach when nothing better is known: the middle of the range public benchmarks report
# (docs/world.md).
ORGANIC_REACH = 0.12


def reach_frame(features: pd.DataFrame) -> pd.DataFrame:
    """What reach is predicted from: size, the share of followers who watch, engagement."""
    followers = features["followers"].to_numpy(dtype=np.float64)
    views = features["median_views"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        view_share = np.where(followers > 0, views / followers, np.nan)
    return pd.DataFrame(
        {
            "log_followers": np.log1p(np.nan_to_num(followers)),
            "log_view_share": np.log(np.clip(view_share, 1e-4, None)),
            "engagement_rate": features["engagement_rate"].to_numpy(dtype=np.float64),
        },
        index=features.index,
    )


def rule_of_thumb(features: pd.DataFrame) -> Floats:
    """Impressions without a reach model: the median organic views, else a benchmark share."""
    views = features["median_views"].to_numpy(dtype=np.float64)
    reach = features["followers"].to_numpy(dtype=np.float64) * ORGANIC_REACH
    return np.where(np.isnan(views), np.nan_to_num(reach), views)


class ReachModel:
    """Regression of log(impressions / followers) on `reach_frame`, with smearing back to a mean."""

    def __init__(self, *, params: BoosterParams = DEFAULT_PARAMS) -> None:
        self.params = params

    def fit(
        self,
        features: pd.DataFrame,
        impressions: npt.ArrayLike,
        *,
        sample_weight: npt.ArrayLike | None = None,
    ) -> Self:
        """`sample_weight` (n,) in [0, 1] down-weights rows the caller does not trust
        (training/reach_weights.py)."""
        followers = features["followers"].to_numpy(dtype=np.float64)
        seen = np.asarray(impressions, dtype=np.float64)
        weight = np.ones(len(seen)) if sample_weight is None else np.asarray(sample_weight, float)
        usable = (followers > 0) & (seen > 0) & (weight > 0)
        if usable.sum() < 2:
            raise InvalidInput("need outcomes with followers > 0 and impressions > 0 for reach")
        X = reach_frame(features[usable])
        target = np.log(seen[usable] / followers[usable])
        weight = weight[usable]
        self.booster_ = Booster(params=self.params).fit(
            X, target, sample_weight=None if sample_weight is None else weight
        )
        residuals = target - self.booster_.predict_raw(X)
        # exp(E[log reach]) underestimates E[reach]; Duan's smearing factor restores the mean.
        self.smearing_ = float(np.average(np.exp(residuals), weights=weight))
        return self

    def impressions(self, features: pd.DataFrame) -> Floats:
        """Expected impressions of one sponsored post, shape (n,)."""
        check_fitted(self)
        followers = np.nan_to_num(features["followers"].to_numpy(dtype=np.float64))
        if not len(features):  # LightGBM refuses an empty frame
            return followers
        share = np.exp(self.booster_.predict_raw(reach_frame(features))) * self.smearing_
        return followers * share

    def save(self, directory: Path, *, metadata: dict[str, Any]) -> dict[str, Any]:
        check_fitted(self)
        return self.booster_.save(
            directory,
            extra={"params": asdict(self.params), "smearing": self.smearing_},
            metadata={"model": "reach", **metadata},
        )

    @classmethod
    def load(cls, directory: Path) -> tuple[Self, dict[str, Any]]:
        booster, extra, manifest = Booster.load(directory, kind="reach")
        model = cls(params=BoosterParams(**extra["params"]))
        model.booster_ = booster
        model.smearing_ = float(extra["smearing"])
        return model, manifest
