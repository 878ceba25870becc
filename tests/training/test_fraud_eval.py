"""The held-out fraud evaluation: FPR per group with Wilson intervals and a permutation test on
planted numbers, then the whole evaluation of a real model on a small held-out world."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from creatormatch.core import InvalidInput
from creatormatch.features import EngagementBenchmark, benchmark_frame, fraud_signal_frame
from creatormatch.models import BoosterParams
from creatormatch.training import (
    evaluate_heldout,
    goals,
    group_fpr,
    heldout_json,
    heldout_report,
    permutation_p,
    train_fraud,
    write_heldout_plots,
)
from creatormatch.world import synthetic_fraud_data

SMALL = BoosterParams(n_estimators=80, learning_rate=0.1, num_leaves=15, min_child_samples=10)


def _creators(rates: dict[str, tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flagged, clean, groups) of clean creators: group → (clean count, flagged count)."""
    groups = [g for g, (n, _) in rates.items() for _ in range(n)]
    flagged = [i < k for g, (n, k) in rates.items() for i in range(n)]
    return np.array(flagged), np.ones(len(flagged), dtype=bool), np.array(groups, dtype=object)


def test_group_fpr_keeps_groups_with_enough_clean_creators_lowest_fpr_first() -> None:
    table = group_fpr(*_creators({"en": (200, 20), "pl": (100, 5), "sv": (99, 0)}))
    assert list(table.index) == ["pl", "en"]  # sv has fewer than 100 clean creators
    assert table["clean"].tolist() == [100, 200] and table["flagged"].tolist() == [5, 20]
    assert table["fpr"].tolist() == pytest.approx([0.05, 0.10])
    # Wilson 95 % for 5 of 100: [0.0215, 0.1118]
    assert table.loc["pl", ["low", "high"]].tolist() == pytest.approx([0.0215, 0.1118], abs=1e-4)


def test_group_fpr_counts_only_clean_creators_and_refuses_misaligned_arrays() -> None:
    flagged, clean, groups = _creators({"US": (150, 15)})
    table = group_fpr(
        np.r_[flagged, np.ones(50, dtype=bool)],
        np.r_[clean, np.zeros(50, dtype=bool)],
        np.r_[groups, np.array(["US"] * 50, dtype=object)],
    )
    assert table.loc["US", "clean"] == 150 and table.loc["US", "fpr"] == pytest.approx(0.1)
    with pytest.raises(InvalidInput, match="aligned"):
        group_fpr(flagged, clean[:-1], groups)


def test_the_permutation_test_rejects_different_fprs_and_accepts_equal_ones() -> None:
    different, _, groups = _creators({"US": (500, 5), "BR": (500, 50)})
    assert permutation_p(different, groups) == pytest.approx(1 / 2001)  # no shuffle as extreme
    equal, _, groups = _creators({"US": (500, 25), "BR": (500, 25)})
    assert permutation_p(equal, groups) > 0.5
    nothing, _, groups = _creators({"US": (500, 0), "BR": (500, 0)})
    assert permutation_p(nothing, groups) == 1.0
    one, _, groups = _creators({"US": (500, 9)})
    assert permutation_p(one, groups) == 1.0


def test_the_permutation_test_holds_its_level_when_groups_share_one_rate() -> None:
    """Under the null (every group flagged at 8 %), p ≤ 0.05 in about 5 % of worlds."""
    rng = np.random.default_rng(3)
    groups = np.repeat(np.array(["a", "b", "c", "d"], dtype=object), [400, 200, 150, 120])
    ps = [
        permutation_p(rng.random(groups.size) < 0.08, groups, permutations=400) for _ in range(80)
    ]
    assert 0.0 <= np.mean(np.array(ps) <= 0.05) <= 0.15


def test_pooled_worlds_are_compared_within_each_world() -> None:
    """Two worlds flag at 4 % and 16 %, each the same for both groups; "US" has most of its
    creators in the first, "BR" in the second. Pooled naively the groups look different; shuffled
    within each world they do not. A real gap inside each world is still seen."""
    rng = np.random.default_rng(5)
    groups = np.repeat(np.array(["US", "BR", "US", "BR"], dtype=object), [800, 200, 200, 800])
    world = np.repeat([0, 0, 1, 1], [800, 200, 200, 800])
    flagged = rng.random(2000) < np.where(world == 0, 0.04, 0.16)
    assert permutation_p(flagged, groups) < 0.01
    assert permutation_p(flagged, groups, strata=world) > 0.05
    gap = flagged | ((groups == "BR") & (rng.random(2000) < 0.15))
    assert permutation_p(gap, groups, strata=world) < 0.01


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory):
    records, labels = synthetic_fraud_data(seed=31, n_creators=1_000, intensities=(1.0, 0.5))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, params=SMALL, benchmark=benchmark)
    held_records, held_labels = synthetic_fraud_data(seed=77, n_creators=800, intensities=(1.0,))
    loud = evaluate_heldout(model, held_records, held_labels, loud=True)
    subtle_world = synthetic_fraud_data(seed=77, n_creators=300, intensities=(0.25,))
    subtle = evaluate_heldout(model, *subtle_world, loud=False)
    return model, {1.0: loud, 0.25: subtle}, tmp_path_factory.mktemp("heldout")


def test_the_evidence_curve_shows_no_clean_creator_high_on_thin_samples(evaluated) -> None:
    _, results, _ = evaluated
    curve = results[1.0].evidence
    thinned = ["all cut to ≤ 5 comments", "all cut to ≤ 20 sampled followers"]
    assert set(thinned) <= set(curve.index) and "30+ comments" in curve.index
    assert curve.loc[thinned, "clean_high"].tolist() == [0, 0]
    assert (curve.loc[thinned, "fpr_high"] == 0).all()
    assert curve.loc["30+ comments", "recall_high"] > 0.9
    assert curve["clean"].iloc[: len(curve) - 2].sum() == curve.loc[thinned[0], "clean"]


def test_fairness_is_reported_per_band_and_group_with_intervals(evaluated) -> None:
    model, results, _ = evaluated
    fairness = results[1.0].fairness
    assert set(fairness) == {(b, g) for b in model.thresholds_ for g in ("language", "country")}
    table, p = fairness[("medium", "language")]
    assert "en" in table.index and 0.0 < p <= 1.0
    assert ((table["low"] <= table["fpr"]) & (table["fpr"] <= table["high"])).all()


def test_the_report_prints_every_table_and_the_goals(evaluated) -> None:
    _, results, out = evaluated
    plots = write_heldout_plots(results[1.0], out)
    assert [p.name for p in plots] == [
        "fraud_evidence_curve.png",
        "fraud_fpr_by_language.png",
        "fraud_fpr_by_country.png",
    ]
    for path in plots:
        height, width, _ = imread(path).shape
        assert height > 200 and width > 200
    report = heldout_report(results, seed=77, creators={1.0: 800, 0.25: 300}, extra=["## Extra"])
    for section in (
        "## Degradation as fraud gets subtler",
        "## Recall at 90% precision per archetype",
        "## FPR on legitimate look-alikes",
        "## Evidence-size curve (loud world)",
        "## FPR by creator language",
        "## FPR by creator country",
        "Permutation test of equal FPR",
        "## Extra",
        "## Goals",
    ):
        assert section in report
    met = goals(results)
    assert met["no_clean_high_with_le_5_comments_or_le_20_followers"] is True
    for goal, ok in met.items():
        assert f"- {goal}: {'met' if ok else 'NOT met'}" in report
    summary = json.loads(heldout_json(results, seed=77, seconds=1.0))
    assert summary["goals"] == met and set(summary["metrics"]) == {"1.0", "0.25"}
    assert "all cut to ≤ 5 comments" in summary["evidence"]


def test_the_plots_create_the_folder_they_are_asked_for(evaluated, tmp_path: Path) -> None:
    _, results, _ = evaluated
    paths = write_heldout_plots(results[1.0], tmp_path / "new" / "folder")
    assert all(path.parent == tmp_path / "new" / "folder" for path in paths)
