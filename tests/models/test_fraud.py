import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.errors import ArtifactError, IntegrityError, InvalidInput
from features.engagement import EngagementBenchmark
from features.fraud_signals import benchmark_frame, fraud_signal_frame
from features.reading import read_records
from features.records import Comment, CreatorRecord, FraudLabel
from models.fraud import FraudModel, precision_threshold
from training.fraud import evaluate_fraud, train_fraud

from creatormatch.world import WorldParams, generate_world

TRAIN_SEED, HELD_OUT_SEED = 11, 12


def _world(directory: Path, *, seed: int, intensity: float) -> tuple[list[CreatorRecord], pd.DataFrame]:
    generate_world(WorldParams(seed=seed, fraud_intensity=intensity, n_creators=1_500), directory)
    records = list(read_records(directory / "creators.jsonl"))
    return records, pd.read_csv(directory / "fraud_labels.csv")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory):
    records, labels = _world(tmp_path_factory.mktemp("train"), seed=TRAIN_SEED, intensity=1.0)
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, benchmark=benchmark)
    return model, records, labels, frame


def _clean(trained) -> CreatorRecord:
    """A legitimate creator the model is sure about, with a follower series and posts."""
    model, records, labels, frame = trained
    honest = set(labels.loc[labels["archetype"].fillna("none") == "none", "creator_id"])
    p = pd.Series(model.predict_proba(frame), index=frame.index)
    usable = [
        r for r in records
        if r.creator_id in honest and r.follower_series and len(r.posts) >= 5 and p[r.creator_id] < 0.05
    ]  # fmt: skip
    return usable[0]


def with_follower_jump(record: CreatorRecord, *, share: float = 0.4) -> CreatorRecord:
    """Followers jump by `share` overnight in mid-series, and no post goes up near that day."""
    assert record.follower_series is not None
    series = sorted(record.follower_series, key=lambda p: p.day)
    at = len(series) // 2
    gain = int(share * series[at].followers) + 500
    jumped = [p.model_copy(update={"followers": p.followers + gain}) if i >= at else p for i, p in enumerate(series)]
    day = series[at].day
    posts = [p for p in record.posts if p.posted_at is None or abs((p.posted_at.date() - day).days) > 3]
    return record.model_copy(update={"follower_series": jumped, "posts": posts})


def with_pod(record: CreatorRecord, *, size: int = 15, minutes: float = 3.0) -> CreatorRecord:
    """The same `size` accounts comment on every post within `minutes` of posting."""
    pod = [
        Comment(
            post_id=p.post_id,
            commenter=f"pod_member_{k}",
            text="great content 🔥",
            commented_at=p.posted_at + timedelta(minutes=minutes * (k + 1) / size),
        )
        for p in record.posts
        if p.posted_at is not None
        for k in range(size)
    ]
    return record.model_copy(update={"comments": [*(record.comments or []), *pod]})
