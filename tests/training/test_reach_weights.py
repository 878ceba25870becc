"""No row, creator or campaign can pull the reach model beyond a bound."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creatormatch.models import ReachModel
from creatormatch.training import ConversionData, reach_weights


def _data(n: int = 800, seed: int = 0) -> ConversionData:
    """Sponsored posts reaching a share of followers that falls with size: 80 creators."""
    rng = np.random.default_rng(seed)
    creator = np.arange(n) % 80
    followers = np.exp(rng.uniform(np.log(5e3), np.log(5e5), 80))[creator]
    views = followers * 0.15 * rng.lognormal(0, 0.2, n)
    share = 0.3 * (followers / 5e3) ** -0.2
    impressions = np.round(followers * share * rng.lognormal(0, 0.15, n))
    creators = pd.DataFrame({
        "followers": followers, "median_views": views, "engagement_rate": rng.uniform(0.01, 0.05, n)
    })  # fmt: skip
    return ConversionData(
        X=pd.DataFrame({"x": np.zeros(n)}), conversions=np.zeros(n), impressions=impressions,
        campaigns=np.array([f"k{i % 20}" for i in range(n)]),
        brands=np.array([f"b{i % 5}" for i in range(n)]),
        creators=creators, creator_ids=np.array([f"c{c}" for c in creator]),
    )  # fmt: skip


def _planted(data: ConversionData, count: int = 24) -> tuple[ConversionData, np.ndarray]:
    """One row of each of the `count` smallest creators, filed with a row of the largest
    creators' impressions."""
    followers = data.creators["followers"].to_numpy()
    first = np.unique(data.creator_ids, return_index=True)[1]  # one row per creator
    order = first[np.argsort(followers[first])]
    small, large = order[:count], order[-count:]
    impressions = data.impressions.copy()
    impressions[small] = data.impressions[large]
    return ConversionData(**{**data.__dict__, "impressions": impressions}), small


def test_rows_with_another_creators_impressions_are_down_weighted_and_honest_rows_are_not() -> None:
    data, planted = _planted(_data())
    weights, report = reach_weights(data)
    assert (weights[planted] < 0.25).all() and weights[planted].mean() < 0.15, weights[planted]
    honest = np.setdiff1d(np.arange(len(weights)), planted)
    assert (weights[honest] == 1.0).mean() > 0.97
    assert len(planted) <= report.outliers <= len(planted) + len(weights) // 50


def test_weights_keep_the_planted_rows_from_moving_the_small_creators_reach() -> None:
    clean = _data()
    data, planted = _planted(clean)
    small = clean.creators.iloc[planted]
    truth = ReachModel().fit(clean.creators, clean.impressions).impressions(small)
    naive = ReachModel().fit(data.creators, data.impressions).impressions(small)
    weights, _ = reach_weights(data)
    weighted = ReachModel().fit(data.creators, data.impressions, sample_weight=weights)
    naive_error = np.median(np.abs(np.log(naive / truth)))
    weighted_error = np.median(np.abs(np.log(weighted.impressions(small) / truth)))
    assert naive_error > 0.3 and weighted_error < naive_error / 3, (naive_error, weighted_error)


def test_one_creators_rows_are_capped_at_their_share_of_the_weight() -> None:
    data = _data()
    ids = data.creator_ids.copy()
    ids[:200] = "c-many"  # one creator with a quarter of the rows
    weights, report = reach_weights(ConversionData(**{**data.__dict__, "creator_ids": ids}))
    assert weights[ids == "c-many"].sum() / weights.sum() <= 0.05 + 1e-6
    assert report.capped_creators >= 1
