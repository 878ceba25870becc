"""Compiled trees answer as LightGBM does, or are not used."""

from __future__ import annotations

import logging

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from creatormatch.models import (
    CONVERSION_PARAMS,
    BoosterParams,
    ConversionModel,
    compiled_trees,
    probe_rows,
)


def _campaigns(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rates that follow two fits and a price, with gaps where a creator's data is unknown."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {"content_similarity": rng.random(n), "country_fit": rng.random(n),
         "price_per_post": rng.lognormal(6, 1, n), "followers": rng.integers(1e3, 1e6, n) * 1.0}
    )  # fmt: skip
    X.loc[rng.random(n) < 0.1, "country_fit"] = np.nan
    impressions = rng.integers(1_000, 50_000, n).astype(float)
    rate = 0.0005 + 0.003 * X["content_similarity"] + 0.002 * X["country_fit"].fillna(0.3)
    return X, rng.poisson(rate.to_numpy() * impressions), impressions


def test_compiled_rates_equal_lightgbms_on_unseen_rows_with_gaps() -> None:
    X, conversions, impressions = _campaigns(3_000, seed=0)
    model = ConversionModel(params=CONVERSION_PARAMS).fit(X, conversions, impressions)
    unseen, _, _ = _campaigns(2_000, seed=1)
    unseen.iloc[::7, 2] = np.nan  # prices unknown too
    plain = model.rate(unseen)
    assert model.compile()
    compiled = model.rate(unseen)
    np.testing.assert_allclose(compiled, plain, rtol=1e-12, atol=0)
    assert not np.array_equal(compiled, np.full_like(compiled, compiled[0]))  # not a constant


def test_refitting_drops_the_compiled_trees_of_the_old_model() -> None:
    X, conversions, impressions = _campaigns(2_000, seed=2)
    params = BoosterParams(objective="poisson", n_estimators=40, num_leaves=7, num_threads=1)
    model = ConversionModel(params=params).fit(X, conversions, impressions)
    assert model.compile()
    booster = model.booster_
    booster.fit(X, conversions * 2, init_score=np.log(impressions) + model.base_log_rate_)
    assert booster.compiled_ is None
    refit = booster.booster_.predict(X.to_numpy(dtype=np.float64), raw_score=True)
    np.testing.assert_allclose(booster.predict_raw(X), refit, rtol=0, atol=0)


def test_a_model_the_compiler_gets_wrong_stays_with_lightgbm(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """lleaves compiles linear trees without a word and misses their scores: the probe sees it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    params = {"objective": "regression", "linear_tree": True, "verbosity": -1, "num_threads": 1}
    booster = lgb.train(params, lgb.Dataset(X, X[:, 0] + rng.normal(size=500)), 5)
    with caplog.at_level(logging.WARNING, logger="creatormatch.models"):
        assert compiled_trees(booster) is None
    assert "miss LightGBM's raw scores" in caplog.text


def test_probe_rows_cover_each_features_range_and_its_gaps() -> None:
    X, conversions, impressions = _campaigns(1_000, seed=3)
    model = ConversionModel(params=CONVERSION_PARAMS).fit(X, conversions, impressions)
    rows = probe_rows(model.booster_.booster_)
    assert rows.shape == (512, 4)
    for column, values in zip(rows.T, X.to_numpy().T, strict=True):
        seen = values[~np.isnan(values)]
        assert 0.02 < np.isnan(column).mean() < 0.1
        assert np.nanmin(column) < seen.min() and np.nanmax(column) > seen.max()
