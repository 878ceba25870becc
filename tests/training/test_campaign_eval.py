"""Campaign evaluation: its metrics on planted numbers, and one small real run on two worlds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from creatormatch.cli import main
from creatormatch.features import INTERESTS, Brief, load_embedder
from creatormatch.training import (
    METHODS,
    baseline_pick,
    format_campaigns,
    score_pick,
)
from creatormatch.world import WorldParams, expected_conversions, generate_world
from creatormatch.world.evaluation import evaluate_campaigns

BRIEF = Brief(text="vegan recipes", budget=1_000, k=3)


def test_baseline_pick_keeps_the_order_among_allowed_creators_that_fit_the_budget() -> None:
    scores = np.array([9.0, 8.0, 7.0, 6.0, 5.0, 4.0])
    allowed = np.array([True, False, True, True, True, True])
    price = np.array([600.0, 1.0, np.nan, 300.0, 200.0, 50.0])
    # 0 (600) fits, 1 is filtered out, 2 has no price, 3 (300) fits, 4 (200) would exceed 1,000.
    assert baseline_pick(scores, allowed, price, BRIEF) == [0, 3, 5]


def test_score_pick_sums_true_conversions_and_spend_of_the_picked_rows() -> None:
    truth = np.array([10.0, 1.0, 4.0])
    price = np.array([2_000.0, 100.0, 400.0])
    result = score_pick([2, 1], truth, price, np.ones(3, dtype=bool), BRIEF)
    assert (result.conversions, result.spend) == (5.0, 500.0)
    # Creator 0 costs more than the budget, so the best affordable order is 2 then 1.
    assert result.ndcg == pytest.approx(1.0)
    assert result.ndcg_per_dollar == pytest.approx(1.0)


def test_expected_conversions_reward_the_brands_niche_and_punish_fake_followers() -> None:
    world = generate_world(WorldParams(n_creators=400, seed=5, n_brands=1))
    entry = world.briefs[0]
    brief, niche = Brief.model_validate(entry["brief"]), INTERESTS.index(entry["niche"])
    rows = np.arange(400)
    truth = expected_conversions(world.columns, brief, niche, rows)
    per_follower = truth / world.columns["followers"]
    same = world.columns["niche"] == niche
    assert np.median(per_follower[same]) > 3 * np.median(per_follower[~same])
    faked = world.columns.copy()
    faked["fake_share"] = np.full(400, 0.5)
    halved = expected_conversions(faked, brief, niche, rows)
    clean = world.columns["fake_share"] == 0
    assert np.allclose(halved[clean], truth[clean] / 2)


def test_the_worlds_truth_by_creator_id_is_the_latent_model_of_that_creators_row() -> None:
    world = generate_world(WorldParams(n_creators=400, seed=5, n_brands=1))
    entry = world.briefs[0]
    brief, niche = Brief.model_validate(entry["brief"]), INTERESTS.index(entry["niche"])
    ids = [record["creator_id"] for record in world.records(0, 400)][::-7]
    rows = np.array([int(cid[1:]) - 1 for cid in ids])
    by_id = world.expected_conversions(brief, entry["niche"], ids)
    assert np.array_equal(by_id, expected_conversions(world.columns, brief, niche, rows))


@pytest.mark.slow
def test_our_shortlists_buy_more_true_conversions_per_dollar_than_follower_counts(
    tmp_path: Path,
) -> None:
    result = evaluate_campaigns(
        tmp_path, creators=400, brands=8, seed=11, embedder=load_embedder("hashing"),
        account_data=tmp_path / "no-account-data",
    )  # fmt: skip
    assert result.briefs == 8 and set(result.results) == set(METHODS)
    assert all(len(rows) == 8 for rows in result.results.values())
    assert result.conversions_per_1k("ours") > 2 * result.conversions_per_1k("followers")
    table = format_campaigns(result)
    assert table.splitlines()[1].startswith("ours") and "embedding_only" in table


def test_evaluate_matching_names_the_parts_it_knows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "matching", "--on", "kim,ads"]) == 2
    assert (
        "expected --on from kim, youtube, world, campaigns, got 'kim,ads'"
        in capsys.readouterr().err
    )
