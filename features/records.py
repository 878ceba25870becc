"""The input record: one creator with posts, audience and samples.

These pydantic models are the source of truth for what `creatormatch ingest` accepts and what the
API's upsert takes. Every field but `creator_id` may be missing: missing stays missing (None) all
the way to the models, which see NaN, never a silent zero. Their bounds (finite floats, 64-bit
integers, capped lists and maps) are those of `creatormatch.features.bounds`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, get_args

from pydantic import Field

from creatormatch.features.bounds import (
    MAX_CATEGORIES,
    MAX_COMMENTS,
    MAX_COUNTRIES,
    MAX_HASHTAGS,
    MAX_INTERESTS,
    MAX_POSTS,
    MAX_SAMPLE,
    MAX_SERIES_DAYS,
    AgeBucket,
    Count,
    Gender,
    InputModel,
    Money,
    Platform,
    at_most,
)
from creatormatch.features.brief import Brief

Share = Annotated[float, Field(ge=0.0, le=1.0)]
ShortText = Annotated[str, Field(max_length=5_000)]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]


class Post(InputModel):
    post_id: Identifier
    posted_at: datetime | None = None
    caption: ShortText | None = None
    hashtags: list[Annotated[str, Field(max_length=200)]] | None = Field(
        default=None, max_length=MAX_HASHTAGS
    )
    likes: Count | None = None
    comments: Count | None = None
    views: Count | None = None
    is_sponsored: bool | None = None
    sponsor: str | None = None


class FollowerPoint(InputModel):
    """One day of the follower series."""

    day: date
    followers: Count
    following: Count | None = None


class Comment(InputModel):
    post_id: Identifier
    commenter: Identifier
    text: ShortText = ""
    commented_at: datetime | None = None


class SampledAccount(InputModel):
    """A follower or commenter account, with the profile fields the account model reads."""

    username: str | None = None
    followers: Count | None = None
    following: Count | None = None
    posts: Count | None = None
    has_profile_pic: bool | None = None
    is_private: bool | None = None
    bio_length: Count | None = None
    full_name_length: Count | None = None
    has_external_url: bool | None = None


class Audience(InputModel):
    """Shares of the creator's audience; each mapping sums to at most 1 (the rest is unknown)."""

    countries: Annotated[dict[str, Share], at_most(MAX_COUNTRIES)] = Field(default_factory=dict)
    ages: Annotated[dict[AgeBucket, Share], at_most(len(get_args(AgeBucket)))] = Field(
        default_factory=dict
    )
    genders: Annotated[dict[Gender, Share], at_most(len(get_args(Gender)))] = Field(
        default_factory=dict
    )
    interests: Annotated[dict[str, Share], at_most(MAX_INTERESTS)] = Field(default_factory=dict)


class CreatorRecord(InputModel):
    creator_id: Identifier
    platform: Platform | None = None
    handle: str | None = None
    bio: ShortText | None = None
    language: str | None = None
    country: str | None = None
    city: str | None = None
    categories: list[str] | None = Field(default=None, max_length=MAX_CATEGORIES)
    followers: Count | None = None
    following: Count | None = None
    posts_count: Count | None = None
    account_created: date | None = None
    is_verified: bool | None = None
    is_business: bool | None = None
    has_profile_pic: bool | None = None
    external_url: str | None = None
    price_per_post: Money | None = None
    posts: list[Post] = Field(default_factory=list, max_length=MAX_POSTS)
    audience: Audience | None = None
    follower_series: list[FollowerPoint] | None = Field(default=None, max_length=MAX_SERIES_DAYS)
    comments: list[Comment] | None = Field(default=None, max_length=MAX_COMMENTS)
    follower_sample: list[SampledAccount] | None = Field(default=None, max_length=MAX_SAMPLE)
    commenter_sample: list[SampledAccount] | None = Field(default=None, max_length=MAX_SAMPLE)


class CampaignOutcome(InputModel):
    """One creator's result in one campaign, as the brand measured it (promo code or link)."""

    campaign_id: Identifier
    brand_id: Identifier
    creator_id: Identifier
    posted_at: datetime | None = None
    impressions: Count
    clicks: Count | None = None
    conversions: Count
    spend: Money | None = None
    promo_code: str | None = None
    brief: Brief | None = None


class FraudLabel(InputModel):
    """A creator known to have bought followers or engagement (or known to be clean)."""

    creator_id: Identifier
    is_fraud: bool
    archetype: str | None = None
