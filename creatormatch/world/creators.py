"""Creator profiles as columns: platform, niche, country, heavy-tailed followers, prices.

Every function draws whole columns at once; `n` creators → arrays of shape (n,).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from creatormatch.features import COUNTRIES, INTERESTS
from creatormatch.world.languages import COUNTRY_WEIGHT
from creatormatch.world.params import PARETO_ALPHA, PLATFORM_SHARE, TIER_BOUNDS, TIER_SHARE

Columns = dict[str, Any]  # name → (n, ...) array; the account samples are dicts of arrays
# Niche weights: the Kim et al. lifestyle niches dominate creator populations.
NICHE_WEIGHT = np.array([12, 14, 10, 11, 10, 7, 6, 6, 5, 5, 3, 3, 2, 3, 3, 2], dtype=float)
VERIFIED_BY_TIER = np.array([0.005, 0.03, 0.25, 0.70])
PRICE_PER_1K = {0: 10.0, 1: 12.0, 2: 20.0}  # USD per 1k followers by platform index


def pareto_within(rng: np.random.Generator, tier: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Followers from a Pareto(alpha) density truncated to each creator's tier bounds."""
    low = np.array([b[0] for b in TIER_BOUNDS])[tier]
    high = np.array([b[1] for b in TIER_BOUNDS])[tier]
    u = rng.random(tier.shape[0])
    ratio = (low / high) ** PARETO_ALPHA
    return np.floor(low * (1.0 - u * (1.0 - ratio)) ** (-1.0 / PARETO_ALPHA)).astype(np.int64)


def draw_profiles(rng: np.random.Generator, n: int) -> Columns:
    country_p = np.array([COUNTRY_WEIGHT[c] for c in COUNTRIES])
    niche = rng.choice(len(INTERESTS), n, p=NICHE_WEIGHT / NICHE_WEIGHT.sum())
    second = rng.choice(len(INTERESTS), n, p=NICHE_WEIGHT / NICHE_WEIGHT.sum())
    second = np.where((rng.random(n) < 0.4) & (second != niche), second, -1)
    tier = rng.choice(4, n, p=np.array(TIER_SHARE) / sum(TIER_SHARE))
    return {
        "platform": rng.choice(3, n, p=PLATFORM_SHARE),
        "niche": niche,
        "second": second,
        "country": rng.choice(len(COUNTRIES), n, p=country_p / country_p.sum()),
        "organic": pareto_within(rng, tier),
        "following": np.clip(rng.lognormal(np.log(600), 1.0, n), 5, 7_500).astype(np.int64),
        "posts_count": (12 + rng.lognormal(np.log(350), 0.9, n)).astype(np.int64),
        "age_days": np.clip(rng.lognormal(np.log(1_500), 0.6, n), 200, 5_000).astype(np.int64),
        "is_business": rng.random(n) < 0.35,
        "has_profile_pic": rng.random(n) < 0.985,
        "has_url": rng.random(n) < 0.5,
        "has_price": rng.random(n) >= 0.15,
        "price_noise": rng.lognormal(0.0, 0.35, n),
        "verified_u": rng.random(n),
        "er_noise": rng.lognormal(0.0, 0.45, n),
        "text_seed": rng.integers(0, 2**62, n, dtype=np.int64),
        "local_u": rng.random(n),
    }


def finish_profiles(cols: Columns) -> None:
    """Columns that depend on the final follower count (after fraud inflated it)."""
    followers = cols["followers"]
    tier = np.searchsorted([10_000, 100_000, 1_000_000], followers, side="right")
    cols["tier"] = tier
    cols["is_verified"] = cols["verified_u"] < VERIFIED_BY_TIER[tier]
    per_1k = np.select([cols["platform"] == p for p in PRICE_PER_1K], list(PRICE_PER_1K.values()))
    price = per_1k * (followers / 1_000) ** 0.95 * cols["price_noise"]
    cols["price"] = np.round(np.maximum(price, 20.0), 2)
