"""Conversion model: expected conversions per impression of a (brief, creator) pair.

Poisson regression on campaign conversions with log(impressions) as offset, so the model learns a
rate and campaigns of any size weigh in by their exposure (docs/decisions/0005).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from creatormatch.core import InvalidInput
from creatormatch.models.booster import Booster, BoosterParams, Fitter, check_fitted

DEFAULT_PARAMS = BoosterParams(
    objective="poisson", n_estimators=300, learning_rate=0.03, num_leaves=15, min_child_samples=30
)
# Pair columns whose effect has a known sign: a better fit with the brief never lowers the
# expected rate, a larger fraud risk never raises it, all else equal. LightGBM holds every tree
# to these, so no set of outcome rows, made up or not, can teach the model that being off the
# brief's topic or its audience pays (docs/decisions/0018).
MONOTONE: dict[str, int] = {
    "content_similarity": 1, "country_fit": 1, "age_fit": 1, "gender_fit": 1,
    "interest_fit": 1, "language_match": 1, "country_match": 1, "niche_match": 1,
    "fraud_probability": -1, "audience_fake_share": -1,
}  # fmt: skip


@dataclass(frozen=True)
class ConversionEstimate:
    per_1k_impressions: float
    conversions: float
    low: float
    high: float


def estimates_at(
    rate: npt.NDArray[np.float64], impressions: npt.NDArray[np.float64], *, coverage: float = 0.8
) -> list[ConversionEstimate]:
    """Expected conversions at `rate` (per impression) for `impressions`, with a Poisson
    interval of `coverage`."""
    expected = rate * impressions
    tail = (1 - coverage) / 2
    low, high = _poisson_quantile(tail, expected), _poisson_quantile(1 - tail, expected)
    return [
        ConversionEstimate(float(r * 1000), float(e), float(lo), float(hi))
        for r, e, lo, hi in zip(rate, expected, low, high, strict=True)
    ]


def _poisson_quantile(q: float, mean: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """scipy.stats.poisson.ppf(q, mean) for 0 < q < 1, NaN where mean is negative or NaN: its
    own special functions without the distribution's argument handling, which took as long as
    they do (20 means: 121 µs a call, 68 µs here)."""
    upper = np.ceil(special.pdtrik(q, mean))  # NaN for a negative or NaN mean
    lower = np.maximum(upper - 1, 0)
    return np.where(special.pdtr(lower, mean) >= q, lower, upper)


class ConversionModel:
    def __init__(
        self,
        *,
        params: BoosterParams = DEFAULT_PARAMS,
        monotone: Mapping[str, int] = MONOTONE,
        fitter: Fitter | None = None,
    ) -> None:
        self.params = params
        self.monotone = monotone
        self.fitter = fitter

    def fit(
        self,
        X: pd.DataFrame,
        conversions: npt.ArrayLike,
        impressions: npt.ArrayLike,
        *,
        sample_weight: npt.ArrayLike | None = None,
    ) -> Self:
        """`sample_weight` (n,) in [0, 1] down-weights rows the caller does not trust
        (training/outcome_weights.py); the pooled starting rate is weighted the same way."""
        exposure = np.asarray(impressions, dtype=np.float64)
        counts = np.asarray(conversions, dtype=np.float64)
        weight = np.ones_like(exposure)
        if sample_weight is not None:
            weight = np.asarray(sample_weight, dtype=np.float64)
        if (exposure <= 0).any():
            raise InvalidInput("every campaign row needs impressions > 0 to be an exposure")
        if weight.shape != exposure.shape or not np.isfinite(weight).all() or (weight < 0).any():
            raise InvalidInput(
                f"expected {exposure.shape[0]} finite sample weights >= 0, got shape {weight.shape}"
            )
        if not weight @ exposure > 0:
            raise InvalidInput("expected some sample weight on rows with impressions, got none")
        # Start from the pooled rate: the trees then model deviations from it instead of
        # spending their first hundred rounds walking down to log(0.001).
        pooled = max(float(weight @ counts), 0.5) / float(weight @ exposure)
        self.base_log_rate_ = float(np.log(pooled))
        constraints = {"monotone_constraints": [self.monotone.get(c, 0) for c in X.columns]}
        params = replace(self.params, extra={**self.params.extra, **constraints})
        self.booster_ = Booster(params=params, fitter=self.fitter).fit(
            X,
            counts,
            sample_weight=None if sample_weight is None else weight,
            init_score=np.log(exposure) + self.base_log_rate_,
        )
        return self

    def rate(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Expected conversions per impression, shape (n,)."""
        check_fitted(self)
        return np.exp(self.booster_.predict_raw(X) + self.base_log_rate_)

    def compile(self) -> bool:
        """Rates from compiled trees from now on (`Booster.compile`): a server asks for hundreds
        on every shortlist."""
        check_fitted(self)
        return self.booster_.compile()

    def estimate(
        self, X: pd.DataFrame, impressions: npt.NDArray[np.float64], *, coverage: float = 0.8
    ) -> list[ConversionEstimate]:
        """Expected conversions for the given impressions, with a Poisson interval."""
        return estimates_at(self.rate(X), impressions, coverage=coverage)

    @property
    def feature_names_in_(self) -> list[str]:
        return self.booster_.feature_names_in_

    def save(self, directory: Path, *, metadata: dict[str, Any]) -> dict[str, Any]:
        check_fitted(self)
        return self.booster_.save(
            directory,
            extra={
                "params": asdict(self.params),
                "monotone": dict(self.monotone),
                "base_log_rate": self.base_log_rate_,
            },
            metadata={"model": "conversion", **metadata},
        )

    @classmethod
    def load(cls, directory: Path) -> tuple[Self, dict[str, Any]]:
        booster, extra, manifest = Booster.load(directory, kind="conversion")
        # Models saved before the constraints existed were fitted without them.
        model = cls(params=BoosterParams(**extra["params"]), monotone=extra.get("monotone", {}))
        model.booster_ = booster
        model.base_log_rate_ = float(extra["base_log_rate"])
        return model, manifest
