"""The brand brief (ideal customer profile): the query of a shortlist; its bounds are those of
every input model (`creatormatch.features.bounds`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from creatormatch.features.bounds import (
    MAX_COUNTRIES,
    MAX_EXCLUDED,
    MAX_LANGUAGES,
    AgeBucket,
    Count,
    CountryCode,
    Gender,
    InputModel,
    Platform,
    PositiveMoney,
    Tier,
    Weight,
    at_most,
    one_each,
)


class Brief(InputModel):
    """Free text plus optional targets and hard filters; only `text` is required."""

    text: Annotated[str, Field(min_length=1, max_length=4_000)]
    countries: Annotated[dict[CountryCode, Weight], at_most(MAX_COUNTRIES)] = Field(
        default_factory=dict
    )
    ages: list[AgeBucket] = one_each(AgeBucket)
    genders: list[Gender] = one_each(Gender)
    interests: list[str] = Field(default_factory=list, max_length=16)
    languages: list[str] = Field(default_factory=list, max_length=MAX_LANGUAGES)
    platforms: list[Platform] = one_each(Platform)
    tiers: list[Tier] = one_each(Tier)
    min_followers: Count | None = None
    max_followers: Count | None = None
    min_engagement: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    max_fraud: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    budget: PositiveMoney | None = None
    price_cap: PositiveMoney | None = None
    exclude: list[str] = Field(default_factory=list, max_length=MAX_EXCLUDED)
    k: Annotated[int, Field(ge=1, le=200)] = 20
