"""The fraud model's inputs: named numeric signals per creator, and the evidence behind them.

`fraud_signal_frame` turns records into one row of FRAUD_SIGNALS per creator (NaN where the record
does not say); `fraud_evidence` lists the concrete days, posts, commenters and comments that a
reviewer can check. Both read the same per-signal functions (features/engagement.py, growth.py,
comments.py); only the comparisons with the population (the size benchmark, the per-language
comment baseline) are vectorised over the whole frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creatormatch.features.comment_baseline import LANGUAGE_SHARES, VS_LANGUAGE, language_code
from creatormatch.features.comments import (
    COMMENT_SIGNALS,
    comment_counts,
    comment_signals,
    is_generic,
    pod_members,
)
from creatormatch.features.engagement import (
    EngagementBenchmark,
    engagement_signals,
    follower_bin,
    post_engagement,
)
from creatormatch.features.evidence import evidence_counts
from creatormatch.features.growth import GROWTH_SIGNALS, Jump, follower_jumps, growth_signals
from creatormatch.features.records import CreatorRecord

NAN = float("nan")
PLATFORM_CODES = {"instagram": 0.0, "tiktok": 1.0, "youtube": 2.0}
# Computed by the account model over the follower / commenter samples (lead's pipeline).
QUALITY_SIGNALS = ("audience_fake_share", "commenter_fake_share")
FRAUD_SIGNALS = (
    "log_followers",
    "platform_code",
    "following_per_follower",
    "engagement_rate",
    "er_vs_benchmark",
    "er_robust_z",
    "likes_per_comment",
    "lpc_robust_z",
    "likes_per_comment_spread",
    "likes_log_std",
    "likes_per_view",
    "sponsored_share",
    *GROWTH_SIGNALS,
    "following_churn",
    "following_reversals",
    # Comment text is read against the creator's language (features/comment_baseline.py).
    *VS_LANGUAGE.values(),
    *(signal for signal in COMMENT_SIGNALS if signal not in VS_LANGUAGE),
    *QUALITY_SIGNALS,
)
ANOMALOUS_Z = 3.0  # a post this many benchmark SDs above its size bin is anomalous


def _num(value: float | int | None) -> float:
    return NAN if value is None else float(value)


def creator_signals(record: CreatorRecord) -> dict[str, float | str | None]:
    """Every benchmark-free signal of one creator, with its platform, language and followers."""
    followers = _num(record.followers)
    profile: dict[str, float | str | None] = {
        "followers": followers,
        "platform": record.platform,
        "language": language_code(record.language),
        "log_followers": math.log1p(followers) if followers == followers else NAN,
        "platform_code": PLATFORM_CODES.get(record.platform or "", NAN),
        "following_per_follower": _num(record.following) / followers if followers else NAN,
    }
    return {
        **profile,
        **engagement_signals(record),
        **growth_signals(record),
        **comment_signals(record),
    }


def benchmark_frame(records: Sequence[CreatorRecord]) -> pd.DataFrame:
    """The columns `EngagementBenchmark.fit` reads, one row per creator."""
    rows = [
        {
            "followers": _num(r.followers),
            "platform": r.platform,
            "language": language_code(r.language),
            **engagement_signals(r),
            **{k: v for k, v in comment_signals(r).items() if k in LANGUAGE_SHARES},
        }
        for r in records
    ]
    return pd.DataFrame(rows, index=pd.Index([r.creator_id for r in records], name="creator_id"))


def _with_benchmark(frame: pd.DataFrame, benchmark: EngagementBenchmark) -> pd.DataFrame:
    stats = benchmark.lookup(frame["platform"], follower_bin(frame["followers"]))  # (n, 4)
    log_er = np.log(frame["engagement_rate"].where(frame["engagement_rate"] > 0))
    usual = benchmark.comments_.lookup(frame["language"])  # (n, len(LANGUAGE_SHARES))
    return frame.assign(
        er_vs_benchmark=np.exp(log_er - stats[:, 0]),
        er_robust_z=(log_er - stats[:, 0]) / stats[:, 1],
        lpc_robust_z=(np.log(frame["likes_per_comment"]) - stats[:, 2]) / stats[:, 3],
        **{VS_LANGUAGE[s]: frame[s] - usual[:, i] for i, s in enumerate(LANGUAGE_SHARES)},
    )


def fraud_signal_frame(
    records: Sequence[CreatorRecord],
    *,
    benchmark: EngagementBenchmark,
    quality: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """(n_creators, len(FRAUD_SIGNALS)) float64 indexed by creator_id.

    `quality` (indexed by creator_id, columns QUALITY_SIGNALS) comes from the account model;
    creators it lacks, or a missing `quality`, get NaN there.
    """
    index = pd.Index([r.creator_id for r in records], name="creator_id")
    if not records:
        return pd.DataFrame(columns=list(FRAUD_SIGNALS), index=index, dtype="float64")
    raw = pd.DataFrame([creator_signals(r) for r in records], index=index)
    return finish_signal_frame(raw, benchmark=benchmark, quality=quality)


def finish_signal_frame(
    raw: pd.DataFrame, *, benchmark: EngagementBenchmark, quality: pd.DataFrame | None
) -> pd.DataFrame:
    """FRAUD_SIGNALS from `creator_signals`' columns (one row per creator, indexed by
    creator_id): read against the population (`benchmark`), with the account model's shares."""
    frame = _with_benchmark(raw, benchmark)
    for column in QUALITY_SIGNALS:
        known = quality is not None and column in quality.columns
        frame[column] = quality[column].reindex(raw.index) if known and quality is not None else NAN
    return frame.loc[:, list(FRAUD_SIGNALS)].astype("float64")


@dataclass(frozen=True)
class AnomalousPost:
    post_id: str
    likes: int | None
    comments: int | None
    engagement_vs_benchmark: float  # × the median of the creator's size bin


@dataclass(frozen=True)
class Evidence:
    """What a reviewer can check: the days, posts, commenters and comments behind a score."""

    creator_id: str
    jumps: list[Jump] = field(default_factory=list)
    anomalous_posts: list[AnomalousPost] = field(default_factory=list)
    pod_commenters: list[str] = field(default_factory=list)
    generic_comments: list[tuple[str, str, str]] = field(default_factory=list)  # post, who, text
    # (hits, out of) behind each comment share, so a reason can say "12 of 30", not "40 %".
    share_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    # How much of each kind of evidence the record holds (features/evidence.py).
    counts: dict[str, int] = field(default_factory=dict)


def find_anomalous_posts(
    record: CreatorRecord, benchmark: EngagementBenchmark
) -> list[AnomalousPost]:
    """Posts far above the size bin in engagement, or in likes per comment (bought likes)."""
    stats = benchmark.lookup([record.platform], follower_bin([_num(record.followers)]))[0]
    if record.followers is None or stats[0] != stats[0]:
        return []
    er_cut = math.exp(stats[0] + ANOMALOUS_Z * stats[1])
    lpc_cut = math.exp(stats[2] + ANOMALOUS_Z * stats[3]) if stats[2] == stats[2] else math.inf
    out = []
    for post in record.posts:
        rate = post_engagement(post, record.followers)
        ratio = (
            NAN if post.likes is None or post.comments is None else post.likes / (post.comments + 1)
        )
        if rate > er_cut or ratio > lpc_cut:
            vs = rate / math.exp(stats[0])
            out.append(AnomalousPost(post.post_id, post.likes, post.comments, vs))
    return out


def fraud_evidence(record: CreatorRecord, *, benchmark: EngagementBenchmark) -> Evidence:
    comments = record.comments or []
    return Evidence(
        creator_id=record.creator_id,
        jumps=[j for j in follower_jumps(record) or [] if j.explained_by is None],
        anomalous_posts=find_anomalous_posts(record, benchmark),
        pod_commenters=pod_members(record),
        generic_comments=[(c.post_id, c.commenter, c.text) for c in comments if is_generic(c.text)],
        share_counts=comment_counts(record),
        counts=evidence_counts(record),
    )
