"""Reach model: learns sponsored reach by size from outcomes; survives save → load; falls back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import ArtifactError, InvalidInput
from creatormatch.models import ConversionModel, ReachModel, rule_of_thumb


def _creators(n: int, rng: np.random.Generator) -> pd.DataFrame:
    followers = np.exp(rng.uniform(np.log(2_000), np.log(2_000_000), n))
    return pd.DataFrame({
        "followers": followers,
        "median_views": np.where(rng.random(n) < 0.2, np.nan, followers * 0.25),
        "engagement_rate": rng.uniform(0.01, 0.06, n),
    })  # fmt: skip


def _sponsored_share(followers: np.ndarray) -> np.ndarray:
    """Big accounts reach a smaller share of their followers with a sponsored post."""
    return np.where(followers < 10_000, 0.25, np.where(followers < 100_000, 0.18, 0.08))


def test_reach_learns_that_big_accounts_reach_a_smaller_share_than_organic_views_say() -> None:
    rng = np.random.default_rng(0)
    train, test = _creators(3_000, rng), _creators(500, rng)
    seen = train["followers"] * _sponsored_share(train["followers"].to_numpy())
    model = ReachModel().fit(train, seen * rng.lognormal(0, 0.5, len(train)))
    truth = test["followers"] * _sponsored_share(test["followers"].to_numpy())
    error = np.abs(np.log(model.impressions(test) / truth))
    organic = np.abs(np.log(rule_of_thumb(test) / truth))
    assert np.median(error) < 0.2 < np.median(organic)
    share = model.impressions(test) / test["followers"]
    big, small = test["followers"] > 200_000, test["followers"] < 8_000
    assert share[big].median() < 0.12 < share[small].median()


def test_reach_round_trips_and_refuses_to_load_as_another_model(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    creators = _creators(400, rng)
    model = ReachModel().fit(creators, creators["followers"] * 0.2)
    model.save(tmp_path / "reach", metadata={})
    loaded, _ = ReachModel.load(tmp_path / "reach")
    assert np.allclose(loaded.impressions(creators), model.impressions(creators))
    with pytest.raises(ArtifactError, match="not conversion"):
        ConversionModel.load(tmp_path / "reach")


def test_reach_needs_outcomes_with_followers_and_impressions() -> None:
    creators = _creators(3, np.random.default_rng(2)).assign(followers=[0.0, 0.0, 5.0])
    with pytest.raises(InvalidInput, match="impressions > 0"):
        ReachModel().fit(creators, [10, 10, 0])


def test_without_a_model_organic_views_stand_in_and_a_benchmark_share_when_unknown() -> None:
    creators = pd.DataFrame(
        {"followers": [10_000.0, 50_000.0], "median_views": [3_000.0, np.nan],
         "engagement_rate": [0.03, 0.02]}
    )  # fmt: skip
    assert rule_of_thumb(creators).tolist() == [3_000.0, 6_000.0]
