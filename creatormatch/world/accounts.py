"""Follower and commenter samples: (n, m) arrays of profile fields of sampled accounts.

Fakes look like the fake accounts of the public Instagram fake-account data sets: no picture, few
posts, few followers, many followings, digits in the username, empty bio and name. At low fraud
intensity some bought accounts are "premium" fakes with real-looking profiles.
"""

from __future__ import annotations

import numpy as np

from creatormatch.world.creators import Columns
from creatormatch.world.fraud import A
from creatormatch.world.params import COMMENTER_SAMPLE, FOLLOWER_SAMPLE


def draw_accounts(rng: np.random.Generator, fake: np.ndarray) -> dict[str, np.ndarray]:
    """Profiles for a boolean (n, m) mask of fake accounts; each field drawn for real and fake."""
    shape = fake.shape

    def pick(real: np.ndarray, bot: np.ndarray, dtype: type = np.int32) -> np.ndarray:
        return np.where(fake, bot, real).astype(dtype)

    def logn(median: float, sigma: float, cap: float = 1e9) -> np.ndarray:
        return np.clip(rng.lognormal(np.log(median), sigma, shape), 0, cap)

    def sometimes(p_empty: float, low: int, high: int) -> np.ndarray:
        return np.where(rng.random(shape) < p_empty, 0, rng.integers(low, high, shape))

    return {
        "followers": pick(logn(350, 1.2), logn(15, 1.0)),
        "following": pick(logn(450, 0.9, 7_500), logn(1_500, 0.7, 7_500)),
        "posts": pick(logn(90, 1.3), rng.geometric(0.4, shape) - 1),
        "pic": pick(rng.random(shape) < 0.93, rng.random(shape) < 0.3, bool),
        "private": pick(rng.random(shape) < 0.35, rng.random(shape) < 0.15, bool),
        "bio": pick(sometimes(0.35, 5, 150), sometimes(0.85, 1, 40), np.int16),
        "name": pick(sometimes(0.1, 4, 22), sometimes(0.6, 3, 12), np.int16),
        "url": pick(rng.random(shape) < 0.08, rng.random(shape) < 0.01, bool),
        "seed": rng.integers(0, 2**62, shape, dtype=np.int64),
        "fake": fake,
    }


def draw_samples(rng: np.random.Generator, cols: Columns, s: float) -> None:
    n = cols["niche"].shape[0]
    premium = rng.random((n, FOLLOWER_SAMPLE)) < 0.5 * (1.0 - min(s, 1.0))
    fake = rng.random((n, FOLLOWER_SAMPLE)) < cols["fake_share"][:, None]
    looks_fake = fake & ~(premium & (cols["bought_share"][:, None] > 0))
    cols["followers_sample"] = draw_accounts(rng, looks_fake)
    bots = np.where(
        cols["archetype"] == A["bot_comments"], cols["bot_share"], cols["fake_share"] / 2
    )
    commenter_fake = rng.random((n, COMMENTER_SAMPLE)) < bots[:, None]
    cols["commenters_sample"] = draw_accounts(rng, commenter_fake)
    cols["sample_size"] = rng.integers(30, FOLLOWER_SAMPLE + 1, n)
