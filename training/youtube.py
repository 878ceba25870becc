"""YouTube trending channels (`youtube-trending-dev`) as creator records, with their category aside.

A channel becomes one `CreatorRecord` on platform youtube: each kept video is a post whose caption
is its title and description excerpt and whose hashtags are the uploader's tags. The YouTube
category is the evaluation label, so it stays out of the record and comes back as `labels`.
Only the 14 categories with at least 50 channels are kept (the data set's README marks them).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np

from creatormatch.core import InvalidInput
from creatormatch.features import CreatorRecord, Post
from creatormatch.training.kim import LabelledCreators

YOUTUBE_DIR = "youtube-trending-dev"
CHANNELS_FILE = "channels.jsonl"
CATEGORIES = (
    "Autos & Vehicles", "Comedy", "Education", "Entertainment", "Film & Animation", "Gaming",
    "Howto & Style", "Music", "News & Politics", "People & Blogs", "Pets & Animals",
    "Science & Technology", "Sports", "Travel & Events",
)  # fmt: skip
# Post bounds of the record model: a tag list longer than this would be refused at ingest.
_MAX_TAGS = 30


def _post(channel: str, number: int, video: dict) -> Post:
    published = video.get("published_at")
    caption = "\n".join(part for part in (video.get("title"), video.get("description")) if part)
    return Post(
        post_id=f"{channel}/{number}",
        posted_at=datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None,
        caption=caption[:2_000] or None,
        hashtags=[tag[:200] for tag in video.get("tags") or []][:_MAX_TAGS],
        likes=video.get("likes"),
        comments=video.get("comments"),
        views=video.get("views"),
    )


def _record(row: dict) -> CreatorRecord:
    channel = str(row["channel"])[:200]
    return CreatorRecord(
        creator_id=channel,
        platform="youtube",
        handle=channel,
        posts=[_post(channel, i, v) for i, v in enumerate(row["videos"])],
    )


def youtube_creators(
    data_dir: Path, *, per_category: int | None, seed: int = 0
) -> LabelledCreators:
    """Up to `per_category` channels of each kept category (all when None), sampled by `seed`."""
    path = data_dir / YOUTUBE_DIR / CHANNELS_FILE
    if not path.is_file():
        raise InvalidInput(f"expected the YouTube channels at {path}, found no such file")
    by_category: dict[str, list[dict]] = {c: [] for c in CATEGORIES}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["category"] in by_category and row["videos"]:
                by_category[row["category"]].append(row)
    rng = np.random.default_rng(seed)
    records, labels = [], {}
    for category, rows in by_category.items():
        if per_category is not None and len(rows) > per_category:
            rows = [rows[i] for i in sorted(rng.choice(len(rows), per_category, replace=False))]
        for row in rows:
            record = _record(row)
            records.append(record)
            labels[record.creator_id] = category
    return LabelledCreators(records, labels, CATEGORIES)
