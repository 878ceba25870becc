"""Batch fraud scores equal `FraudModel.reports`: probability, band and every reason."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import NotFitted
from creatormatch.features import (
    CreatorRecord,
    EngagementBenchmark,
    benchmark_frame,
    fraud_signal_frame,
)
from creatormatch.models import FRAUD_PARAMS, INSUFFICIENT, BatchFraudScorer, FraudModel
from creatormatch.training import train_fraud
from creatormatch.world import synthetic_fraud_data


@pytest.fixture(scope="module")
def model() -> FraudModel:
    records, labels = synthetic_fraud_data(seed=21, n_creators=900, intensities=(1.0, 0.5))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    params = replace(FRAUD_PARAMS, n_estimators=120, learning_rate=0.1)
    return train_fraud(frame, labels, params=params, benchmark=benchmark)[0]


@pytest.fixture(scope="module")
def held_out() -> list[CreatorRecord]:
    records, _ = synthetic_fraud_data(seed=77, n_creators=700, intensities=(1.0,))
    # Thin evidence: no comment or follower sample, so some get no verdict.
    thin = [r.model_copy(update={"comments": None, "follower_sample": None}) for r in records[:60]]
    return [*records, *thin, CreatorRecord(creator_id="bare")]


def test_batch_scores_equal_reports_probability_band_and_reasons(model, held_out) -> None:
    rng = np.random.default_rng(0)
    ids = [r.creator_id for r in held_out]
    quality = pd.DataFrame(
        {"audience_fake_share": rng.random(len(ids)), "commenter_fake_share": np.nan},
        index=pd.Index(ids),
    )
    reports = model.reports(held_out, quality=quality)
    scores = BatchFraudScorer(model).score(held_out, quality=quality)
    assert scores.creator_id == ids
    np.testing.assert_allclose(
        scores.probability, [r.probability for r in reports], rtol=0, atol=1e-9
    )
    assert scores.band == [r.band for r in reports]
    assert [[(r.signal, r.text) for r in why] for why in scores.reasons] == [
        [(r.signal, r.text) for r in report.reasons] for report in reports
    ]
    weights = [r.weight for why in scores.reasons for r in why]
    np.testing.assert_allclose(
        weights, [r.weight for report in reports for r in report.reasons], rtol=0, atol=1e-9
    )
    # The comparison covers every band and explained creators, not only quiet ones.
    assert {"high", "medium", "low", INSUFFICIENT} <= set(scores.band)
    assert sum(bool(why) for why in scores.reasons) > 50


def test_a_model_without_its_benchmark_is_refused(model) -> None:
    bare = FraudModel()
    with pytest.raises(NotFitted, match="not fitted"):
        BatchFraudScorer(bare)
    unbenchmarked = FraudModel()
    unbenchmarked.__dict__.update(model.__dict__, benchmark_=None)
    with pytest.raises(NotFitted, match="engagement benchmark"):
        BatchFraudScorer(unbenchmarked)
