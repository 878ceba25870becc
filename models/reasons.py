"""Plain-word reasons from the fraud model's per-feature contributions (LightGBM `pred_contrib`).

Several signals describe one phenomenon (engagement rate, its ratio to the benchmark and its
z-score), so contributions are summed per *group* first and each group becomes one sentence built
from the creator's own values: "engagement 4.1× the median of creators with 20k-30k followers".
Only groups that push toward fraud are reasons; context features (size, platform) never are.
A creator without a verdict gets one more reason first, naming the evidence counts that fall short
(`evidence_reason`: "1 comment sampled (10 needed)").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatormatch.features import EVIDENCE_MINIMUMS, VS_LANGUAGE, Evidence, bin_label, follower_bin

Row = Mapping[str, float]

GROUPS: dict[str, tuple[str, ...]] = {
    "engagement": ("engagement_rate", "er_vs_benchmark", "er_robust_z"),
    "likes_per_comment": ("likes_per_comment", "lpc_robust_z", "likes_per_comment_spread"),
    "likes_variance": ("likes_log_std",),
    "likes_per_view": ("likes_per_view",),
    "growth": (
        "unexplained_jumps",
        "unexplained_gain_share",
        "max_growth_z",
        "explained_jumps",
        "daily_growth",
    ),
    "drops": ("max_drop_z",),
    "churn": ("following_churn", "following_reversals", "following_per_follower"),
    "comment_text": tuple(VS_LANGUAGE.values()),
    "pod": (
        "pod_size",
        "pod_comment_share",
        "pod_fast_share",
        "fast_comment_share",
        "distinct_commenter_share",
    ),
    "sponsored": ("sponsored_share",),
    "audience": ("audience_fake_share",),
    "commenters": ("commenter_fake_share",),
}


EVIDENCE = "evidence"  # the signal of the reason that names missing evidence
# Each evidence count in words: (one, many).
EVIDENCE_WORDS = {
    "comments": ("comment sampled", "comments sampled"),
    "posts": ("post with like or comment counts", "posts with like or comment counts"),
    "history_days": ("day of follower history", "days of follower history"),
    "sampled_followers": ("sampled follower", "sampled followers"),
}


@dataclass(frozen=True)
class Reason:
    signal: str  # a key of GROUPS, or EVIDENCE
    weight: float  # summed contribution to the log-odds of fraud, > 0 (0 for EVIDENCE)
    text: str


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _count(row: Row, evidence: Evidence | None, signal: str) -> str:
    """ "12 of 30" from the evidence behind a share; "40% of" only without evidence."""
    counts = evidence.share_counts.get(signal) if evidence is not None else None
    return f"{counts[0]:,} of {counts[1]:,}" if counts else f"{_pct(row.get(signal, math.nan))} of"


def _engagement(row: Row, _: Evidence | None) -> str:
    followers = math.expm1(row.get("log_followers", math.nan))
    ratio = row.get("er_vs_benchmark", math.nan)
    if ratio != ratio or followers != followers:
        return f"engagement rate of {row.get('engagement_rate', math.nan):.1%} per post"
    size = bin_label(int(follower_bin([followers])[0]))
    return f"engagement {ratio:.1f}× the median of creators with {size}"


def _growth(row: Row, evidence: Evidence | None) -> str:
    if evidence is not None and evidence.jumps:
        jump = max(evidence.jumps, key=lambda j: j.gain)
        more = f" ({len(evidence.jumps) - 1} more such days)" if len(evidence.jumps) > 1 else ""
        return f"follower jump of +{jump.gain:,} on {jump.day.isoformat()} with no post{more}"
    count = row.get("unexplained_jumps", math.nan)
    if count == count and count > 0:
        gain = _pct(row.get("unexplained_gain_share", math.nan))
        return f"{count:.0f} follower jump(s) with no post to explain them (+{gain} of followers)"
    return f"follower growth spikes up to {row.get('max_growth_z', math.nan):.0f}× the usual day"


def _pod(row: Row, evidence: Evidence | None) -> str:
    size = len(evidence.pod_commenters) if evidence is not None else row.get("pod_size", math.nan)
    known = {k for k, v in row.items() if v == v}
    when = ""
    if "pod_fast_share" in known:
        when = f", {_count(row, evidence, 'pod_fast_share')} pod comments within 10 minutes"
    if size == size and size > 0:
        return f"the same {size:.0f} accounts comment on most posts{when}"
    if "fast_comment_share" in known:
        return f"{_count(row, evidence, 'fast_comment_share')} comments arrive within 10 minutes"
    return f"{_count(row, evidence, 'distinct_commenter_share')} comments by distinct accounts"


def _churn(row: Row, _: Evidence | None) -> str:
    # A count of waves is only worth citing when there are some: "0 waves" read as a verdict.
    waves = row.get("following_reversals", math.nan)
    if waves == waves and waves > 0:
        return f"following count swings up and down ({waves:.0f} follow/unfollow waves)"
    churn = row.get("following_churn", math.nan)
    if churn == churn:
        return f"following count swings by {_pct(churn)} of its size over the series"
    return "following count swings up and down"


def _comment_text(row: Row, evidence: Evidence | None) -> str:
    """The comment kind furthest above what is usual in the creator's language, with counts."""
    kinds = {
        "generic": "generic_comment_share",
        "duplicated": "duplicate_comment_share",
        "emoji-only": "emoji_only_share",
    }
    known = [
        (row[VS_LANGUAGE[share]], kind, share)
        for kind, share in kinds.items()
        if row.get(VS_LANGUAGE[share], math.nan) == row.get(VS_LANGUAGE[share])
    ]
    excess, kind, share = max(known)
    counts = evidence.share_counts.get(share) if evidence is not None else None
    if not counts or not counts[1]:
        return f"{excess * 100:+.0f} points of {kind} comments against the usual in its language"
    usual = counts[0] / counts[1] - excess
    return (
        f"{counts[0]:,} of {counts[1]:,} sampled comments are {kind} "
        f"({_pct(usual)} is usual in the creator's language)"
    )


def _against_size(row: Row) -> str:
    """Where the ratio stands among creators of the same size, said only when it is known and
    not a rounding of zero ("-0.0 SD" and "+nan SD" read as findings and are none)."""
    z = row.get("lpc_robust_z", math.nan)
    if z != z:
        return "(no benchmark for creators of this size)"
    if abs(z) < 0.05:
        return "(typical for creators of the same size)"
    return f"({z:+.1f} SD from creators of the same size)"


TEXTS: dict[str, Callable[[Row, Evidence | None], str]] = {
    "engagement": _engagement,
    "likes_per_comment": lambda r, _: (
        f"{r.get('likes_per_comment', math.nan):,.0f} likes per comment {_against_size(r)}"
    ),
    "likes_variance": lambda r, _: "likes vary unusually from post to post",
    "likes_per_view": lambda r, _: (
        f"{_pct(r.get('likes_per_view', math.nan))} of views end in a like"
    ),
    "growth": _growth,
    "drops": lambda r, _: (
        f"a sudden follower drop {r.get('max_drop_z', math.nan):.0f}× the usual day"
    ),
    "churn": _churn,
    "comment_text": _comment_text,
    "pod": _pod,
    "sponsored": lambda r, _: f"{_pct(r.get('sponsored_share', math.nan))} of posts are sponsored",
    "audience": lambda r, _: f"{_pct(r['audience_fake_share'])} of sampled followers look fake",
    "commenters": lambda r, _: f"{_pct(r['commenter_fake_share'])} of sampled commenters look fake",
}


def reason_text(group: str, row: Row, evidence: Evidence | None = None) -> str:
    """The sentence for one group of signals, from the creator's own values and counts."""
    return TEXTS[group](row, evidence)


def evidence_reason(counts: Mapping[str, int], kinds: Sequence[str]) -> Reason:
    """ "too little evidence for a verdict: 1 comment sampled (10 needed)"; "nothing to judge by"
    when `kinds` is every kind of evidence."""
    parts = [
        f"{counts[k]:,} {EVIDENCE_WORDS[k][counts[k] != 1]} ({EVIDENCE_MINIMUMS[k]} needed)"
        for k in kinds
    ]
    everything = len(kinds) == len(EVIDENCE_MINIMUMS)
    lead = "nothing to judge by" if everything else "too little evidence for a verdict"
    return Reason(EVIDENCE, 0.0, f"{lead}: {', '.join(parts)}")


def reasons(
    row: Row,
    contributions: npt.NDArray[np.float64],
    columns: list[str],
    *,
    top: int = 3,
    evidence: Evidence | None = None,
) -> list[Reason]:
    """The `top` groups pushing toward fraud, strongest first; `contributions`: (n_columns,)."""
    by_column = dict(zip(columns, contributions, strict=True))
    out = []
    for group, members in GROUPS.items():
        known = [c for c in members if c in by_column and row.get(c, math.nan) == row.get(c)]
        weight = float(sum(by_column[c] for c in known))
        if known and weight > 0:
            out.append(Reason(group, weight, reason_text(group, row, evidence)))
    return sorted(out, key=lambda r: -r.weight)[:top]
