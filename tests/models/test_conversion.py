from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import ArtifactError, IntegrityError, InvalidInput
from creatormatch.models import BoosterParams, ConversionModel, estimates_at

PARAMS = BoosterParams(objective="poisson", n_estimators=80, learning_rate=0.1, num_leaves=7)


def _campaigns(n: int = 4000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"fit": rng.random(n), "noise": rng.random(n)})
    impressions = rng.integers(1_000, 50_000, n).astype(float)
    rate = 0.0005 + 0.004 * X["fit"].to_numpy()  # planted: conversions follow audience fit
    return X, rng.poisson(rate * impressions), impressions


def test_learns_the_planted_rate_per_impression() -> None:
    X, conversions, impressions = _campaigns()
    model = ConversionModel(params=PARAMS).fit(X, conversions, impressions)
    probe = pd.DataFrame({"fit": [0.1, 0.9], "noise": [0.5, 0.5]})
    low, high = model.rate(probe)
    assert high / low == pytest.approx((0.0005 + 0.0036) / (0.0005 + 0.0004), rel=0.35)


def test_estimate_interval_contains_the_expectation() -> None:
    X, conversions, impressions = _campaigns()
    model = ConversionModel(params=PARAMS).fit(X, conversions, impressions)
    (estimate,) = model.estimate(X.iloc[:1], np.array([20_000.0]))
    assert estimate.low <= estimate.conversions <= estimate.high
    assert estimate.per_1k_impressions == pytest.approx(estimate.conversions / 20, rel=1e-9)


def test_save_load_gives_identical_rates_and_tampering_is_refused(tmp_path: Path) -> None:
    X, conversions, impressions = _campaigns(1000)
    model = ConversionModel(params=PARAMS).fit(X, conversions, impressions)
    model.save(tmp_path / "m", metadata={"name": "conversion"})
    loaded, manifest = ConversionModel.load(tmp_path / "m")
    assert np.array_equal(model.rate(X), loaded.rate(X)) and manifest["name"] == "conversion"
    with (tmp_path / "m" / "model.txt").open("a") as handle:
        handle.write("\n")
    with pytest.raises(IntegrityError):
        ConversionModel.load(tmp_path / "m")


def test_zero_impressions_and_wrong_columns_are_refused() -> None:
    X, conversions, impressions = _campaigns(200)
    with pytest.raises(InvalidInput, match="impressions > 0"):
        ConversionModel(params=PARAMS).fit(X, conversions, np.zeros(200))
    model = ConversionModel(params=PARAMS).fit(X, conversions, impressions)
    with pytest.raises(InvalidInput, match=r"missing \['noise'\]"):
        model.rate(X[["fit"]])


def test_a_model_of_another_kind_is_refused(tmp_path: Path) -> None:
    X, conversions, impressions = _campaigns(300)
    model = ConversionModel(params=PARAMS).fit(X, conversions, impressions)
    model.booster_.save(tmp_path / "m", extra={}, metadata={"model": "fraud"})
    with pytest.raises(ArtifactError, match="holds a 'fraud' model, not conversion"):
        ConversionModel.load(tmp_path / "m")


def test_intervals_are_scipys_poisson_quantiles_for_every_mean_nan_and_infinity_included() -> None:
    from scipy.stats import poisson

    rng = np.random.default_rng(0)
    mean = np.concatenate([
        [0.0, 1e-300, 1e-9, 0.1, 0.5, 1.0, 2.5, 1e6, 1e9, np.inf, np.nan],
        rng.exponential(5, 500), 10 ** rng.uniform(-8, 8, 500),
    ])  # fmt: skip
    for coverage in (0.8, 0.5, 0.98):
        found = estimates_at(mean, np.ones_like(mean), coverage=coverage)
        tail = (1 - coverage) / 2
        low, high = poisson.ppf(tail, mean), poisson.ppf(1 - tail, mean)
        assert np.array_equal([e.low for e in found], low, equal_nan=True)
        assert np.array_equal([e.high for e in found], high, equal_nan=True)
    negative = estimates_at(np.array([-1.0]), np.array([1.0]))[0]
    assert np.isnan(negative.low) and np.isnan(negative.high)
