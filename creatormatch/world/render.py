"""Turn a chunk of world columns into `CreatorRecord`-shaped dicts (plain Python, JSON-ready)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from creatormatch.features import AGE_BUCKETS, COUNTRIES, GENDERS, INTERESTS
from creatormatch.world import text
from creatormatch.world.creators import Columns
from creatormatch.world.languages import CITIES, LANGUAGE, LOCAL_SHARE
from creatormatch.world.params import (
    COMMENTED_POSTS,
    COMMENTER_SAMPLE,
    PLATFORMS,
    SERIES_DAYS,
    TODAY,
)

NOW = datetime.combine(TODAY, time(20, 0))
DAYS = [(TODAY - timedelta(days=SERIES_DAYS - 1 - d)).isoformat() for d in range(SERIES_DAYS)]
KEYS = ("followers", "following", "posts", "pic", "private", "bio", "name", "url", "seed", "fake")


def _chunk(cols: Columns, start: int, stop: int) -> dict[str, Any]:
    """Columns of creators [start, stop) as Python lists (fast to index one by one)."""
    out: dict[str, Any] = {}
    for key, value in cols.items():
        if isinstance(value, dict):
            out[key] = {k: v[start:stop].tolist() for k, v in value.items()}
        else:
            out[key] = value[start:stop].tolist()
    return out


def _accounts(sample: dict[str, list[Any]], j: int, size: int) -> list[dict[str, Any]]:
    rows = zip(*(sample[k][j][:size] for k in KEYS), strict=True)
    return [
        {"username": text.username(seed, fake=fake), "followers": f, "following": g, "posts": p,
         "has_profile_pic": pic, "is_private": priv, "bio_length": b, "full_name_length": nm,
         "has_external_url": url}
        for f, g, p, pic, priv, b, nm, url, seed, fake in rows
    ]  # fmt: skip


def _shares(values: list[float], names: tuple[str, ...]) -> dict[str, float]:
    """Every key present (Parquet needs one struct shape); rounded down so sums stay <= 1."""
    return {n: int(v * 1000) / 1000 for n, v in zip(names, values, strict=False)}


def _audience(c: dict[str, Any], j: int) -> dict[str, Any] | None:
    if not c["has_audience"][j]:
        return None
    return {
        "countries": _shares(c["aud_countries"][j], COUNTRIES),
        "ages": _shares(c["aud_ages"][j], AGE_BUCKETS),
        "genders": _shares(c["aud_genders"][j], GENDERS),
        "interests": _shares(c["aud_interests"][j], INTERESTS),
    }


def _posts(c: dict[str, Any], j: int, cid: str, language: str | None) -> list[dict[str, Any]]:
    niche = c["niche"][j]
    local = LOCAL_SHARE.get(language or "", 0.75)
    out = []
    for k, seed in enumerate(c["post_seed"][j]):
        lang = language if c["post_local"][j][k] < local else None
        tags = text.hashtags(seed, niche, seed % 13)
        sponsored = c["is_sponsored"][j][k]
        post = {
            "post_id": f"{cid}p{k:02d}",
            "posted_at": (NOW - timedelta(days=c["post_age"][j][k])).isoformat(timespec="seconds"),
            "caption": text.caption(seed, niche, lang, tags), "hashtags": tags,
            "likes": c["likes"][j][k], "comments": c["comments"][j][k],
            "views": c["views"][j][k] if c["is_video"][j][k] else None,
            "is_sponsored": sponsored,
            "sponsor": text.name(seed >> 30, 2) if sponsored else None,
        }  # fmt: skip
        out.append({key: v for key, v in post.items() if v is not None})
    return out


def _comments(
    c: dict[str, Any], j: int, posts: list[dict[str, Any]], language: str | None
) -> list[dict[str, Any]]:
    out = []
    for k in range(COMMENTED_POSTS):
        posted = datetime.fromisoformat(posts[k]["posted_at"])
        for slot, kind in enumerate(c["c_kind"][j][k]):
            if kind < 0:
                continue
            who = c["c_commenter"][j][k][slot]
            seed = (
                c["bot_texts"][j][c["c_text"][j][k][slot] % 3]
                if kind == 4
                else c["c_text"][j][k][slot]
            )
            at = min(posted + timedelta(minutes=c["c_lag"][j][k][slot]), NOW)
            out.append({
                "post_id": posts[k]["post_id"], "commenter": text.username(who, fake=kind == 4),
                "text": text.comment(kind, seed, c["niche"][j], language),
                "commented_at": at.isoformat(timespec="seconds"),
            })  # fmt: skip
    return out


def _series(c: dict[str, Any], j: int) -> list[dict[str, Any]]:
    start = SERIES_DAYS - c["series_days"][j]
    f, g = c["series_followers"][j], c["series_following"][j]
    return [
        {"day": DAYS[d], "followers": f[d], "following": g[d]} for d in range(start, SERIES_DAYS)
    ]


def _profile(c: dict[str, Any], j: int, cid: str) -> dict[str, Any]:
    country = COUNTRIES[c["country"][j]]
    language = LANGUAGE[country]
    cities = CITIES[country].split("|")
    seed, niche = c["text_seed"][j], c["niche"][j]
    city = cities[seed % len(cities)]
    handle = text.handle(seed, niche)
    second = c["second"][j]
    categories = [INTERESTS[niche]] + ([INTERESTS[second]] if second >= 0 else [])
    return {
        "creator_id": cid, "platform": PLATFORMS[c["platform"][j]], "handle": handle,
        "bio": text.bio(seed, niche, language, city), "language": language, "country": country,
        "city": city, "categories": categories,
        "followers": c["followers"][j], "following": c["following"][j],
        "posts_count": c["posts_count"][j],
        "account_created": (TODAY - timedelta(days=c["age_days"][j])).isoformat(),
        "is_verified": c["is_verified"][j], "is_business": c["is_business"][j],
        "has_profile_pic": c["has_profile_pic"][j],
        "external_url": f"https://linktr.ee/{handle}" if c["has_url"][j] else None,
        "price_per_post": c["price"][j] if c["has_price"][j] else None,
    }  # fmt: skip


def iter_records(cols: Columns, start: int, stop: int) -> Iterator[dict[str, Any]]:
    c = _chunk(cols, start, stop)
    for j in range(stop - start):
        cid = f"c{start + j + 1:07d}"
        record = _profile(c, j, cid)
        language = record["language"]
        posts = _posts(c, j, cid, None if language == "en" else language)
        size = c["sample_size"][j]
        record |= {
            "posts": posts, "audience": _audience(c, j), "follower_series": _series(c, j),
            "comments": _comments(c, j, posts, language),
            "follower_sample": _accounts(c["followers_sample"], j, size),
            "commenter_sample": _accounts(c["commenters_sample"], j, COMMENTER_SAMPLE),
        }  # fmt: skip
        yield {k: v for k, v in record.items() if v is not None}
