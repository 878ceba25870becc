"""The brand brief (ideal customer profile): the query of a shortlist."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Platform = Literal["instagram", "tiktok", "youtube"]
AgeBucket = Literal["13-17", "18-24", "25-34", "35-44", "45-54", "55+"]
Gender = Literal["female", "male", "other"]
Tier = Literal["nano", "micro", "macro", "mega"]
Weight = Annotated[float, Field(ge=0.0, le=1.0)]


class Brief(BaseModel):
    """Free text plus optional targets and hard filters; only `text` is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Annotated[str, Field(min_length=1, max_length=4_000)]
    countries: dict[Annotated[str, Field(min_length=2, max_length=8)], Weight] = Field(
        default_factory=dict
    )
    ages: list[AgeBucket] = Field(default_factory=list)
    genders: list[Gender] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list, max_length=16)
    languages: list[str] = Field(default_factory=list, max_length=20)
    platforms: list[Platform] = Field(default_factory=list)
    tiers: list[Tier] = Field(default_factory=list)
    min_followers: Annotated[int, Field(ge=0)] | None = None
    max_followers: Annotated[int, Field(ge=0)] | None = None
    min_engagement: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    max_fraud: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    budget: Annotated[float, Field(gt=0.0)] | None = None
    price_cap: Annotated[float, Field(gt=0.0)] | None = None
    exclude: list[str] = Field(default_factory=list, max_length=10_000)
    k: Annotated[int, Field(ge=1, le=200)] = 20
