"""`comment_signals`, `comment_counts` and `pod_members` (features/comments.py) for a whole batch.

The same rules, read from flat columns (features/record_columns.py): a pod member comments on
≥ POD_POST_SHARE of the creator's commented posts (at least MIN_POSTS of them), a fast comment
comes within FAST_MINUTES, and every share needs MIN_COMMENTS comments behind it.
tests/features/test_fraud_signal_batch.py holds both to equal values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features.comments import (
    COMMENT_SHARES,
    COMMENT_SIGNALS,
    FAST_MINUTES,
    MIN_COMMENTS,
    MIN_POSTS,
    POD_POST_SHARE,
)
from creatormatch.features.record_columns import CommentColumns
from creatormatch.features.segments import Floats, Ints, counts, sums


@dataclass(frozen=True)
class CommentTallies:
    """Per creator: (hits, out of) behind each of COMMENT_SHARES, and the pod."""

    hits: dict[str, Ints]  # share → (n,) hits
    totals: dict[str, Ints]  # share → (n,) out of
    commented_posts: Ints  # (n,)
    pod_size: Ints  # (n,) members; 0 below MIN_POSTS commented posts
    member: npt.NDArray[np.bool_]  # (n_comments,) written by a pod member


def _distinct(codes: Ints, owner: Ints, n: int) -> Ints:
    """How many distinct codes each owner has (dense codes, each of one owner only)."""
    owner_of = np.full(int(codes.max()) + 1 if codes.size else 0, -1, dtype=np.int64)
    owner_of[codes] = owner
    return counts(owner_of, n)


def _members(c: CommentColumns, posts: Ints) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Per (creator, commenter) code: whether it is a pod member, and its creator's row."""
    n_who = int(c.who.max()) + 1 if c.who.size else 0
    owner_of = np.zeros(n_who, dtype=np.int64)
    owner_of[c.who] = c.owner
    span = int(c.post.max()) + 1 if c.post.size else 1
    pairs = pd.unique(c.who * span + c.post)  # distinct (commenter, post)
    on_posts = np.bincount(pairs // span, minlength=n_who)
    need = np.maximum(MIN_POSTS, POD_POST_SHARE * posts)[owner_of]
    return (posts[owner_of] >= MIN_POSTS) & (on_posts >= need), owner_of


def _duplicated(key: Ints) -> npt.NDArray[np.bool_]:
    """Whether each comment's text (its duplicate key) occurs more than once at its creator."""
    has = key >= 0
    size = np.bincount(key[has], minlength=int(key.max()) + 1 if key.size else 0)
    out = np.zeros(key.shape, dtype=bool)
    out[has] = size[key[has]] > 1
    return out


def tallies(c: CommentColumns, n: int) -> CommentTallies:
    total = counts(c.owner, n)
    posts = _distinct(c.post, c.owner, n)
    member_who, owner_of_who = _members(c, posts)
    member = member_who[c.who]
    known = ~np.isnan(c.lag)
    fast = known & (c.lag <= FAST_MINUTES)
    judged = np.where(posts >= MIN_POSTS, total, 0)
    hits = {
        "generic_comment_share": sums(c.owner, c.generic, n),
        "duplicate_comment_share": sums(c.owner, _duplicated(c.key), n),
        "emoji_only_share": sums(c.owner, c.emoji, n),
        "pod_comment_share": np.where(judged > 0, sums(c.owner, member, n), 0),
        "pod_fast_share": sums(c.owner, member & fast, n),
        "fast_comment_share": sums(c.owner, fast, n),
        "distinct_commenter_share": _distinct(c.who, c.owner, n),
    }
    totals = {
        "generic_comment_share": total,
        "duplicate_comment_share": total,
        "emoji_only_share": total,
        "pod_comment_share": judged,
        "pod_fast_share": counts(c.owner[member & known], n),
        "fast_comment_share": counts(c.owner[known], n),
        "distinct_commenter_share": total,
    }
    return CommentTallies(
        {k: np.asarray(v, dtype=np.int64) for k, v in hits.items()},
        {k: np.asarray(v, dtype=np.int64) for k, v in totals.items()},
        posts,
        counts(owner_of_who[member_who], n),
        member,
    )


def comment_columns(t: CommentTallies, n_comments: Ints) -> dict[str, Floats]:
    """COMMENT_SIGNALS per creator: NaN below MIN_COMMENTS comments, and each share NaN below
    MIN_COMMENTS comments behind it."""
    enough = n_comments >= MIN_COMMENTS
    out: dict[str, Floats] = {}
    for share in COMMENT_SHARES:
        total = t.totals[share]
        with np.errstate(invalid="ignore", divide="ignore"):
            value = t.hits[share] / total
        out[share] = np.where(enough & (total >= MIN_COMMENTS), value, np.nan)
    pod_size = np.where(t.commented_posts >= MIN_POSTS, t.pod_size, np.nan)
    out["pod_size"] = np.where(enough, pod_size, np.nan)
    return {name: out[name] for name in COMMENT_SIGNALS}
