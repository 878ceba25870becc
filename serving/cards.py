"""A creator's card: the profile, engagement against the benchmark of creators like it, audience
shares, the fraud report with its evidence, and a sample of recent posts.

The benchmark is the served fraud model's (median engagement rate per platform and follower
bin, the one its engagement signals are measured against); without a fraud model it is null.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from creatormatch.core import NotFound
from creatormatch.features import CreatorRecord, Post, follower_bin, tier_of
from creatormatch.matching import Bundle, get_creator
from creatormatch.serving.schemas import FraudReportOut
from creatormatch.serving.workspace_schemas import CreatorCard, Engagement

POSTS = 6


def _benchmark(bundle: Bundle, record: CreatorRecord) -> float | None:
    """Median engagement rate of the creator's (platform, follower bin); None if unknown."""
    benchmark = None if bundle.fraud is None else bundle.fraud.benchmark_
    if benchmark is None or record.followers is None:
        return None
    bins = follower_bin(np.array([record.followers], dtype=np.float64))
    log_median = benchmark.lookup([record.platform], bins)[0, 0]  # (1, 4): log ER median first
    return None if np.isnan(log_median) else float(np.exp(log_median))


def _recent(posts: list[Post]) -> list[Post]:
    """The newest posts first; undated ones after the dated, in the record's order."""
    dated = sorted((p for p in posts if p.posted_at), key=lambda p: p.posted_at or datetime.min)
    undated = [p for p in posts if not p.posted_at]
    return [*reversed(dated), *undated][:POSTS]


def card(bundle: Bundle, creator_id: str) -> CreatorCard:
    view = get_creator(bundle.catalog, creator_id)  # NotFound for an unknown creator
    records = bundle.catalog.records([creator_id])  # with its posts, which the view leaves out
    if not records:  # deleted between the two reads
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    record = records[0]
    rate, benchmark = view.features.get("engagement_rate"), _benchmark(bundle, record)
    versus = rate / benchmark if rate is not None and benchmark else None
    return CreatorCard(
        creator_id=record.creator_id, handle=record.handle, platform=record.platform,
        tier=tier_of(record.followers), followers=record.followers,
        price_per_post=record.price_per_post,
        engagement=Engagement(rate=rate, benchmark=benchmark, versus_benchmark=versus),
        audience=record.audience,
        fraud=None if view.fraud is None else FraudReportOut.model_validate(view.fraud),
        posts=_recent(record.posts or []),
    )  # fmt: skip
