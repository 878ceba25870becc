"""Request and response models of the page's workspace: sign-in, named shortlists, campaign
reports. Requests are bounded and forbid extra fields, as every request of the API does."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, model_validator

from creatormatch.features import Audience, Post
from creatormatch.matching import Shortlist
from creatormatch.serving.schemas import (
    FraudReportOut,
    Identifier,
    Request,
    ShortList,
    ShortlistRequest,
)
from creatormatch.store import MAX_PASSWORD

Name = Annotated[str, Field(min_length=1, max_length=200)]

# session ----------------------------------------------------------------------------------------


class SignInRequest(Request):
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD)]


class SessionResponse(BaseModel):
    email: str
    tenant: str
    expires_at: float = Field(description="Unix time at which the session ends")


# named shortlists -------------------------------------------------------------------------------


class RefineRequest(Request):
    """A brief's shortlist ranked again toward creators like `more_like` and away from creators
    like `fewer_like` (who also leave the list)."""

    brief: ShortlistRequest
    more_like: Annotated[list[Identifier], Field(max_length=50)] = Field(default_factory=list)
    fewer_like: Annotated[list[Identifier], Field(max_length=50)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _some_feedback(self) -> Self:
        if not self.more_like and not self.fewer_like:
            raise ValueError("expected at least one creator in `more_like` or `fewer_like`")
        return self


class SaveRequest(Request):
    """Name a shortlist and keep it: rank `brief` now, or keep the result of `shortlist_id` (an
    id from `POST /v1/shortlists`, with the brief it was ranked for) as it was listed."""

    name: Name
    brief: ShortlistRequest | None = None
    shortlist_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    campaign_id: Identifier | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.brief is None) == (self.shortlist_id is None):
            raise ValueError("expected exactly one of `brief` and `shortlist_id`")
        return self


class EditRequest(Request):
    """Pin creators of the list to the top, remove creators (the rest is re-ranked without
    them), undo either, rename, or book the list for a campaign (null to unbook)."""

    name: Name | None = None
    pin: ShortList = Field(default_factory=list)
    unpin: ShortList = Field(default_factory=list)
    remove: ShortList = Field(default_factory=list)
    restore: ShortList = Field(default_factory=list)
    campaign_id: Identifier | None = None


class Spend(BaseModel):
    total: float = Field(description="Sum of the known prices per post of the listed creators")
    budget: float | None
    remaining: float | None
    unpriced: int = Field(description="Listed creators without a known price (not in `total`)")


class NamedShortlistResponse(BaseModel):
    saved_id: str
    name: str
    brief: dict[str, Any]
    result: Shortlist
    pinned: list[str]
    removed: list[str]
    campaign_id: str | None
    created_by: str
    created_at: str
    updated_at: str
    shared: bool
    spend: Spend
    read_only: bool = Field(
        default=False, description="Opened through a share link: it cannot be edited there"
    )


class NamedShortlistSummary(BaseModel):
    saved_id: str
    name: str
    creators: int
    campaign_id: str | None
    updated_at: str
    spend: Spend


class NamedShortlists(BaseModel):
    shortlists: list[NamedShortlistSummary]


class ShareResponse(BaseModel):
    token: str
    url: str = Field(description="The page's link; it opens for signed-in users of your tenant")


# campaign reports -------------------------------------------------------------------------------


class CreatorResult(BaseModel):
    creator_id: str
    handle: str | None
    impressions: int
    clicks: int | None
    conversions: int
    spend: float | None
    cost_per_conversion: float | None = Field(description="spend / conversions; null at 0")
    predicted_conversions: float | None
    predicted_from: Literal["shortlist", "model"] | None = Field(
        description="shortlist: what the saved shortlist booked for the campaign listed; "
        "model: the conversion model's rate for the campaign's brief times the impressions "
        "delivered; null: neither is available"
    )


class CampaignReport(BaseModel):
    campaign_id: str
    saved_id: str | None = Field(description="The saved shortlist booked for this campaign")
    budget: float | None
    spend: float
    remaining: float | None
    conversions: int
    predicted_conversions: float | None = Field(
        description="Sum over the creators with a prediction"
    )
    cost_per_conversion: float | None
    creators: list[CreatorResult]
    notes: list[str]


# creator cards ----------------------------------------------------------------------------------


class Engagement(BaseModel):
    rate: float | None = Field(description="Median (likes + comments) / followers per post")
    benchmark: float | None = Field(
        description="Median engagement rate of creators of the same platform and follower bin "
        "(the served fraud model's benchmark); null without one"
    )
    versus_benchmark: float | None = Field(description="rate / benchmark")


class CreatorCard(BaseModel):
    creator_id: str
    handle: str | None
    platform: str | None
    tier: str | None
    followers: int | None
    price_per_post: float | None
    engagement: Engagement
    audience: Audience | None
    fraud: FraudReportOut | None
    posts: list[Post] = Field(description="The most recent posts (up to 6), captions included")
