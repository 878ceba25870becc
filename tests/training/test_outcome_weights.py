"""No row, creator or campaign can pull the conversion model beyond a bound."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from creatormatch.models import CONVERSION_PARAMS, ConversionModel
from creatormatch.training import ConversionData, cap_shares, outcome_weights

ONE_THREAD = replace(CONVERSION_PARAMS, num_threads=1)  # fast on a busy machine


def _data(n: int = 600, seed: int = 0) -> ConversionData:
    """Campaign rows whose true rate follows `fit`: 60 creators, 20 campaigns."""
    rng = np.random.default_rng(seed)
    fit = rng.random(n)
    X = pd.DataFrame({"content_similarity": fit, "log_followers": rng.normal(9, 1, n)})
    impressions = rng.integers(2_000, 20_000, n).astype(float)
    conversions = rng.poisson(impressions * 0.002 * (0.1 + fit)).astype(float)
    creators = np.array([f"c{i % 60}" for i in range(n)])
    return ConversionData(
        X=X, conversions=conversions, impressions=impressions,
        campaigns=np.array([f"k{i % 20}" for i in range(n)]),
        brands=np.array([f"b{i % 5}" for i in range(n)]),
        creators=pd.DataFrame({"followers": impressions * 4}), creator_ids=creators,
    )  # fmt: skip


def test_a_made_up_row_far_above_its_expectation_is_down_weighted_and_honest_rows_are_not() -> None:
    data = _data()
    poisoned = data.conversions.copy()
    planted = np.argsort(data.X["content_similarity"].to_numpy())[:5]  # the worst fits
    poisoned[planted] = data.impressions[planted] * 0.01  # ~10x the best fit's rate
    data = ConversionData(**{**data.__dict__, "conversions": poisoned})
    weights, report = outcome_weights(data)
    assert (weights[planted] < 0.2).all()
    assert report.outliers >= 5 and report.outliers <= 5 + len(weights) // 100
    honest = np.setdiff1d(np.arange(len(weights)), planted)
    assert np.median(weights[honest]) == 1.0


def test_one_creator_holding_most_impressions_is_capped_at_its_bound() -> None:
    data = _data()
    impressions = data.impressions.copy()
    impressions[data.creator_ids == "c0"] *= 200  # one mega creator: ~77 % of the exposure
    weights, report = outcome_weights(
        ConversionData(**{**data.__dict__, "impressions": impressions})
    )
    mass = weights * impressions
    share = mass[data.creator_ids == "c0"].sum() / mass.sum()
    assert share <= 0.05 + 1e-6 and report.capped_creators >= 1


def test_capping_bounds_what_one_creators_rows_can_move_the_pooled_rate() -> None:
    data = _data()
    loud = data.creator_ids == "c0"
    conversions, impressions = data.conversions.copy(), data.impressions.copy()
    impressions[loud] *= 200
    conversions[loud] = impressions[loud] * 0.02  # an impossible-looking 10x rate, at scale
    moved = ConversionData(
        **{**data.__dict__, "conversions": conversions, "impressions": impressions}
    )
    baseline = ConversionModel(params=ONE_THREAD).fit(data.X, data.conversions, data.impressions)
    weights, _ = outcome_weights(moved)
    robust = ConversionModel(params=ONE_THREAD).fit(
        moved.X, conversions, impressions, sample_weight=weights
    )
    naive = ConversionModel(params=ONE_THREAD).fit(moved.X, conversions, impressions)
    shift = np.log(robust.rate(data.X) / baseline.rate(data.X))
    assert np.abs(np.median(shift)) < np.log(1.5)
    assert np.median(np.log(naive.rate(data.X) / baseline.rate(data.X))) > np.log(3)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(1.0, 1e7), min_size=2, max_size=40),
    st.integers(2, 8),
    st.floats(0.01, 0.5),
)
def test_after_capping_no_group_holds_more_than_its_bound(
    impressions: list[float], n_groups: int, share: float
) -> None:
    exposure = np.array(impressions)
    groups = np.array([f"g{i % n_groups}" for i in range(len(exposure))])
    weights, _ = cap_shares(np.ones(len(exposure)), exposure, [(groups, share)])
    mass = pd.Series(weights * exposure).groupby(groups).sum()
    bound = max(share, 2.0 / len(set(groups)))
    assert (mass / mass.sum() <= bound * (1 + 1e-4)).all()
    assert (weights > 0).all() and (weights <= 1).all()
