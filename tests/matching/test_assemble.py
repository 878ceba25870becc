import numpy as np
import pytest

from creatormatch.matching import Candidates, assemble, mmr_order


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_mmr_skips_a_near_duplicate_of_what_it_already_chose() -> None:
    content = _unit(np.array([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0]]))
    relevance = np.array([1.0, 0.99, 0.9])
    assert mmr_order(relevance, content, 2, lam=0.5) == [0, 2]


def test_without_budget_the_best_fits_come_first_whatever_their_reach() -> None:
    cands = Candidates(
        ids=["star", "niche"],
        fit=np.array([0.2, 0.9]),
        value=np.array([500.0, 3.0]),
        content=_unit(np.eye(2)),
        price=np.array([5000.0, 50.0]),
    )
    rows, score, _ = assemble(cands, k=2)
    assert [cands.ids[r] for r in rows] == ["niche", "star"]
    assert score[rows[0]] == 0.9


def test_budget_prefers_value_per_dollar_and_never_overspends() -> None:
    cands = Candidates(
        ids=["star", "a", "b", "c"],
        fit=np.ones(4),
        value=np.array([10.0, 4.0, 4.0, 4.0]),
        content=_unit(np.eye(4) + 0.01),
        price=np.array([1000.0, 100.0, 100.0, 100.0]),
    )
    rows, score, unpriced = assemble(cands, k=4, budget=300.0)
    assert sorted(cands.ids[r] for r in rows) == ["a", "b", "c"]
    assert unpriced == 0 and score[rows[0]] == pytest.approx(0.04)


def test_budget_shortlist_is_sorted_and_unknown_prices_are_counted() -> None:
    cands = Candidates(
        ["x", "y", "z"],
        np.ones(3),
        np.array([1.0, 3.0, 2.0]),
        _unit(np.eye(3) + 0.01),
        np.array([1.0, np.nan, 1.0]),
    )
    rows, _, unpriced = assemble(cands, k=3, budget=10.0)
    assert [cands.ids[r] for r in rows] == ["z", "x"]
    assert unpriced == 1


@pytest.mark.parametrize("budget", [None, 10_000.0])
def test_an_off_topic_creator_never_outranks_an_on_topic_one_whatever_its_value(
    budget: float | None,
) -> None:
    # "star" converts 100x better and is cheaper, but is off the brief's topic.
    cands = Candidates(
        ids=["star", "fit-a", "fit-b", "weak"],
        fit=np.array([9.0, 0.2, 0.1, 5.0]),
        value=np.array([900.0, 2.0, 1.0, 500.0]),
        content=_unit(np.eye(4) + 0.01),
        price=np.array([10.0, 100.0, 100.0, 10.0]),
        topical=np.array([-5.0, 3.0, 1.0, -1.0]),
    )
    rows, _, _ = assemble(cands, k=3, budget=budget)
    # On-topic ones first (by score), then the rest by topical match, never by value.
    assert [cands.ids[r] for r in rows] == ["fit-a", "fit-b", "weak"]


def test_off_topic_creators_fill_only_the_slots_and_budget_left() -> None:
    cands = Candidates(
        ids=["on", "off-cheap", "off-dear"],
        fit=np.ones(3),
        value=np.array([1.0, 50.0, 80.0]),
        content=_unit(np.eye(3) + 0.01),
        price=np.array([600.0, 300.0, 500.0]),
        topical=np.array([3.0, -4.0, -2.0]),
    )
    rows, _, _ = assemble(cands, k=3, budget=1_000.0)
    # 400 left after "on": "off-dear" is the better topical match but no longer fits.
    assert [cands.ids[r] for r in rows] == ["on", "off-cheap"]


def test_misaligned_candidates_are_refused() -> None:
    with pytest.raises(ValueError, match=r"expected price of shape \(2,\)"):
        Candidates(["a", "b"], np.ones(2), np.ones(2), np.ones((2, 3), np.float32), np.ones(3))


def _mmr_every_row(relevance: np.ndarray, content: np.ndarray, k: int, lam: float) -> list[int]:
    """Maximal marginal relevance comparing every row at every step, as written in textbooks."""
    gain = (relevance - relevance.min()) / (np.ptp(relevance) or 1.0)
    chosen: list[int] = []
    for _ in range(min(k, len(gain))):
        best, best_value = -1, -np.inf
        for row in range(len(gain)):
            if row in chosen:
                continue
            redundancy = max((float(content[row] @ content[c]) for c in chosen), default=0.0)
            value = lam * gain[row] - (1 - lam) * redundancy
            if value > best_value:
                best, best_value = row, value
        chosen.append(best)
    return chosen


@pytest.mark.parametrize("lam", [0.3, 0.8, 1.0])
def test_mmr_that_skips_hopeless_rows_picks_what_comparing_every_row_picks(lam: float) -> None:
    rng = np.random.default_rng(int(lam * 10))
    for trial in range(20):
        n, k = 200, [1, 5, 20][trial % 3]
        content = rng.normal(size=(n, 8)).astype(np.float32)
        content[n // 2 :] = content[: n // 2] + 0.05 * rng.normal(size=(n // 2, 8))  # near twins
        content /= np.linalg.norm(content, axis=1, keepdims=True)
        relevance = rng.gamma(1.0, size=n)
        assert mmr_order(relevance, content, k, lam=lam) == _mmr_every_row(
            relevance, content, k, lam
        )
