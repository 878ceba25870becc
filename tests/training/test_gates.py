"""A challenger passes a gate when it is no worse than the champion beyond the tolerance and
within the floor; a first version meets the floors only."""

from __future__ import annotations

import pytest

from creatormatch.training import GATES, HEADLINE, headline, judge

GOOD = {
    "ndcg10_model": 0.70,
    "ndcg10_followers": 0.32,
    "calibration_error": 0.03,
    "rerank_ms": 6.0,
}


def _failed(name: str, challenger: dict[str, float], champion: dict[str, float] | None) -> list:
    return [v.gate.metric for v in judge(name, challenger, champion) if not v.passed]


def test_a_first_version_is_judged_on_the_floors_alone() -> None:
    assert _failed("conversion", GOOD, None) == []
    below_baseline = GOOD | {"ndcg10_model": 0.30}  # worse than ranking by followers
    assert _failed("conversion", below_baseline, None) == ["ndcg10_model"]
    assert _failed("conversion", GOOD | {"calibration_error": 0.5}, None) == ["calibration_error"]


def test_a_challenger_within_tolerance_passes_and_one_beyond_it_is_refused() -> None:
    assert _failed("conversion", GOOD | {"ndcg10_model": 0.675}, GOOD) == []
    assert _failed("conversion", GOOD | {"ndcg10_model": 0.66}, GOOD) == ["ndcg10_model"]
    assert _failed("conversion", GOOD | {"calibration_error": 0.09}, GOOD) == ["calibration_error"]


def test_latency_is_judged_relative_to_the_champion_and_against_an_absolute_floor() -> None:
    assert _failed("conversion", GOOD | {"rerank_ms": 8.9}, GOOD) == []
    assert _failed("conversion", GOOD | {"rerank_ms": 9.1}, GOOD) == ["rerank_ms"]
    assert _failed("conversion", GOOD | {"rerank_ms": 150.0}, None) == ["rerank_ms"]


def test_a_missing_or_non_finite_metric_fails_its_gate() -> None:
    assert _failed("conversion", {k: v for k, v in GOOD.items() if k != "rerank_ms"}, None) == [
        "rerank_ms"
    ]
    assert _failed("conversion", GOOD | {"calibration_error": float("nan")}, GOOD) == [
        "calibration_error"
    ]


def test_a_metric_over_too_few_rows_is_not_judged_and_says_why() -> None:
    fraud = {"pr_auc": 0.99, "ece": 0.01, "fpr_high_lookalikes": 0.5, "eval_lookalikes": 4.0}
    verdicts = judge("fraud", fraud, None)
    lookalikes = next(v for v in verdicts if v.gate.metric == "fpr_high_lookalikes")
    assert lookalikes.passed
    assert lookalikes.text() == "look-alike FPR at high: not judged (4 eval_lookalikes, 20 needed)"
    judged = fraud | {"eval_lookalikes": 40.0}
    assert _failed("fraud", judged, None) == ["fpr_high_lookalikes"]


def test_a_refusal_names_the_gate_and_both_numbers() -> None:
    verdict = judge("conversion", GOOD | {"ndcg10_model": 0.61}, GOOD)[0]
    assert verdict.text("v1") == (
        "quality: nDCG@10 0.61, vs v1 0.7 (tolerance 0.03), floor 0.32: refused"
    )


@pytest.mark.parametrize("name", sorted(GATES))
def test_the_headline_of_each_model_is_its_own_gated_metrics_never_a_baselines(name: str) -> None:
    assert HEADLINE[name] == tuple(gate.metric for gate in GATES[name])
    assert not any("followers" in m or "heuristic" in m or "organic" in m for m in HEADLINE[name])
    metrics = {"ndcg10_followers": 0.3, "a_baseline": 1.0} | {m: 0.5 for m in HEADLINE[name]}
    assert list(headline(name, metrics)) == list(HEADLINE[name])
