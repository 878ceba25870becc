"""Risk bands: distinct thresholds chosen on validation precision, a clear error when validation
cannot support a band, and the evidence a verdict needs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import InvalidInput
from creatormatch.features import EVIDENCE_MINIMUMS
from creatormatch.models import (
    FRAUD_PARAMS,
    INSUFFICIENT,
    FraudModel,
    band_thresholds,
    evidence_bands,
    precision_threshold,
)

BANDS = (("high", 0.9), ("medium", 0.6))
FULL = dict(EVIDENCE_MINIMUMS)  # every count exactly at its minimum


def test_precision_threshold_keeps_the_most_recall_at_the_stated_precision() -> None:
    p = np.linspace(1.0, 0.0, 40)
    y = np.array([True] * 18 + [False, True] + [False] * 20)
    assert precision_threshold(p, y, 0.9) == p[19]
    assert precision_threshold(p, np.zeros(40, dtype=bool), 0.9) == 1.0


def test_a_cut_flags_a_whole_tie_so_a_tie_with_clean_creators_is_judged_as_one() -> None:
    """Ten fraud cases at 0.9, then a tie at 0.5 of one fraud case and nine clean ones: a cut at
    0.5 flags all ten of the tie (precision 11/20), so the 90 % cut stays at 0.9."""
    p = np.r_[np.full(10, 0.9), np.full(10, 0.5)]
    y = np.r_[np.ones(11, dtype=bool), np.zeros(9, dtype=bool)]
    assert precision_threshold(p, y, 0.9) == 0.9
    assert precision_threshold(p, y, 0.5) == 0.5


def test_perfectly_separated_validation_still_gets_a_distinct_medium_band() -> None:
    """The demo's degenerate model had threshold_high == threshold_medium: every fraud case above
    every clean one leaves no extra recall to buy, so `medium` now covers clean creators down to
    where its precision would drop below 60 %."""
    p = np.r_[np.linspace(0.99, 0.6, 40), np.linspace(0.5, 0.01, 160)]
    y = np.r_[np.ones(40, dtype=bool), np.zeros(160, dtype=bool)]
    cuts = band_thresholds(p, y, BANDS)
    assert cuts["high"] == pytest.approx(0.6)  # the last fraud case: all recall at 100 %
    assert cuts["medium"] < cuts["high"]
    flagged = p >= cuts["medium"]
    assert y[flagged].mean() >= 0.6 and flagged.sum() == 66  # 40 fraud / 66 = 0.606; 67 → 0.597


def test_a_band_never_starts_below_its_probability_floor() -> None:
    """The demo's validation separated the classes, so `medium` covered clean creators down to a
    probability of 0.0004 and its first creator read "medium (0%)". With a floor the band starts
    at the floor; where the coverage cut is already above the floor it is kept."""
    p = np.r_[np.linspace(0.99, 0.6, 40), np.linspace(0.05, 0.0, 160)]
    y = np.r_[np.ones(40, dtype=bool), np.zeros(160, dtype=bool)]
    bare = band_thresholds(p, y, BANDS)
    assert bare["medium"] < 0.05  # the coverage cut on its own: 26 clean creators under 5 %
    assert band_thresholds(p, y, BANDS, floors={"medium": 0.2}) == {"high": 0.6, "medium": 0.2}
    assert band_thresholds(p, y, BANDS, floors={"medium": 0.01}) == bare


def test_a_floor_above_half_the_stricter_cut_gives_way_to_half_of_it() -> None:
    """A small validation split can start `high` at a few percent (the demo's began at 0.039): a
    5 % floor would leave no `medium` band, so the floor becomes half of `high`'s cut."""
    p = np.r_[np.linspace(0.04, 0.03, 40), np.linspace(0.009, 0.0, 160)]
    y = np.r_[np.ones(40, dtype=bool), np.zeros(160, dtype=bool)]
    cuts = band_thresholds(p, y, BANDS, floors={"medium": 0.05})
    assert cuts == {"high": 0.03, "medium": 0.015}


def test_a_model_whose_validation_separates_the_classes_starts_medium_at_five_percent(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(2)
    y = rng.random(1200) < 0.2
    X = pd.DataFrame({"signal": y + rng.normal(0, 0.05, 1200), "other": rng.random(1200)})
    model = FraudModel(params=replace(FRAUD_PARAMS, n_estimators=30)).fit(X, y)
    unfloored = FraudModel(params=replace(FRAUD_PARAMS, n_estimators=30), floors={}).fit(X, y)
    assert unfloored.thresholds_["medium"] < 0.05  # what the demo published before
    assert model.thresholds_["medium"] == 0.05 < model.thresholds_["high"]
    model.save(tmp_path / "fraud")
    loaded, _ = FraudModel.load(tmp_path / "fraud")
    assert loaded.floors == {"medium": 0.05} and loaded.thresholds_ == model.thresholds_


def test_validation_that_cannot_support_a_band_fails_naming_it() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(500)
    noise = rng.random(500) < 0.2  # labels unrelated to the scores: nothing reaches 90 %
    with pytest.raises(InvalidInput, match=r"cannot support the `high` band: .* 500 creators"):
        band_thresholds(p, noise, BANDS)
    few = np.zeros(500, dtype=bool)
    few[np.argsort(-p)[:5]] = True  # 5 fraud cases cannot make a cut of ≥ 10 flagged at 90 %
    with pytest.raises(InvalidInput, match=r"`high` band: .*\(5 fraud\)"):
        band_thresholds(p, few, BANDS)


def test_a_medium_band_without_room_below_high_fails_naming_it() -> None:
    """Ten fraud cases then ten clean ones, and a `medium` band asking 95 %: `high` takes the
    ten, and any cut below it flags a clean creator too (10/11 < 95 %)."""
    p = np.linspace(1.0, 0.05, 20)
    y = np.r_[np.ones(10, dtype=bool), np.zeros(10, dtype=bool)]
    with pytest.raises(InvalidInput, match=r"`medium` band: no probability cut below"):
        band_thresholds(p, y, (("high", 0.9), ("medium", 0.95)))


def test_training_on_labels_the_scores_cannot_rank_fails_instead_of_publishing() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"signal": rng.random(800), "other": rng.random(800)})
    y = rng.random(800) < 0.1  # unrelated to the features
    params = replace(FRAUD_PARAMS, n_estimators=20)
    with pytest.raises(InvalidInput, match=r"validation split cannot support the `high` band"):
        FraudModel(params=params).fit(X, y)


def _evidence(**counts: int) -> pd.DataFrame:
    return pd.DataFrame([{**FULL, **counts}])


THRESHOLDS = {"high": 0.5, "medium": 0.2}


@pytest.mark.parametrize(
    ("probability", "counts", "band"),
    [
        (0.9, {}, "high"),
        (0.3, {}, "medium"),
        (0.1, {}, "low"),
        (0.9, {"comments": 9}, INSUFFICIENT),  # a verdict needs 10 comments
        (0.3, {"comments": 5}, INSUFFICIENT),
        (0.1, {"comments": 0}, "low"),  # below `medium` a thin record stays low
        (0.9, {"sampled_followers": 24}, INSUFFICIENT),  # and 25 sampled followers
        (0.9, {"posts": 0, "history_days": 0}, "high"),  # posts and history are not needed
        (
            0.1,
            {"comments": 9, "posts": 2, "history_days": 13, "sampled_followers": 24},
            INSUFFICIENT,
        ),
        (0.1, {"comments": 10, "posts": 2, "history_days": 13, "sampled_followers": 24}, "low"),
    ],
)
def test_the_band_needs_evidence(probability: float, counts: dict[str, int], band: str) -> None:
    assert evidence_bands([probability], THRESHOLDS, _evidence(**counts)) == [band]


def test_evidence_counts_must_come_for_every_creator_with_every_count() -> None:
    with pytest.raises(InvalidInput, match=r"for 2 creators, got 1 rows"):
        evidence_bands([0.1, 0.2], THRESHOLDS, _evidence())
    with pytest.raises(InvalidInput, match=r"missing \['comments'\]"):
        evidence_bands([0.1], THRESHOLDS, _evidence().drop(columns=["comments"]))
