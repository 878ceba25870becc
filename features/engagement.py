"""Engagement signals of one creator, and the size benchmark they are compared with.

Engagement rate falls steeply with audience size, so "high" only means something against creators
of the same size on the same platform: `EngagementBenchmark` holds the median and MAD of log
engagement rate and of log likes-per-comment per (platform, fine follower bin). Bins are
"nice" log-spaced edges (…, 10k, 15k, 20k, 30k, 50k, 70k, 100k, …), about six per decade. It also
carries the per-language comment baseline (features/comment_baseline.py): both describe what is
ordinary in the population, are fitted on it together and saved in the fraud model's sidecar.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import ArtifactError, InvalidInput, NotFitted
from creatormatch.features.comment_baseline import CommentBaseline
from creatormatch.features.records import CreatorRecord, Post

NAN = float("nan")
MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
BIN_EDGES = np.array([m * 10.0**e for e in range(2, 9) for m in MANTISSAS])  # (42,) followers
MAD_SCALE = 1.4826  # MAD of a normal sample times this estimates its standard deviation
ANY = "*"
STATS = ("log_er", "log_lpc")
BENCHMARK_COLUMNS = ("followers", "platform", "engagement_rate", "likes_per_comment")
# A creator's typical rate needs this many posts: one post's likes per comment is one draw, and a
# single post far from the benchmark would otherwise read as bought engagement.
MIN_POSTS = 3


def follower_bin(followers: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Bin index of each follower count, (n,); below the first edge is 0, NaN is -1."""
    values = np.asarray(followers, dtype=np.float64)
    bins = np.clip(np.searchsorted(BIN_EDGES, values, side="right") - 1, 0, BIN_EDGES.size - 2)
    return np.where(np.isnan(values), -1, bins)


def _short(count: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if count >= size:
            return f"{count / size:g}{unit}"
    return f"{count:g}"


def bin_label(index: int) -> str:
    """Human words for one bin, e.g. "20k-30k followers"."""
    return f"{_short(BIN_EDGES[index])}-{_short(BIN_EDGES[index + 1])} followers"


def _known(values: list[float | None]) -> npt.NDArray[np.float64]:
    return np.array([v for v in values if v is not None], dtype=np.float64)


def post_engagement(post: Post, followers: int | None) -> float:
    """(likes + comments) / followers of one post; NaN when unknown."""
    if not followers or (post.likes is None and post.comments is None):
        return NAN
    return ((post.likes or 0) + (post.comments or 0)) / followers


def likes_per_comment(record: CreatorRecord) -> npt.NDArray[np.float64]:
    """log((likes + 1) / (comments + 1)) of each post with both counts, (n_posts,)."""
    pairs = [(p.likes, p.comments) for p in record.posts if p.likes is not None]
    return np.array([math.log((lk + 1) / (c + 1)) for lk, c in pairs if c is not None])


def _median(values: npt.ArrayLike) -> float:
    values = np.asarray(values, dtype=np.float64)
    return float(np.median(values)) if values.size >= MIN_POSTS else NAN


def _robust_spread(values: npt.NDArray[np.float64]) -> float:
    if values.size < MIN_POSTS:
        return NAN
    return float(MAD_SCALE * np.median(np.abs(values - np.median(values))))


def engagement_signals(record: CreatorRecord) -> dict[str, float]:
    """Benchmark-free engagement signals; NaN where fewer than MIN_POSTS posts say."""
    rates = _known([post_engagement(p, record.followers) for p in record.posts])
    rates = rates[~np.isnan(rates)]
    log_lpc = likes_per_comment(record)
    likes = _known([p.likes for p in record.posts])
    views = [(p.likes, p.views) for p in record.posts if p.likes is not None and p.views]
    flags = [p.is_sponsored for p in record.posts if p.is_sponsored is not None]
    return {
        "engagement_rate": _median(rates),
        "likes_per_comment": float(np.exp(_median(log_lpc))),
        "likes_per_comment_spread": _robust_spread(log_lpc),
        "likes_log_std": float(np.std(np.log1p(likes))) if likes.size >= MIN_POSTS else NAN,
        "likes_per_view": _median([lk / v for lk, v in views]),
        "sponsored_share": sum(flags) / len(flags) if len(flags) >= MIN_POSTS else NAN,
    }


@dataclass
class EngagementBenchmark:
    """Median and MAD of log ER and log likes-per-comment per (platform, follower bin), and the
    per-language comment baseline (`comments_`)."""

    min_count: int = 30

    def fit(self, frame: pd.DataFrame) -> Self:
        """`frame`: one row per creator with BENCHMARK_COLUMNS, `language` and the comment shares
        (`benchmark_frame` output)."""
        missing = sorted(set(BENCHMARK_COLUMNS) - set(frame.columns))
        if missing:
            raise InvalidInput(f"benchmark frame needs {BENCHMARK_COLUMNS}; missing {missing}")
        self.comments_ = CommentBaseline(min_count=self.min_count).fit(frame)
        data = pd.DataFrame(
            {
                "platform": frame["platform"].fillna(ANY).astype(str).to_numpy(),
                "bin": follower_bin(frame["followers"]),
                "log_er": np.log(frame["engagement_rate"].where(frame["engagement_rate"] > 0)),
                "log_lpc": np.log(frame["likes_per_comment"]),
            }
        )
        data = data[data["bin"] >= 0]
        pooled = data.assign(platform=ANY)
        self.table_ = self._stats(pd.concat([data, pooled]))
        return self

    def _stats(self, data: pd.DataFrame) -> dict[str, list[float]]:
        table: dict[str, list[float]] = {}
        for (platform, bin_), group in data.groupby(["platform", "bin"]):
            row = []
            for stat in STATS:
                values = group[stat].dropna().to_numpy()
                if values.size < self.min_count:
                    row += [NAN, NAN]
                    continue
                med = float(np.median(values))
                row += [med, max(MAD_SCALE * float(np.median(np.abs(values - med))), 0.05)]
            table[f"{platform}|{bin_}"] = row
        return table

    def lookup(
        self, platform: Sequence[str | None] | pd.Series, bins: npt.ArrayLike
    ) -> npt.NDArray[np.float64]:
        """(n, 4): median/scale of log ER then of log lpc; the pooled platform fills gaps."""
        if not hasattr(self, "table_"):
            raise NotFitted("the engagement benchmark is not fitted: call fit() or load() first")
        nan_row = [NAN] * 4
        out = []
        for p, b in zip(np.asarray(platform, dtype=object), np.asarray(bins), strict=True):
            own = self.table_.get(f"{p}|{b}", nan_row)
            pooled = self.table_.get(f"{ANY}|{b}", nan_row)
            out.append([o if o == o else q for o, q in zip(own, pooled, strict=True)])
        return np.array(out, dtype=np.float64).reshape(-1, 4)

    def to_json(self) -> dict[str, Any]:
        # NaN is not JSON: a bin too small to estimate is stored as null.
        table = {k: [None if x != x else x for x in v] for k, v in self.table_.items()}
        return {
            "min_count": self.min_count,
            "edges": BIN_EDGES.tolist(),
            "table": table,
            "comments": self.comments_.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        if data.get("edges") != BIN_EDGES.tolist():
            raise ArtifactError("benchmark was fitted with other follower bins than this code's")
        if "comments" not in data:
            raise ArtifactError("benchmark has no per-language comment baseline: retrain the model")
        benchmark = cls(min_count=int(data["min_count"]))
        benchmark.comments_ = CommentBaseline.from_json(data["comments"])
        benchmark.table_ = {
            k: [NAN if x is None else float(x) for x in v] for k, v in data["table"].items()
        }
        return benchmark

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), sort_keys=True))

    @classmethod
    def load(cls, path: Path) -> Self:
        try:
            return cls.from_json(json.loads(path.read_text()))
        except (OSError, ValueError, KeyError) as error:
            raise ArtifactError(f"cannot read the engagement benchmark {path}: {error}") from error
