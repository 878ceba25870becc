"""The batch route to the fraud model's inputs equals the per-record one, value for value."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from creatormatch.features import (
    FRAUD_SIGNALS,
    Comment,
    CreatorRecord,
    EngagementBenchmark,
    FollowerPoint,
    Post,
    SampledAccount,
    benchmark_frame,
    fraud_context,
    fraud_evidence,
    fraud_signal_batch,
    fraud_signal_frame,
)
from creatormatch.world import synthetic_fraud_data

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _series(days: int, *, jump_on: int | None = None, step: int = 40) -> list[FollowerPoint]:
    return [
        FollowerPoint(
            day=date(2026, 3, 1) + timedelta(days=d),
            followers=20_000 + step * d + (9_000 if jump_on is not None and d >= jump_on else 0),
            following=500 + (60 if d % 3 == 0 else -40) * (d % 2),
        )
        for d in range(days)
    ]


def _lagged_records() -> list[CreatorRecord]:
    """Comment lags at their edges: a post id posted twice (the later time counts) and once more
    without a time, a comment exactly 10 minutes in, one before its post, one on a post the record
    lacks, one without a time; and the same creator with naive times."""
    hour = timedelta(hours=1)
    posts = [
        Post(post_id="r0", posted_at=START, likes=100, comments=5),
        Post(post_id="r0", posted_at=START + hour, likes=120, comments=6),
        Post(post_id="r0", likes=90, comments=4),
        Post(post_id="r1", posted_at=START + 48 * hour, likes=80, comments=3),
        Post(post_id="r2", posted_at=START + 96 * hour, likes=70, comments=3),
    ]
    after = [("r0", hour, (10, 11, 0, -55)), ("r1", 48 * hour, (1, 9, 30, 60)),
             ("r2", 96 * hour, (2, 10, 45)), ("gone", hour, (5,))]  # fmt: skip
    comments = [
        Comment(post_id=post, commenter=f"f{post}{m}", text=f"comment {post} {m}",
                commented_at=START + at + timedelta(minutes=m))
        for post, at, minutes in after for m in minutes
    ]  # fmt: skip
    comments.append(Comment(post_id="r1", commenter="late", text="no time", commented_at=None))
    aware = CreatorRecord(creator_id="lagged", followers=8_000, posts=posts, comments=comments)

    def naive(t: datetime | None) -> datetime | None:
        return None if t is None else t.replace(tzinfo=None)

    return [
        aware,
        aware.model_copy(
            update={
                "creator_id": "lagged-naive",
                "posts": [p.model_copy(update={"posted_at": naive(p.posted_at)}) for p in posts],
                "comments": [
                    c.model_copy(update={"commented_at": naive(c.commented_at)}) for c in comments
                ],
            }
        ),
    ]


def _edge_records() -> list[CreatorRecord]:
    """Records at the edges of every rule: missing blocks, too little evidence, ties, unsorted
    and repeated days, zero counts, a pod, repeated and empty comment texts."""
    posts = [
        Post(post_id=f"p{i}", posted_at=START + timedelta(days=2 * i), likes=900 + 40 * i,
             comments=30 + i, views=None if i % 4 == 0 else 0 if i % 4 == 1 else 9_000)
        for i in range(8)
    ]  # fmt: skip
    pod = [
        Comment(post_id=p.post_id, commenter=f"pod{k}", text="nice pic 🔥",
                commented_at=START + timedelta(days=2 * i, minutes=k + 1))
        for i, p in enumerate(posts) for k in range(3)
    ]  # fmt: skip
    texts = ["", "🔥🔥", "where is this?", "  "]  # empty, emoji-only, a question, blank
    varied = [
        Comment(post_id=p.post_id, commenter=f"fan{i}{k}", text=texts[k],
                commented_at=None if k == 2 else START + timedelta(days=2 * i, hours=k))
        for i, p in enumerate(posts) for k in range(4)
    ]  # fmt: skip
    shuffled = _series(40, jump_on=25)
    lagged = _lagged_records()
    shuffled = [*shuffled[20:], *shuffled[:20], shuffled[5]]  # out of order, one day twice
    return [
        CreatorRecord(creator_id="bare"),
        CreatorRecord(creator_id="zero", followers=0, following=10, posts=posts),
        CreatorRecord(creator_id="no-followers", posts=posts, comments=varied[:9]),
        CreatorRecord(
            creator_id="full", platform="tiktok", language="pt-BR", country="BR",
            followers=21_000, following=480, posts=posts, follower_series=shuffled,
            comments=[*pod, *varied], follower_sample=[SampledAccount(followers=3)] * 30,
        ),
        CreatorRecord(creator_id="short", followers=5_000, follower_series=_series(13)),
        CreatorRecord(
            creator_id="likes-only", platform="youtube", followers=2**62,
            posts=[Post(post_id=f"q{i}", likes=10**i) for i in range(5)],
            follower_series=[p.model_copy(update={"following": None}) for p in _series(20)],
        ),
        CreatorRecord(
            creator_id="sponsored", followers=9_000,
            posts=[Post(post_id=f"s{i}", is_sponsored=i % 2 == 0, likes=300) for i in range(4)],
        ),
        *lagged,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def population() -> tuple[list[CreatorRecord], EngagementBenchmark]:
    records, _ = synthetic_fraud_data(seed=3, n_creators=400, intensities=(1.0,))
    records = [*records, *_edge_records()]
    return records, EngagementBenchmark().fit(benchmark_frame(records))


def _assert_same_signals(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    assert list(got.columns) == list(FRAUD_SIGNALS) and list(got.index) == list(expected.index)
    for column in FRAUD_SIGNALS:
        a, b = expected[column].to_numpy(), got[column].to_numpy()
        assert np.array_equal(np.isnan(a), np.isnan(b)), column
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12, err_msg=column)


def test_batch_signals_context_and_evidence_equal_the_per_record_ones(population) -> None:
    records, benchmark = population
    batch = fraud_signal_batch(records, benchmark=benchmark)
    _assert_same_signals(fraud_signal_frame(records, benchmark=benchmark), batch.frame)
    pd.testing.assert_frame_equal(batch.context, fraud_context(records))
    for i, record in enumerate(records):
        assert batch.evidence(i) == fraud_evidence(record, benchmark=benchmark), record.creator_id


def test_edge_records_exercise_the_rules_they_are_built_for(population) -> None:
    records, benchmark = population
    batch = fraud_signal_batch(records, benchmark=benchmark)
    full = batch.frame.loc["full"]
    assert full["pod_size"] == 3 and full["unexplained_jumps"] >= 1
    assert batch.frame.loc["bare"].isna().all()
    assert np.isnan(batch.frame.loc["short", "max_growth_z"])
    assert batch.evidence(records.index(next(r for r in records if r.creator_id == "full"))).jumps
    # 7 of the 11 comments with a known lag come within 10 minutes of the later "r0"; read from
    # the first "r0" only 5 would.
    assert (
        batch.frame.loc[["lagged", "lagged-naive"], "fast_comment_share"].tolist() == [7 / 11] * 2
    )


def test_quality_shares_reach_the_batch_by_creator_id(population) -> None:
    records, benchmark = population
    ids = [r.creator_id for r in records]
    quality = pd.DataFrame(
        {"audience_fake_share": np.linspace(0, 1, len(ids))}, index=pd.Index(ids[::-1])
    )
    batch = fraud_signal_batch(records, benchmark=benchmark, quality=quality)
    _assert_same_signals(
        fraud_signal_frame(records, benchmark=benchmark, quality=quality), batch.frame
    )
    assert batch.frame["commenter_fake_share"].isna().all()


def test_an_empty_batch_has_every_column_and_no_row(population) -> None:
    _, benchmark = population
    batch = fraud_signal_batch([], benchmark=benchmark)
    assert batch.frame.shape == (0, len(FRAUD_SIGNALS)) and batch.context.empty
