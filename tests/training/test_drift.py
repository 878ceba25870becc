"""Drift arithmetic (PSI over reference bins, KS against percentiles, thresholds) and the training
snapshot that `creatormatch monitor` compares with."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import ks_2samp

from creatormatch.core import Home
from creatormatch.training import (
    Reference,
    Thresholds,
    ks,
    load_snapshot,
    psi,
    write_training_snapshot,
)
from tests.serving.conftest import copy_home
from tests.trained_world import EMBEDDER, trained_world


@pytest.fixture(scope="module")
def world_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return trained_world(tmp_path_factory)


def _followers(seed: int, n: int = 2_000) -> np.ndarray:
    return np.random.default_rng(seed).lognormal(8.5, 1.7, n)


def test_psi_is_zero_on_the_reference_itself_small_on_a_resample_and_large_on_a_shift() -> None:
    reference = Reference.of(_followers(0))
    assert psi(reference, _followers(0)) == pytest.approx(0.0, abs=1e-12)
    assert psi(reference, _followers(1)) < 0.05
    assert psi(reference, _followers(1) * 3) > 0.25  # a scraper reading followers in thousands


def test_missing_values_are_a_bin_of_their_own() -> None:
    values = _followers(0)
    reference = Reference.of(values)
    assert reference.missing == 0 and sum(reference.shares) == pytest.approx(1.0)
    holes = values.copy()
    holes[: len(values) // 3] = np.nan  # a third of the catalog lost the field
    assert psi(reference, holes) > 0.25
    assert Reference.of(holes).missing == pytest.approx(1 / 3, abs=1e-3)


def test_a_binary_feature_whose_share_moves_is_seen() -> None:
    rng = np.random.default_rng(2)
    reference = Reference.of((rng.random(3_000) < 0.05).astype(float))  # 5 % verified
    assert reference.edges == [0.0]  # two bins: 0 and above
    assert psi(reference, (rng.random(3_000) < 0.05).astype(float)) < 0.01
    assert psi(reference, (rng.random(3_000) < 0.40).astype(float)) > 0.25


def test_ks_agrees_with_scipys_two_sample_statistic_within_the_percentile_grid() -> None:
    base, moved = _followers(0), _followers(5) * 1.3
    reference = Reference.of(base)
    assert ks(reference, moved) == pytest.approx(ks_2samp(base, moved).statistic, abs=0.011)
    assert ks(reference, base) < 0.01
    assert np.isnan(ks(reference, np.full(10, np.nan)))


def test_thresholds_read_psi_and_rising_missing_evidence() -> None:
    thresholds = Thresholds()
    assert [thresholds.of_psi(v) for v in (0.05, 0.1, 0.2, 0.25, 0.3)] == [
        "ok", "ok", "watch", "watch", "drift",
    ]  # fmt: skip
    assert thresholds.of_missing(0.10, 0.25) == "drift"
    assert thresholds.of_missing(0.10, 0.17) == "watch"
    assert thresholds.of_missing(0.60, 0.05) == "ok"  # more evidence than at training
    with pytest.raises(ValueError, match="psi_watch <= psi_drift"):
        Thresholds(psi_watch=0.3, psi_drift=0.2)


@pytest.mark.slow
def test_the_snapshot_summarises_the_catalog_and_the_scores_of_the_published_models(
    world_home: Home,
) -> None:
    snapshot = load_snapshot(world_home)
    assert snapshot.creators == 300 and snapshot.embedder == EMBEDDER.model_id
    assert {"followers", "engagement_rate", "price_per_post"} <= set(snapshot.features)
    assert {"reach_impressions", "conversion_rate"} <= set(snapshot.scores)
    assert snapshot.models.keys() >= {"conversion", "reach"}
    assert len(snapshot.probes.briefs) == 8 and snapshot.probes.vectors.shape == (8, 384)
    # 8 probe briefs over every creator (fewer than 1,000): 2,400 conversion rates
    assert snapshot.scores["conversion_rate"].count == 8 * 300
    assert set(snapshot.evidence) == {
        "comments", "posts", "history_days", "sampled_followers", "audience",
    }  # fmt: skip
    assert 0 < snapshot.evidence["comments"] < 1


@pytest.mark.slow
def test_a_new_snapshot_is_written_only_when_the_published_models_change(
    world_home: Home, tmp_path: Path
) -> None:
    home = copy_home(world_home, tmp_path / "home")
    path = home.reports_dir / "training_snapshot.json"
    assert write_training_snapshot(home, embedder=EMBEDDER) is None  # the champions are the same
    data = json.loads(path.read_text())
    data["models"]["conversion"] = "an older one"
    path.write_text(json.dumps(data))
    assert write_training_snapshot(home, embedder=EMBEDDER) == path
    assert load_snapshot(home).models == load_snapshot(world_home).models
    path.write_text("{not json")  # an unreadable snapshot is replaced, not a failed train
    assert write_training_snapshot(home, embedder=EMBEDDER) == path
