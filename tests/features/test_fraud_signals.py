import json
import math
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import ArtifactError, InvalidInput
from creatormatch.features import (
    FRAUD_SIGNALS,
    Comment,
    CreatorRecord,
    EngagementBenchmark,
    FollowerPoint,
    Post,
    SampledAccount,
    benchmark_frame,
    bin_label,
    comment_signals,
    follower_bin,
    follower_jumps,
    fraud_context,
    fraud_evidence,
    fraud_signal_frame,
    is_generic,
)

START = datetime(2026, 1, 1, 12, 0)
WORDS = ("where", "did", "you", "get", "that", "jacket", "recipe", "please", "trip", "colour")


def clean_creator(creator_id: str, *, seed: int = 0, followers: int = 25_000) -> CreatorRecord:
    """A plausible honest creator: steady growth, ~3% engagement, varied one-off commenters."""
    rng = np.random.default_rng(seed)
    posts = [
        Post(
            post_id=f"{creator_id}-p{i}",
            posted_at=START + timedelta(days=3 * i),
            likes=int(followers * 0.03 * rng.lognormal(0, 0.3)),
            comments=int(followers * 0.0015 * rng.lognormal(0, 0.3)),
            views=int(followers * 0.3 * rng.lognormal(0, 0.3)),
            is_sponsored=bool(i % 5 == 0),
        )
        for i in range(20)
    ]
    gains = rng.normal(30, 8, size=60).round().astype(int)
    series = [
        FollowerPoint(
            day=date(2026, 1, 1) + timedelta(days=d),
            followers=followers - int(gains[d:].sum()),
            following=400 + int(rng.integers(-3, 4)),
        )
        for d in range(60)
    ]
    comments = [
        Comment(
            post_id=p.post_id,
            commenter=f"fan{rng.integers(0, 100_000)}",
            text=" ".join(rng.choice(WORDS, size=5)),
            commented_at=p.posted_at + timedelta(minutes=float(rng.exponential(600))),  # type: ignore[operator]
        )
        for p in posts
        for _ in range(8)
    ]
    return CreatorRecord(
        creator_id=creator_id,
        platform="instagram",
        country="US",
        followers=followers,
        following=400,
        posts=posts,
        follower_series=series,
        comments=comments,
    )


def with_follower_jump(record: CreatorRecord, *, day: int = 40, gain: int = 8_400) -> CreatorRecord:
    """Add `gain` followers overnight on `day`, with no post that could explain it."""
    assert record.follower_series is not None
    series = [
        p.model_copy(update={"followers": p.followers + gain}) if i >= day else p
        for i, p in enumerate(record.follower_series)
    ]
    posts = [p for p in record.posts if p.posted_at and abs((p.posted_at - START).days - day) > 3]
    return record.model_copy(update={"follower_series": series, "posts": posts})


def with_pod(record: CreatorRecord, *, size: int = 15, minutes: float = 3.0) -> CreatorRecord:
    """The same `size` accounts comment "nice pic 🔥" on every post within `minutes`."""
    pod = [
        Comment(
            post_id=p.post_id,
            commenter=f"pod{k}",
            text="nice pic 🔥",
            commented_at=p.posted_at + timedelta(minutes=minutes * (k + 1) / size),  # type: ignore[operator]
        )
        for p in record.posts
        for k in range(size)
    ]
    return record.model_copy(update={"comments": [*(record.comments or []), *pod]})


@pytest.fixture(scope="module")
def benchmark() -> EngagementBenchmark:
    population = [clean_creator(f"c{i}", seed=i, followers=25_000 + 50 * i) for i in range(40)]
    return EngagementBenchmark(min_count=30).fit(benchmark_frame(population))


def test_follower_bins_are_fine_and_labelled_in_words() -> None:
    bins = follower_bin([22_000, 28_000, 35_000, float("nan")])
    assert bins[0] == bins[1] != bins[2] and bins[3] == -1
    assert bin_label(int(bins[0])) == "20k-30k followers"


def test_benchmark_compares_engagement_with_the_same_size_bin(
    benchmark: EngagementBenchmark,
) -> None:
    base = clean_creator("x", seed=99)
    posts = [p.model_copy(update={"likes": (p.likes or 0) * 4}) for p in base.posts]
    inflated = base.model_copy(update={"creator_id": "inflated", "posts": posts})
    frame = fraud_signal_frame([base, inflated], benchmark=benchmark)
    assert 0.6 < frame.loc["x", "er_vs_benchmark"] < 1.6
    assert frame["er_vs_benchmark"].iloc[1] > 3.0 and frame["er_robust_z"].iloc[1] > 3.0


def test_benchmark_round_trips_through_json(benchmark: EngagementBenchmark, tmp_path) -> None:
    benchmark.save(tmp_path / "bench.json")
    loaded = EngagementBenchmark.load(tmp_path / "bench.json")
    record = clean_creator("x", seed=5)
    pd.testing.assert_frame_equal(
        fraud_signal_frame([record], benchmark=benchmark),
        fraud_signal_frame([record], benchmark=loaded),
    )


def test_benchmark_refuses_a_frame_without_its_columns_and_a_corrupt_file(tmp_path) -> None:
    with pytest.raises(InvalidInput, match="missing"):
        EngagementBenchmark().fit(pd.DataFrame({"followers": [1.0]}))
    (tmp_path / "bench.json").write_text("{not json")
    with pytest.raises(ArtifactError, match="cannot read"):
        EngagementBenchmark.load(tmp_path / "bench.json")


def test_a_jump_with_no_post_is_unexplained_and_dated(benchmark: EngagementBenchmark) -> None:
    record = with_follower_jump(clean_creator("x", seed=1))
    frame = fraud_signal_frame([clean_creator("y", seed=1), record], benchmark=benchmark)
    assert frame.loc["y", "unexplained_jumps"] == 0 and frame.loc["x", "unexplained_jumps"] == 1
    evidence = fraud_evidence(record, benchmark=benchmark)
    assert [j.day for j in evidence.jumps] == [date(2026, 2, 10)]
    assert 8_400 < evidence.jumps[0].gain < 8_500


def test_a_jump_right_after_a_viral_post_is_explained() -> None:
    record = with_follower_jump(clean_creator("x", seed=1))
    viral = Post(post_id="viral", posted_at=START + timedelta(days=39), likes=10**6, views=10**7)
    jumps = follower_jumps(record.model_copy(update={"posts": [*record.posts, viral]}))
    assert jumps is not None and [j.explained_by for j in jumps] == ["viral"]


@pytest.mark.parametrize(("days_before", "explained"), [(0, True), (3, True), (4, False)])
def test_a_viral_post_explains_followers_arriving_up_to_three_days_later(
    days_before: int, explained: bool
) -> None:
    """A late-evening viral post whose followers arrive over the next days (issue 13)."""
    record = with_follower_jump(clean_creator("x", seed=1))
    posted = START + timedelta(days=40 - days_before, hours=10)  # START is noon: 22:00
    viral = Post(post_id="viral", posted_at=posted, likes=10**6, views=10**7)
    jumps = follower_jumps(record.model_copy(update={"posts": [*record.posts, viral]}))
    assert jumps is not None and len(jumps) == 1
    assert (jumps[0].explained_by == "viral") is explained


def test_follow_unfollow_churn_shows_in_the_following_series(
    benchmark: EngagementBenchmark,
) -> None:
    base = clean_creator("x", seed=2)
    assert base.follower_series is not None
    churned = [
        p.model_copy(update={"following": 400 + (3_000 if (i // 5) % 2 else 0)})
        for i, p in enumerate(base.follower_series)
    ]
    record = base.model_copy(update={"creator_id": "churn", "follower_series": churned})
    frame = fraud_signal_frame([base, record], benchmark=benchmark)
    assert frame.loc["churn", "following_churn"] > 50 * frame.loc["x", "following_churn"]
    assert frame.loc["churn", "following_reversals"] >= 8


def test_a_pod_is_found_with_its_members_and_generic_comments(
    benchmark: EngagementBenchmark,
) -> None:
    record = with_pod(clean_creator("x", seed=3))
    signals = comment_signals(record)
    assert signals["pod_size"] == 15 and signals["pod_fast_share"] == 1.0
    assert comment_signals(clean_creator("y", seed=3))["pod_size"] == 0
    evidence = fraud_evidence(record, benchmark=benchmark)
    assert evidence.pod_commenters == sorted(f"pod{k}" for k in range(15))
    assert len(evidence.generic_comments) == 15 * 20


@pytest.mark.parametrize("kept", [1, 5, 9])
def test_comment_signals_from_a_handful_of_comments_are_missing_not_a_verdict(kept: int) -> None:
    record = with_pod(clean_creator("x", seed=3))
    few = record.model_copy(update={"comments": (record.comments or [])[-kept:]})
    assert all(math.isnan(v) for v in comment_signals(few).values())


def test_each_comment_share_comes_with_the_counts_it_rests_on(
    benchmark: EngagementBenchmark,
) -> None:
    record = with_pod(clean_creator("x", seed=3))
    signals = comment_signals(record)
    counts = fraud_evidence(record, benchmark=benchmark).share_counts
    n = len(record.comments or [])
    assert counts["generic_comment_share"][1] == n and counts["pod_fast_share"] == (300, 300)
    for name, (hits, total) in counts.items():
        assert signals[name] == pytest.approx(hits / total)


def test_engagement_from_fewer_than_three_posts_is_missing(benchmark: EngagementBenchmark) -> None:
    record = clean_creator("x", seed=5)
    for posts in (record.posts[:1], record.posts[:2]):
        row = fraud_signal_frame([record.model_copy(update={"posts": posts})], benchmark=benchmark)
        assert row[["engagement_rate", "likes_per_comment", "lpc_robust_z"]].isna().all(axis=None)
    three = record.model_copy(update={"posts": record.posts[:3]})
    assert fraud_signal_frame([three], benchmark=benchmark)["lpc_robust_z"].notna().all()


def test_generic_and_emoji_only_comments_are_recognised() -> None:
    assert is_generic("Nice pic!! 🔥") and is_generic("🔥🔥🔥") and is_generic("LOVE IT")
    assert not is_generic("where did you get that jacket?")


def test_a_record_without_series_or_comments_still_gets_a_row_of_nan(
    benchmark: EngagementBenchmark,
) -> None:
    bare = CreatorRecord(creator_id="bare")
    frame = fraud_signal_frame([bare], benchmark=benchmark)
    assert list(frame.columns) == list(FRAUD_SIGNALS)
    assert frame.loc["bare"].isna().all()
    no_extras = clean_creator("x", seed=4).model_copy(
        update={"follower_series": None, "comments": None}
    )
    row = fraud_signal_frame([no_extras], benchmark=benchmark).loc["x"]
    assert math.isnan(row["unexplained_jumps"]) and math.isnan(row["pod_size"])
    assert row["engagement_rate"] > 0
    assert fraud_evidence(bare, benchmark=benchmark).jumps == []


def test_account_model_columns_join_by_creator_and_stay_nan_otherwise(
    benchmark: EngagementBenchmark,
) -> None:
    quality = pd.DataFrame({"audience_fake_share": [0.62]}, index=pd.Index(["x"]))
    records = [clean_creator("x", seed=6), clean_creator("y", seed=7)]
    frame = fraud_signal_frame(records, benchmark=benchmark, quality=quality)
    assert frame.loc["x", "audience_fake_share"] == 0.62
    assert math.isnan(frame.loc["y", "audience_fake_share"])
    assert frame["commenter_fake_share"].isna().all()


# Ten comment texts, two of them generic; a Polish audience says "super" (an English filler word)
# where an English one writes something specific.
ENGLISH = [
    "where did you get that", "recipe please", "nice pic", "so where is this", "colour trip",
    "did you get that jacket", "great post", "that recipe", "share the trip", "jacket colour",
]  # fmt: skip
POLISH = ["super" if i in (1, 3) else text for i, text in enumerate(ENGLISH)]
BOUGHT = ["nice pic", "amazing", "love it", "wow", "cool", "fire", "super", "nice", "great post"]


def written(record: CreatorRecord, texts: list[str], language: str | None) -> CreatorRecord:
    comments = [
        c.model_copy(update={"text": texts[i % len(texts)]})
        for i, c in enumerate(record.comments or [])
    ]
    return record.model_copy(update={"comments": comments, "language": language})


@pytest.fixture(scope="module")
def bilingual() -> EngagementBenchmark:
    """40 creators writing in English and 40 in Polish, the same but for their filler words."""
    english = [written(clean_creator(f"en{i}", seed=i), ENGLISH, "en") for i in range(40)]
    polish = [written(clean_creator(f"pl{i}", seed=i), POLISH, "pl") for i in range(40)]
    return EngagementBenchmark().fit(benchmark_frame([*english, *polish]))


def test_generic_comments_are_judged_against_the_creators_language(
    bilingual: EngagementBenchmark,
) -> None:
    base = clean_creator("x", seed=77)
    records = [
        written(base, ENGLISH, "en").model_copy(update={"creator_id": "en"}),
        written(base, POLISH, "PL-pl").model_copy(update={"creator_id": "pl"}),
        written(base, BOUGHT[:8] + POLISH[:2], "pl").model_copy(update={"creator_id": "bought"}),
    ]
    raw = [comment_signals(r)["generic_comment_share"] for r in records]
    assert raw[:2] == pytest.approx([0.2, 0.4])  # the same audience, judged on English words
    frame = fraud_signal_frame(records, benchmark=bilingual)
    assert frame.loc[["en", "pl"], "generic_vs_language"].tolist() == pytest.approx([0.0, 0.0])
    assert frame.loc["bought", "generic_vs_language"] == pytest.approx(0.9 - 0.4)
    assert "generic_comment_share" not in frame.columns


def test_a_language_with_too_few_creators_is_judged_against_everyone(
    bilingual: EngagementBenchmark,
) -> None:
    """Swedish has no creators in the population: its baseline is the pooled median."""
    swedish = written(clean_creator("sv", seed=8), ENGLISH, "sv")
    unknown = written(clean_creator("none", seed=8), ENGLISH, None)
    frame = fraud_signal_frame([swedish, unknown], benchmark=bilingual)
    pooled = bilingual.comments_.lookup([None])[0, 0]
    assert 0.2 < pooled <= 0.4
    assert frame["generic_vs_language"].tolist() == pytest.approx([0.2 - pooled] * 2)


def test_a_benchmark_saved_without_language_baselines_is_refused(
    benchmark: EngagementBenchmark, tmp_path
) -> None:
    data = benchmark.to_json()
    del data["comments"]
    (tmp_path / "bench.json").write_text(json.dumps(data))
    with pytest.raises(ArtifactError, match="no per-language comment baseline: retrain"):
        EngagementBenchmark.load(tmp_path / "bench.json")


def test_the_fraud_context_counts_the_evidence_each_score_rests_on() -> None:
    record = clean_creator("x", seed=9).model_copy(
        update={
            "language": "PT-br",
            "follower_sample": [SampledAccount(username=f"f{i}") for i in range(7)],
        }
    )
    bare = CreatorRecord(creator_id="bare")
    context = fraud_context([record, bare])
    assert list(context.columns) == [
        "language", "country", "comments", "posts", "history_days", "sampled_followers",
    ]  # fmt: skip
    assert context.loc["x"].tolist() == ["pt", "US", 160, 20, 60, 7]
    assert context.loc["bare"].tolist() == [None, None, 0, 0, 0, 0]
