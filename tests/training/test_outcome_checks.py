"""Implausible outcome rows are rejected before training, with a count per reason."""

from __future__ import annotations

from typing import Any

from creatormatch.features import CampaignOutcome
from creatormatch.training import REASONS, screen_outcomes

BRIEF = {"text": "home workouts"}


def _row(campaign: str, creator: str, **counts: Any) -> CampaignOutcome:
    values = {"impressions": 1_000, "clicks": 20, "conversions": 2, "brief": BRIEF} | counts
    return CampaignOutcome.model_validate(
        {"campaign_id": campaign, "brand_id": "b1", "creator_id": creator, **values}
    )


def test_each_implausible_row_is_rejected_for_its_first_reason_and_counted() -> None:
    rows = [
        _row("k1", "c1"),
        _row("k1", "c2", conversions=30, clicks=20),  # above clicks
        _row("k1", "c3", conversions=30, clicks=None, impressions=10),  # above impressions
        _row("k1", "c4", clicks=2_000),  # clicks above impressions
        _row("k1", "c5", impressions=0, clicks=0, conversions=0),
        _row("k1", "ghost"),  # not in the catalog
        _row("k1", "c6", brief=None),
    ]
    screened = screen_outcomes(rows, known={"c1", "c2", "c3", "c4", "c5", "c6"})
    assert [o.creator_id for o in screened.kept] == ["c1"]
    assert screened.rejected == {
        "creator not in the catalog": 1,
        "no brief": 1,
        "no impressions": 1,
        "conversions above clicks": 1,
        "conversions or clicks above impressions": 2,
    }
    assert list(screened.rejected) == [r for r in REASONS if r in screened.rejected]
    assert screened.summary().startswith("7 outcomes, 6 rejected (1 creator not in the catalog")


def test_the_same_measurement_filed_under_two_campaigns_is_kept_once_in_the_first() -> None:
    first, copy = _row("k1", "c1", conversions=7), _row("k2", "c1", conversions=7)
    other = _row("k3", "c1", conversions=8)  # the same creator, another measurement: kept
    screened = screen_outcomes([copy, other, first], known={"c1"})
    assert [o.campaign_id for o in screened.kept] == ["k1", "k3"]
    assert screened.rejected == {"duplicate of another campaign's row": 1}


def test_counts_name_every_reason_as_a_metric_mlflow_accepts() -> None:
    counts = screen_outcomes([_row("k1", "c1"), _row("k2", "c1")], known={"c1"}).counts()
    assert len(counts) == len(REASONS)
    assert counts["outcomes_rejected.duplicate_of_another_campaign_s_row"] == 1.0
    assert all(key.replace(".", "_").replace("_", "").isalnum() for key in counts)
    assert screen_outcomes([_row("k1", "c1")], known={"c1"}).summary() == (
        "1 outcomes, none rejected"
    )
