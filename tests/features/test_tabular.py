import math
from datetime import datetime, timedelta

from creatormatch.features import CreatorRecord, Post, engagement_rate, tabular_frame


def _posts(likes: list[int], comments: list[int]) -> list[Post]:
    start = datetime(2026, 1, 1)
    return [
        Post(post_id=str(i), likes=lk, comments=c, posted_at=start + timedelta(days=2 * i))
        for i, (lk, c) in enumerate(zip(likes, comments, strict=True))
    ]


def test_engagement_rate_is_median_interactions_over_followers() -> None:
    record = CreatorRecord(creator_id="a", followers=1000, posts=_posts([10, 50, 90], [0, 10, 0]))
    assert engagement_rate(record) == 0.06


def test_missing_inputs_stay_missing_never_zero() -> None:
    frame = tabular_frame([CreatorRecord(creator_id="a", bio="hi")])
    row = frame.loc["a"]
    assert math.isnan(row["followers"]) and math.isnan(row["engagement_rate"])
    assert math.isnan(row["has_profile_pic"]) and math.isnan(row["tier"])
    assert row["bio_length"] == 2


def test_tier_and_posting_rate_follow_the_record() -> None:
    record = CreatorRecord(creator_id="a", followers=25_000, posts=_posts([1, 1, 1], [0, 0, 0]))
    row = tabular_frame([record]).loc["a"]
    assert row["tier"] == 1  # micro
    assert row["posts_per_week"] == 3.5
