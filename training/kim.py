"""Kim et al. (WWW 2020) Instagram influencers as creator records, with their category aside.

`posts_sample.csv` holds one row per post, the creator's category and profile counts repeated on
each. A creator becomes one `CreatorRecord` (posts with caption, likes, comments, timestamp and
paid-partnership flag; followers, following and post count from the file). The category is the
evaluation label, so it stays out of the record (`categories` would leak it into matching) and
comes back separately as `labels`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.features import CreatorRecord, Post

KIM_DIR = "kim-instagram-influencers"
POSTS_FILE = "posts_sample.csv"
# The file's spelling mistakes for fashion (3 posts); `other` is a catch-all, not a topic.
CATEGORY_FIXES = {"fasion": "fashion", "fashion 0.5": "fashion"}
CATEGORIES = ("beauty", "family", "fashion", "fitness", "food", "interior", "pet", "travel")
_COLUMNS = (
    "shortcode", "username", "taken_at_timestamp", "is_video", "video_view_count", "likes",
    "comments", "is_paid_partnership", "sponsor_usernames", "caption", "category", "followers",
    "followees", "posts",
)  # fmt: skip


@dataclass(frozen=True)
class LabelledCreators:
    """Creator records of a labelled data set, and each one's category (never in the record)."""

    records: list[CreatorRecord]
    labels: dict[str, str]  # creator_id → category
    categories: tuple[str, ...]  # the topics briefs may ask for; other labels are distractors


def read_posts(data_dir: Path) -> pd.DataFrame:
    """The post table of `data_dir/kim-instagram-influencers`, categories normalised."""
    path = data_dir / KIM_DIR / POSTS_FILE
    if not path.is_file():
        raise InvalidInput(f"expected the Kim et al. posts at {path}, found no such file")
    posts = pd.read_csv(path, usecols=list(_COLUMNS))
    category = posts["category"].str.strip().str.lower()
    posts["category"] = category.replace(CATEGORY_FIXES)
    return posts


def _count(value: object) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)  # type: ignore[call-overload]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _post(row: pd.Series) -> Post:
    return Post(
        post_id=str(row["shortcode"]),
        posted_at=datetime.fromtimestamp(int(row["taken_at_timestamp"]), tz=UTC),
        caption=_text(row["caption"]),
        likes=_count(row["likes"]),
        comments=_count(row["comments"]),
        views=_count(row["video_view_count"]) if row["is_video"] else None,
        is_sponsored=bool(row["is_paid_partnership"]),
        sponsor=_text(row["sponsor_usernames"]),
    )


def _record(username: str, rows: pd.DataFrame) -> CreatorRecord:
    first = rows.iloc[0]
    return CreatorRecord(
        creator_id=username,
        platform="instagram",
        handle=username,
        followers=_count(first["followers"]),
        following=_count(first["followees"]),
        posts_count=_count(first["posts"]),
        posts=[_post(row) for _, row in rows.iterrows()],
    )


def kim_creators(posts: pd.DataFrame) -> LabelledCreators:
    """One record per username (posts in file order) and its category (typos fixed)."""
    records, labels = [], {}
    for username, rows in posts.groupby("username", sort=True):
        records.append(_record(str(username), rows))
        labels[str(username)] = str(rows["category"].iloc[0])
    return LabelledCreators(records, labels, CATEGORIES)


def sample_creators(
    posts: pd.DataFrame, *, per_category: int | None, min_posts: int = 2, seed: int = 0
) -> pd.DataFrame:
    """Posts of up to `per_category` creators per category (all when None) with ≥ `min_posts`.

    Stratified so that small categories (pet: ~170 creators with two posts or more) are not
    drowned by fashion; `other` is sampled too, as distractors in the index.
    """
    sizes = posts.groupby("username").agg(n=("shortcode", "size"), category=("category", "first"))
    eligible = sizes[sizes["n"] >= min_posts]
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    for _, group in eligible.groupby("category", sort=True):
        names = sorted(group.index)
        if per_category is not None and len(names) > per_category:
            names = sorted(rng.choice(names, size=per_category, replace=False).tolist())
        chosen += names
    return posts[posts["username"].isin(chosen)]


def kim_sample(data_dir: Path, *, per_category: int | None, seed: int = 0) -> LabelledCreators:
    """Kim et al. creators with two posts or more, up to `per_category` of each category."""
    return kim_creators(sample_creators(read_posts(data_dir), per_category=per_category, seed=seed))


def write_jsonl(records: list[CreatorRecord], path: Path) -> Path:
    """Records as JSON lines, the format `creatormatch ingest` reads."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(record.model_dump_json(exclude_none=True) + "\n")
    return path
