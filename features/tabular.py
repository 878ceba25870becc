"""Profile and engagement features of one creator: pure functions, NaN for what is unknown."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

import pandas as pd

from creatormatch.features.records import CreatorRecord
from creatormatch.features.taxonomy import TIERS

NAN = float("nan")
TIER_CODES = {name: code for code, name in enumerate(TIERS)}


def _num(value: float | int | bool | None) -> float:
    return NAN if value is None else float(value)


def _median(values: Sequence[float | None]) -> float:
    known = [float(v) for v in values if v is not None]
    return median(known) if known else NAN


def _log1p(value: float) -> float:
    return math.log1p(value) if value == value else NAN


def engagement_rate(record: CreatorRecord) -> float:
    """Median over posts of (likes + comments) / followers; NaN without followers or posts."""
    if not record.followers or not record.posts:
        return NAN
    per_post = [
        ((p.likes or 0) + (p.comments or 0)) / record.followers
        for p in record.posts
        if p.likes is not None or p.comments is not None
    ]
    return median(per_post) if per_post else NAN


def _posts_per_week(record: CreatorRecord) -> float:
    times = sorted(p.posted_at for p in record.posts if p.posted_at is not None)
    if len(times) < 2:
        return NAN
    days = (times[-1] - times[0]).total_seconds() / 86_400
    return (len(times) - 1) / days * 7 if days > 0 else NAN


def _sponsored_share(record: CreatorRecord) -> float:
    flags = [p.is_sponsored for p in record.posts if p.is_sponsored is not None]
    return sum(flags) / len(flags) if flags else NAN


def profile_features(record: CreatorRecord) -> dict[str, float]:
    followers, following = _num(record.followers), _num(record.following)
    tier = next((code for name, code in TIER_CODES.items() if followers < TIERS[name][1]), NAN)
    return {
        "followers": followers,
        "log_followers": _log1p(followers),
        "following": following,
        "following_per_follower": following / followers if followers > 0 else NAN,
        "posts_count": _num(record.posts_count),
        "tier": tier if followers == followers else NAN,
        "is_verified": _num(record.is_verified),
        "is_business": _num(record.is_business),
        "has_profile_pic": _num(record.has_profile_pic),
        "has_external_url": NAN
        if record.external_url is None
        else float(bool(record.external_url)),
        "bio_length": NAN if record.bio is None else float(len(record.bio)),
        "price_per_post": _num(record.price_per_post),
    }


def engagement_features(record: CreatorRecord) -> dict[str, float]:
    return {
        "engagement_rate": engagement_rate(record),
        "median_likes": _median([p.likes for p in record.posts]),
        "median_comments": _median([p.comments for p in record.posts]),
        "median_views": _median([p.views for p in record.posts]),
        "posts_per_week": _posts_per_week(record),
        "sponsored_share": _sponsored_share(record),
        "n_posts_sampled": float(len(record.posts)),
    }


def tabular_frame(records: Sequence[CreatorRecord]) -> pd.DataFrame:
    """(n_creators, n_features) float64 frame indexed by creator_id."""
    rows = [profile_features(r) | engagement_features(r) for r in records]
    frame = pd.DataFrame(rows, index=pd.Index([r.creator_id for r in records], name="creator_id"))
    return frame.astype("float64")
