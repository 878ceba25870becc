"""TreeSHAP shared between rows with the same paths equals LightGBM's own `pred_contrib`."""

import lightgbm as lgb
import numpy as np
import pytest

from creatormatch.core import InvalidInput
from creatormatch.models import TreeExplainer


def _data(seed: int, n: int = 3_000) -> tuple[np.ndarray, np.ndarray]:
    """Features with NaN, exact zeros, ties and huge values; a label several of them decide."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    X[rng.random((n, 6)) < 0.15] = np.nan
    X[:, 2] = np.where(rng.random(n) < 0.3, 0.0, X[:, 2])
    X[:, 3] = rng.integers(0, 4, n)  # few distinct values: many ties at a threshold
    X[:5, 4] = [1e300, -1e300, 1e-40, -1e-40, 0.0]
    y = (np.nan_to_num(X[:, 0]) + X[:, 3] / 2 + (X[:, 2] == 0) > 1).astype(int)
    return X, y


@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_contributions_equal_pred_contrib_for_every_row(zero_as_missing: bool) -> None:
    X, y = _data(0)
    params = {"objective": "binary", "num_leaves": 15, "verbosity": -1, "seed": 0,
              "zero_as_missing": zero_as_missing}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(X, y), num_boost_round=60)
    X_new, _ = _data(1, n=2_000)
    expected = booster.predict(X_new, pred_contrib=True)
    got = TreeExplainer(booster).contributions(X_new)
    assert got.shape == expected.shape == (2_000, 7)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    # Contributions add up to the raw score, as TreeSHAP's do.
    np.testing.assert_allclose(got.sum(axis=1), booster.predict(X_new, raw_score=True), atol=1e-9)


def test_a_model_with_categorical_splits_is_refused_not_approximated() -> None:
    X, y = _data(0)
    X[:, 3] = np.nan_to_num(X[:, 3])
    data = lgb.Dataset(X, y, categorical_feature=[3])
    booster = lgb.train({"objective": "binary", "verbosity": -1}, data, num_boost_round=20)
    with pytest.raises(ValueError, match="numerical splits only"):
        TreeExplainer(booster)


def test_rows_of_the_wrong_width_are_refused_with_both_shapes() -> None:
    X, y = _data(0, n=500)
    booster = lgb.train({"objective": "binary", "verbosity": -1}, lgb.Dataset(X, y), 5)
    with pytest.raises(InvalidInput, match=r"expected \(n, 6\) features, got \(n, 5\)"):
        TreeExplainer(booster).contributions(X[:, :5])
    assert TreeExplainer(booster).contributions(X[:0]).shape == (0, 7)
