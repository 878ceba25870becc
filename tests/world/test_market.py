import numpy as np
import pytest

from creatormatch.world import TIER_NAMES, World, WorldParams, generate_world


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(WorldParams(n_creators=20_000, seed=9, n_brands=5))


def test_follower_counts_are_heavy_tailed_with_most_creators_nano_or_micro(world: World) -> None:
    tiers = np.bincount(world.columns["tier"], minlength=4) / len(world)
    assert tiers[0] > 0.55 and tiers[0] + tiers[1] > 0.88
    assert tiers[0] > tiers[1] > tiers[2] > tiers[3] > 0
    followers = world.columns["followers"]
    assert followers.mean() > 5 * np.median(followers)  # a mean far above the median: heavy tail


def _creator_er(world: World) -> np.ndarray:
    engaged = world.columns["likes"] + world.columns["comments"]
    return np.median(engaged, axis=1) / world.columns["followers"]


@pytest.mark.parametrize("platform", [0, 1, 2])
def test_median_engagement_rate_falls_with_tier_on_every_platform(
    world: World, platform: int
) -> None:
    er = _creator_er(world)
    honest = (world.columns["archetype"] == 0) & (world.columns["platform"] == platform)
    medians = [np.median(er[honest & (world.columns["tier"] == t)]) for t in range(3)]
    assert medians[0] > medians[1] > medians[2], dict(zip(TIER_NAMES, medians, strict=False))


def test_instagram_engagement_matches_published_benchmarks(world: World) -> None:
    er = _creator_er(world)
    ig = (world.columns["archetype"] == 0) & (world.columns["platform"] == 0)
    nano = np.median(er[ig & (world.columns["tier"] == 0)])
    macro = np.median(er[ig & (world.columns["tier"] == 2)])
    assert 0.025 < nano < 0.06 and 0.01 < macro < 0.025
    tiktok = (world.columns["archetype"] == 0) & (world.columns["platform"] == 1)
    assert np.median(er[tiktok]) > np.median(er[ig])


def test_audiences_follow_the_creators_country_and_niche(world: World) -> None:
    cols = world.columns
    n = np.arange(len(world))
    own_country = cols["aud_countries"][n, cols["country"]]
    own_niche = cols["aud_interests"][n, cols["niche"]]
    assert np.median(own_country) > 0.4 and np.median(own_niche) > 0.3
    beauty, gaming = cols["niche"] == 0, cols["niche"] == 9
    female = cols["aud_genders"][:, 0]
    assert female[beauty].mean() > 0.7 > 0.35 > female[gaming].mean()


@pytest.mark.slow
def test_a_hundred_thousand_creators_generate_in_memory_with_unique_ids_and_every_tier() -> None:
    world = generate_world(WorldParams(n_creators=100_000, seed=1, n_brands=10))
    assert len(world.labels) == 100_000
    assert world.labels["creator_id"].is_unique
    assert set(np.unique(world.columns["tier"])) == set(range(len(TIER_NAMES)))
