"""The text a creator is embedded from, and its cache key. Pure functions, no model.

MiniLM reads at most 256 word pieces, so `content_text` puts the densest signal first: the bio,
then the creator's hashtags (de-duplicated, most used first), then captions newest first, and
stops at a character budget. URLs, @mentions and emojis are dropped: they carry no topic for
MiniLM (emojis are [UNK] in its vocabulary) and use up the budget.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from features.records import CreatorRecord, Post

# ~256 word pieces of English is ~1,000-1,200 characters; the rest would be truncated unseen.
MAX_CHARS = 1_000
MAX_HASHTAGS = 30

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_SPACE = re.compile(r"\s+")
# Emojis and pictographs (So), skin tones (Sk), joiners (Cf), keycaps (Me), private use (Co).
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cf", "Me", "Co", "Cs"})
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)


def _drop_symbols(text: str) -> str:
    # Letters of every script and their combining marks stay; only symbols go.
    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _SYMBOL_CATEGORIES
        and ord(ch) not in _VARIATION_SELECTORS
    )


def clean(text: str | None) -> str:
    """Text without URLs, @mentions, hashtags and emojis, on one line."""
    if not text:
        return ""
    text = _HASHTAG.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))
    return _SPACE.sub(" ", _drop_symbols(text)).strip()


def _tags_of(post: Post) -> list[str]:
    inline = _HASHTAG.findall(post.caption or "")
    return [t.lstrip("#").lower() for t in (*(post.hashtags or ()), *inline) if t.lstrip("#")]


def hashtags(posts: Iterable[Post]) -> list[str]:
    """The creator's hashtags, lower-cased, de-duplicated, most used first (ties: first seen)."""
    counts = Counter(tag for post in posts for tag in _tags_of(post))
    return [tag for tag, _ in counts.most_common(MAX_HASHTAGS)]


def _newest_first(posts: Iterable[Post]) -> list[Post]:
    # Undated posts go after the dated ones in their given order (the sort is stable);
    # timestamp() compares naive and timezone-aware datetimes alike.
    return sorted(
        posts,
        key=lambda p: (p.posted_at is not None, p.posted_at.timestamp() if p.posted_at else 0.0),
        reverse=True,
    )


def _budgeted(parts: Iterable[str], budget: int) -> str:
    text = " | ".join(p for p in parts if p)
    if len(text) <= budget:
        return text
    cut = text[:budget]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def content_text(record: CreatorRecord, *, budget: int = MAX_CHARS) -> str:
    """One text for the creator: bio, hashtags, captions newest first; at most `budget` chars."""
    posts = _newest_first(record.posts)
    tags = " ".join(hashtags(posts))
    return _budgeted([clean(record.bio), tags, *(clean(p.caption) for p in posts)], budget)


def post_texts(record: CreatorRecord, *, budget: int = MAX_CHARS) -> list[str]:
    """One text per post (caption prose, then its hashtags), newest first; empty posts dropped."""
    texts = (
        _budgeted([clean(p.caption), " ".join(dict.fromkeys(_tags_of(p)))], budget)
        for p in _newest_first(record.posts)
    )
    return [t for t in texts if t]


def content_hash(text: str, model_id: str) -> str:
    """sha256 of (model id, text): the embedding cache key; another model never hits it."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()
