"""Posts (likes, comments, views, times) and the daily follower series, as (n, k) arrays.

Engagement is computed on *organic* followers: ER(f) = ER_1K[platform] * (f/1000)^-ER_DECAY, times
a creator factor and a post factor (both log-normal). Fraud then adds what was bought.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from creatormatch.world.creators import Columns
from creatormatch.world.fraud import A
from creatormatch.world.params import (
    COMMENT_SHARE,
    ER_1K,
    ER_DECAY,
    N_POSTS,
    PLATFORMS,
    SERIES_DAYS,
    VIEW_REACH,
)

CADENCE_DAYS = np.array([3.0, 1.5, 7.0])  # mean days between posts per platform index
VIDEO_SHARE = np.array([0.35, 1.0, 1.0])


def _by_platform(cols: Columns, table: dict[str, float]) -> npt.NDArray[np.float64]:
    return np.array([table[p] for p in PLATFORMS])[cols["platform"]]


def draw_posts(rng: np.random.Generator, cols: Columns) -> None:
    n, k = cols["niche"].shape[0], N_POSTS
    gaps = rng.exponential(CADENCE_DAYS[cols["platform"]][:, None], (n, k))
    age = np.cumsum(gaps, axis=1) - gaps[:, :1] + rng.exponential(1.5, (n, 1))  # (n, k) days ago
    organic = cols["organic"].astype(np.float64)
    er = _by_platform(cols, ER_1K) * (organic / 1_000) ** -_by_platform(cols, ER_DECAY)
    engaged = organic[:, None] * er[:, None] * cols["er_noise"][:, None]
    engaged = engaged * rng.lognormal(0.0, 0.35, (n, k))
    c_share = _by_platform(cols, COMMENT_SHARE)[:, None] * rng.lognormal(0.0, 0.5, (n, k))
    c_share = c_share * np.where(cols["archetype"] == A["niche_high_engagement"], 2.0, 1.0)[:, None]
    likes, comments = engaged * (1 - c_share), engaged * c_share
    views = organic[:, None] * _by_platform(cols, VIEW_REACH)[:, None]
    views = views * rng.lognormal(0.0, np.where(cols["platform"] == 1, 0.9, 0.5)[:, None], (n, k))
    boosted = rng.random((n, k)) < 0.8
    likes = likes * np.where(boosted, cols["like_boost"][:, None], 1.0)
    comments = comments * (1.0 + 2.0 * cols["bot_share"][:, None])
    viral = _viral_post(rng, cols, age)
    lift = np.where(viral, rng.uniform(6.0, 20.0, (n, 1)), 1.0)
    cols["post_age"] = age
    cols["likes"] = np.round(likes * lift).astype(np.int64)
    cols["comments"] = np.round(comments * np.sqrt(lift)).astype(np.int64)
    cols["views"] = np.maximum(np.round(views * lift), 3 * cols["likes"]).astype(np.int64)
    cols["is_video"] = rng.random((n, k)) < VIDEO_SHARE[cols["platform"]][:, None]
    cols["is_sponsored"] = rng.random((n, k)) < np.where(cols["tier"] >= 2, 0.15, 0.07)[:, None]
    cols["post_seed"] = rng.integers(0, 2**62, (n, k), dtype=np.int64)
    cols["post_local"] = rng.random((n, k))


def _viral_post(
    rng: np.random.Generator, cols: Columns, age: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """(n, k) mask: one post 5-70 days old per viral_spike creator (the youngest such if none)."""
    eligible = (age >= 5) & (age <= 70)
    pick = np.argmax(np.where(eligible, rng.random(age.shape), -1.0), axis=1)
    pick = np.where(eligible.any(axis=1), pick, 0)
    mask = np.zeros(age.shape, dtype=bool)
    is_viral = cols["archetype"] == A["viral_spike"]
    mask[np.flatnonzero(is_viral), pick[is_viral]] = True
    cols["viral_day"] = np.where(
        is_viral, SERIES_DAYS - 1 - np.floor(age[np.arange(len(pick)), pick]), -1
    )
    return mask


def draw_series(rng: np.random.Generator, cols: Columns, s: float) -> None:
    """Daily followers and following over SERIES_DAYS, built backwards from today's counts."""
    n, d = cols["niche"].shape[0], SERIES_DAYS
    rate = rng.lognormal(np.log(0.0012), 0.6, n)
    rate = np.where(cols["archetype"] == A["fast_growth"], rng.uniform(0.01, 0.03, n), rate)
    final = cols["followers"].astype(np.float64)
    gain = final[:, None] * rate[:, None] * (1.0 + 0.5 * rng.standard_normal((n, d)))
    day = np.arange(d)[None, :]
    viral = cols["viral_day"][:, None]
    spike = (
        ((day == viral + 1) | (day == viral + 2)) * final[:, None] * rng.uniform(0.03, 0.12, (n, 1))
    )
    gain = gain + spike + _delivery(rng, cols, s)
    followers = final[:, None] - np.cumsum(gain[:, ::-1], axis=1)[:, ::-1] + gain
    cols["series_followers"] = np.maximum(np.round(followers), 0).astype(np.int32)
    phase = (day + rng.integers(0, 14, (n, 1))) % rng.integers(7, 15, (n, 1))
    churn = cols["churn_amp"][:, None] * np.where(phase < 4, phase / 4.0, 0.0)
    walk = np.cumsum(rng.integers(-3, 4, (n, d)), axis=1)
    following = cols["following"][:, None] - walk[:, -1:] + walk + churn
    cols["series_following"] = np.maximum(np.round(following), 0).astype(np.int32)
    cols["series_days"] = rng.integers(60, d + 1, n)


def _delivery(rng: np.random.Generator, cols: Columns, s: float) -> npt.NDArray[np.float64]:
    """(n, d) bought-follower deliveries: all of it within 1-3 days at s=1, dripped when subtle."""
    n, d = cols["niche"].shape[0], SERIES_DAYS
    width = rng.integers(1, 4, n) * max(1, round(1.0 / s))
    start = rng.integers(25, d - 5, n)
    day = np.arange(d)[None, :]
    window = (day >= start[:, None]) & (day < (start + width)[:, None])
    bought = cols["followers"] * cols["bought_share"] * rng.uniform(0.6, 1.0, n)
    return window * (bought / width)[:, None]
