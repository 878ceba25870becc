"""Archetypes: who buys followers, likes, pods or bot comments, and the legitimate look-alikes.

`fraud_intensity` (s) scales every fraud signal: bought shares, inflation factors, how tightly a
pod comments, how concentrated a follower delivery is. s = 0.25 gives subtle fraud.
"""

from __future__ import annotations

import numpy as np

from creatormatch.world.creators import Columns
from creatormatch.world.params import ARCHETYPES, PREVALENCE

A = {name: i for i, name in enumerate(ARCHETYPES)}


def assign_archetypes(rng: np.random.Generator, cols: Columns, s: float) -> None:
    n = cols["niche"].shape[0]
    p = np.array([1.0 - sum(PREVALENCE.values()), *PREVALENCE.values()])
    arch = rng.choice(len(ARCHETYPES), n, p=p)
    cols["archetype"] = arch
    niche_small = arch == A["niche_high_engagement"]
    cols["organic"] = np.where(niche_small, rng.integers(1_000, 6_000, n), cols["organic"])
    young = arch == A["fast_growth"]
    cols["age_days"] = np.where(young, rng.integers(60, 300, n), cols["age_days"])
    # Baseline fake followers every account has (Beta mean ~8 %), plus what was bought.
    base_fake = rng.beta(2.0, 22.0, n)
    bought = np.where(
        arch == A["bought_followers"], np.clip(rng.uniform(0.25, 0.6, n) * s, 0, 0.8), 0
    )
    cols["bought_share"] = bought
    cols["fake_share"] = base_fake + bought * (1.0 - base_fake)
    cols["followers"] = np.round(cols["organic"] / (1.0 - bought)).astype(np.int64)
    churn = arch == A["follow_churn"]
    cols["churn_amp"] = np.where(churn, rng.uniform(800, 3_000, n) * s, 0.0)
    cols["following"] = np.where(churn, cols["following"] + 2_000 * s, cols["following"]).astype(
        np.int64
    )
    cols["like_boost"] = np.where(
        arch == A["bought_likes"], 1.0 + rng.uniform(1.5, 4.0, n) * s, 1.0
    )
    cols["bot_share"] = np.where(
        arch == A["bot_comments"], np.clip(rng.uniform(0.4, 0.9, n) * min(1.0, 0.3 + s), 0, 1), 0.0
    )
    cols["pod_cover"] = np.where(arch == A["engagement_pod"], min(0.95, 0.45 + 0.5 * s), 0.0)
    cols["er_noise"] = cols["er_noise"] * np.select(
        [niche_small, young], [rng.uniform(2.5, 4.0, n), 1.3], 1.0
    )
