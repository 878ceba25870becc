"""The one nDCG: graded and binary gains, the ideal taken over the candidates only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creatormatch.training import ndcg_at_k


def test_ndcg_is_one_for_the_ideal_order_and_discounts_a_late_best() -> None:
    gains = np.array([0.0, 5.0, 1.0, 3.0])
    assert ndcg_at_k(gains[[1, 3, 2]], gains, k=10) == pytest.approx(1.0)
    late = ndcg_at_k(gains[[3, 1]], gains, k=10)
    ideal = 5 + 3 / math.log2(3) + 1 / math.log2(4)
    assert late == pytest.approx((3 + 5 / math.log2(3)) / ideal)


def test_ndcg_takes_its_ideal_from_the_candidates_it_is_given() -> None:
    gains = np.array([0.0, 5.0, 1.0, 3.0])
    candidates = np.array([True, False, True, True])  # creator 1 is unaffordable here
    assert ndcg_at_k(gains[[3, 2]], gains[candidates], k=10) == 1.0


def test_ndcg_counts_only_the_first_k_and_binary_hits_at_their_rank() -> None:
    hits = np.array([0.0, 1.0, 1.0, 1.0])
    expected = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3) + 1 / math.log2(4))
    assert ndcg_at_k(hits, np.ones(5), k=3) == pytest.approx(expected)


def test_ndcg_is_nan_when_nothing_is_worth_ranking() -> None:
    assert math.isnan(ndcg_at_k([0.0, 0.0], [0.0, 0.0, 0.0], k=10))
    assert math.isnan(ndcg_at_k([], [], k=10))
