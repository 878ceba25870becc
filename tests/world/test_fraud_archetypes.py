import re
from collections import Counter

import numpy as np
import pytest

from creatormatch.features import CreatorRecord, is_generic
from creatormatch.world import PREVALENCE, World, WorldParams, generate_world

DIGITS = re.compile(r"\d{3,}")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(WorldParams(n_creators=40_000, seed=21, n_brands=2))


def test_archetypes_appear_at_their_documented_prevalence(world: World) -> None:
    shares = world.labels["archetype"].value_counts(normalize=True)
    for archetype, expected in PREVALENCE.items():
        assert abs(shares[archetype] - expected) < 0.006, archetype
    assert 0.15 <= world.labels["is_fraud"].mean() <= 0.21
    lookalikes = world.labels["archetype"].isin(
        ["viral_spike", "fast_growth", "niche_high_engagement"]
    )
    assert world.labels.loc[lookalikes, "is_fraud"].eq(0).all()


def _records(world: World, archetype: str, k: int = 60) -> list[CreatorRecord]:
    rows = world.labels.index[world.labels["archetype"] == archetype][:k]
    return [CreatorRecord.model_validate(next(world.records(i, i + 1))) for i in rows]


def _fake_looking(record: CreatorRecord) -> float:
    sample = record.follower_sample or []
    fake = [
        a
        for a in sample
        if not a.has_profile_pic and (a.posts or 0) < 5 and DIGITS.search(a.username or "")
    ]
    return len(fake) / len(sample)


def test_bought_followers_have_more_fake_looking_follower_samples(world: World) -> None:
    bought = np.mean([_fake_looking(r) for r in _records(world, "bought_followers")])
    honest = np.mean([_fake_looking(r) for r in _records(world, "none")])
    assert bought > 2.5 * honest


def _pod_share(record: CreatorRecord) -> float:
    """Share of commented posts on which the most regular commenter appears."""
    comments = record.comments or []
    posts = {c.post_id for c in comments}
    top = Counter(c.commenter for c in {(c.post_id, c.commenter): c for c in comments}.values())
    return top.most_common(1)[0][1] / len(posts) if comments else 0.0


def test_pods_share_commenters_across_posts_within_minutes(world: World) -> None:
    pods = _records(world, "engagement_pod")
    honest = _records(world, "none")
    assert np.median([_pod_share(r) for r in pods]) >= 0.8
    assert np.median([_pod_share(r) for r in honest]) < 0.5


def test_bot_comments_are_mostly_generic_and_duplicated(world: World) -> None:
    def generic(records: list[CreatorRecord]) -> float:
        texts = [c.text for r in records for c in r.comments or []]
        return sum(map(is_generic, texts)) / len(texts)

    assert generic(_records(world, "bot_comments")) > generic(_records(world, "none")) + 0.2


def test_follow_churn_swings_the_following_count(world: World) -> None:
    def swing(record: CreatorRecord) -> float:
        following = np.array([p.following or 0 for p in record.follower_series or []])
        return float(np.abs(np.diff(following)).sum())

    churn = np.median([swing(r) for r in _records(world, "follow_churn")])
    assert churn > 10 * np.median([swing(r) for r in _records(world, "none")])


def test_lower_intensity_gives_subtler_but_present_fraud() -> None:
    loud = generate_world(WorldParams(n_creators=5_000, seed=2, n_brands=1))
    quiet = generate_world(WorldParams(n_creators=5_000, seed=2, n_brands=1, fraud_intensity=0.25))
    bought = loud.columns["archetype"] == 1
    assert (
        0
        < quiet.columns["bought_share"][bought].mean()
        < loud.columns["bought_share"][bought].mean() / 3
    )
    likes = loud.columns["archetype"] == 2
    assert 1 < quiet.columns["like_boost"][likes].mean() < loud.columns["like_boost"][likes].mean()
