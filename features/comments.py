"""Comment authenticity and engagement-pod signals from the comment sample.

Bought comments are generic ("nice pic 🔥"), duplicated across posts, or emoji-only. An engagement
pod is a fixed group of accounts that comment on nearly every post, within minutes of posting;
genuine fans are many, varied, and come back only now and then.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime
from functools import lru_cache

from creatormatch.features.records import Comment, CreatorRecord

NAN = float("nan")
FAST_MINUTES = 10.0  # a comment this soon after posting is "fast"
POD_POST_SHARE = 0.6  # a pod member comments on at least this share of the commented posts
MIN_POSTS = 3
# A share needs this many comments behind it. 10 keeps every world creator with a normal sample
# (6 posts × up to 5 comments) while 1-9 comments, where one or two generic "love this!" swing the
# share by 10-100 points, say nothing; at 10 of 10 the Wilson 95 % lower bound is still 0.72.
MIN_COMMENTS = 10
GENERIC = frozenset(
    """nice|nice pic|nice post|nice one|nice shot|great|great pic|great post|great shot|
    great content|love it|love this|love|loved it|amazing|awesome|cool|wow|beautiful|gorgeous|
    stunning|perfect|lovely|super|so cute|cute|omg|yes|keep it up|keep going|well done|so good|
    so nice|amazing pic|amazing post|awesome pic|awesome post|good|good job|nice content|
    follow me|follow back|check my page|check out my page|dm me|dm for collab|love your feed|
    great feed|nice feed|wonderful|fantastic|incredible|fire|lit|goals|wow amazing|wow nice|
    beautiful pic|beautiful picture|nice picture|great photo|nice photo|love your content|
    awesome content|great job|this is great|this is amazing|looks great|looks amazing""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case words only: "Nice pic!! 🔥🔥" → "nice pic"."""
    return " ".join(_WORD.findall(text.lower()))


def is_emoji_only(text: str) -> bool:
    return bool(text.strip()) and _ALNUM.search(text) is None


def is_generic(text: str) -> bool:
    words = normalise(text)
    return words in GENERIC or is_emoji_only(text)


@lru_cache(maxsize=1 << 16)
def _classified(text: str) -> tuple[str, bool, bool]:
    """(duplicate key, generic, emoji-only) of one text; bought comments repeat, hence the cache."""
    words, emoji = normalise(text), is_emoji_only(text)
    # `is_generic`, without normalising the text a second time.
    return words or text.strip(), words in GENERIC or emoji, emoji


def _lag_minutes(comment: Comment, posted: dict[str, datetime]) -> float:
    start = posted.get(comment.post_id)
    if start is None or comment.commented_at is None:
        return NAN
    return (comment.commented_at - start).total_seconds() / 60.0


def pod_members(record: CreatorRecord) -> list[str]:
    """Commenters on ≥ 60% of the commented posts (at least three posts); [] if too few posts."""
    comments = record.comments or []
    posts_of: dict[str, set[str]] = defaultdict(set)
    for c in comments:
        posts_of[c.commenter].add(c.post_id)
    n_posts = len({c.post_id for c in comments})
    if n_posts < MIN_POSTS:
        return []
    need = max(MIN_POSTS, POD_POST_SHARE * n_posts)
    return sorted(who for who, posts in posts_of.items() if len(posts) >= need)


def comment_counts(record: CreatorRecord) -> dict[str, tuple[int, int]]:
    """(hits, out of) behind each share of COMMENT_SHARES: the evidence the share rests on.

    Pod shares count 0 out of 0 when too few posts are commented to judge a pod.
    """
    comments = record.comments or []
    members = set(pod_members(record))
    n = len(comments)
    classified = [_classified(c.text) for c in comments]
    keys = [key for key, _, _ in classified]
    counts = Counter(keys)
    posted = {p.post_id: p.posted_at for p in record.posts if p.posted_at is not None}
    lags = [(c.commenter in members, _lag_minutes(c, posted)) for c in comments]
    fast = [lag <= FAST_MINUTES for _, lag in lags if lag == lag]
    pod_fast = [lag <= FAST_MINUTES for pod, lag in lags if pod and lag == lag]
    judged = n if len({c.post_id for c in comments}) >= MIN_POSTS else 0
    return {
        "generic_comment_share": (sum(generic for _, generic, _ in classified), n),
        "duplicate_comment_share": (sum(counts[k] > 1 for k in keys if k), n),
        "emoji_only_share": (sum(emoji for _, _, emoji in classified), n),
        "pod_comment_share": (sum(pod for pod, _ in lags) if judged else 0, judged),
        "pod_fast_share": (sum(pod_fast), len(pod_fast)),
        "fast_comment_share": (sum(fast), len(fast)),
        "distinct_commenter_share": (len({c.commenter for c in comments}), n),
    }


def _share(hits: int, total: int) -> float:
    # 1 of 1 generic comment is not "100 % generic": below MIN_COMMENTS the share is missing.
    return hits / total if total >= MIN_COMMENTS else NAN


def comment_signals(record: CreatorRecord) -> dict[str, float]:
    """Shares of generic / duplicated / emoji-only comments, pod size and speed.

    All NaN with fewer than MIN_COMMENTS comments; a share whose own base (comments with a known
    lag, pod comments) is below MIN_COMMENTS is NaN too. The model reads NaN as "unknown".
    """
    comments = record.comments or []
    if len(comments) < MIN_COMMENTS:
        return dict.fromkeys(COMMENT_SIGNALS, NAN)
    enough_posts = len({c.post_id for c in comments}) >= MIN_POSTS
    pod_size = float(len(pod_members(record))) if enough_posts else NAN
    return {"pod_size": pod_size} | {k: _share(*n) for k, n in comment_counts(record).items()}


COMMENT_SHARES = (
    "generic_comment_share",
    "duplicate_comment_share",
    "emoji_only_share",
    "pod_comment_share",
    "pod_fast_share",
    "fast_comment_share",
    "distinct_commenter_share",
)
COMMENT_SIGNALS = (
    "generic_comment_share",
    "duplicate_comment_share",
    "emoji_only_share",
    "pod_size",
    "pod_comment_share",
    "pod_fast_share",
    "fast_comment_share",
    "distinct_commenter_share",
)
