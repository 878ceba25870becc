"""The input record: one creator with posts, audience and samples.

These pydantic models are the source of truth for what `creatormatch ingest` accepts and what the
API's upsert takes. Every field but `creator_id` may be missing: missing stays missing (None) all
the way to the models, which see NaN, never a silent zero.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt

from creatormatch.features.brief import AgeBucket, Brief, Gender, Platform

Share = Annotated[float, Field(ge=0.0, le=1.0)]
ShortText = Annotated[str, Field(max_length=5_000)]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Post(_Record):
    post_id: Identifier
    posted_at: datetime | None = None
    caption: ShortText | None = None
    hashtags: list[Annotated[str, Field(max_length=200)]] | None = None
    likes: NonNegativeInt | None = None
    comments: NonNegativeInt | None = None
    views: NonNegativeInt | None = None
    is_sponsored: bool | None = None
    sponsor: str | None = None


class FollowerPoint(_Record):
    """One day of the follower series."""

    day: date
    followers: NonNegativeInt
    following: NonNegativeInt | None = None


class Comment(_Record):
    post_id: Identifier
    commenter: Identifier
    text: ShortText = ""
    commented_at: datetime | None = None


class SampledAccount(_Record):
    """A follower or commenter account, with the profile fields the account model reads."""

    username: str | None = None
    followers: NonNegativeInt | None = None
    following: NonNegativeInt | None = None
    posts: NonNegativeInt | None = None
    has_profile_pic: bool | None = None
    is_private: bool | None = None
    bio_length: NonNegativeInt | None = None
    full_name_length: NonNegativeInt | None = None
    has_external_url: bool | None = None


class Audience(_Record):
    """Shares of the creator's audience; each mapping sums to at most 1 (the rest is unknown)."""

    countries: dict[str, Share] = Field(default_factory=dict)
    ages: dict[AgeBucket, Share] = Field(default_factory=dict)
    genders: dict[Gender, Share] = Field(default_factory=dict)
    interests: dict[str, Share] = Field(default_factory=dict)


class CreatorRecord(_Record):
    creator_id: Identifier
    platform: Platform | None = None
    handle: str | None = None
    bio: ShortText | None = None
    language: str | None = None
    country: str | None = None
    city: str | None = None
    categories: list[str] | None = None
    followers: NonNegativeInt | None = None
    following: NonNegativeInt | None = None
    posts_count: NonNegativeInt | None = None
    account_created: date | None = None
    is_verified: bool | None = None
    is_business: bool | None = None
    has_profile_pic: bool | None = None
    external_url: str | None = None
    price_per_post: NonNegativeFloat | None = None
    posts: list[Post] = Field(default_factory=list, max_length=1_000)
    audience: Audience | None = None
    follower_series: list[FollowerPoint] | None = Field(default=None, max_length=3_660)
    comments: list[Comment] | None = Field(default=None, max_length=20_000)
    follower_sample: list[SampledAccount] | None = Field(default=None, max_length=10_000)
    commenter_sample: list[SampledAccount] | None = Field(default=None, max_length=10_000)


class CampaignOutcome(_Record):
    """One creator's result in one campaign, as the brand measured it (promo code or link)."""

    campaign_id: Identifier
    brand_id: Identifier
    creator_id: Identifier
    posted_at: datetime | None = None
    impressions: NonNegativeInt
    clicks: NonNegativeInt | None = None
    conversions: NonNegativeInt
    spend: NonNegativeFloat | None = None
    promo_code: str | None = None
    brief: Brief | None = None


class FraudLabel(_Record):
    """A creator known to have bought followers or engagement (or known to be clean)."""

    creator_id: Identifier
    is_fraud: bool
    archetype: str | None = None
