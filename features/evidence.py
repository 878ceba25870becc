"""How much evidence a creator's fraud score rests on, and the minimum each kind of evidence needs.

Every signal is missing below its minimum (a share of one comment is not evidence). The counts
themselves are not model inputs — how many comments a scraper kept says nothing about fraud — but
the risk band reads them: a verdict needs full comment and follower samples, and a creator with no
kind of evidence at its minimum gets no verdict at all (models/fraud_bands.py). `fraud_context`
adds the creator's language and country, which the fairness tables group by.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from creatormatch.features.comment_baseline import language_code
from creatormatch.features.comments import MIN_COMMENTS
from creatormatch.features.engagement import MIN_POSTS
from creatormatch.features.growth import MIN_DAYS
from creatormatch.features.records import CreatorRecord

# Fewer scored accounts than this leave the account-model shares missing. Followers: at 25 the
# Wilson 95 % interval is at most ±0.19 wide, and a 1-account sample can no longer read "100 %
# fake". Commenters: samples are small by nature (8 in the synthetic worlds), so 8.
MIN_SAMPLED_FOLLOWERS = 25
MIN_SAMPLED_COMMENTERS = 8
# Each count of EVIDENCE_COUNTS and the minimum below which its signals are missing.
EVIDENCE_MINIMUMS = {
    "comments": MIN_COMMENTS,
    "posts": MIN_POSTS,
    "history_days": MIN_DAYS,
    "sampled_followers": MIN_SAMPLED_FOLLOWERS,
}
EVIDENCE_COUNTS = tuple(EVIDENCE_MINIMUMS)
CONTEXT_COLUMNS = ("language", "country", *EVIDENCE_COUNTS)


def evidence_counts(record: CreatorRecord) -> dict[str, int]:
    """Sampled comments, posts with a like or comment count, days of follower history and
    sampled followers of one record."""
    return {
        "comments": len(record.comments or []),
        "posts": sum(p.likes is not None or p.comments is not None for p in record.posts),
        "history_days": len({point.day for point in record.follower_series or []}),
        "sampled_followers": len(record.follower_sample or []),
    }


def fraud_context(records: Sequence[CreatorRecord]) -> pd.DataFrame:
    """(n_creators, CONTEXT_COLUMNS) indexed by creator_id: language code and country (None when
    the record does not say), then the int64 EVIDENCE_COUNTS."""
    index = pd.Index([r.creator_id for r in records], name="creator_id")
    counts = pd.DataFrame(
        [evidence_counts(r) for r in records], index=index, columns=list(EVIDENCE_COUNTS)
    )
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "language": [language_code(r.language) for r in records],
                    "country": [r.country for r in records],
                },
                index=index,
                dtype="object",
            ),
            counts.astype("int64"),
        ],
        axis=1,
    )
