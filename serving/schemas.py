"""Request and response models of the HTTP API: requests are bounded and forbid extra fields.

Bounds are those of every input model (`creatormatch.features.bounds`): finite floats, 64-bit
integers, capped lists and maps; a request beyond them is a 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from creatormatch.features import (
    MAX_LANGUAGES,
    Brief,
    CampaignOutcome,
    Count,
    CreatorRecord,
    InputModel,
    Platform,
    PositiveMoney,
    SampledAccount,
    Tier,
)
from creatormatch.matching import Shortlist
from creatormatch.models import FraudBand

MAX_CREATORS = 1_000
MAX_ACCOUNTS = 10_000
MAX_OUTCOMES = 10_000

Identifier = Annotated[str, Field(min_length=1, max_length=200)]
ShortList = Annotated[list[Identifier], Field(max_length=1_000)]


class Request(InputModel):
    """A request body: bounded as every input model is, unknown fields refused."""


# shortlists -------------------------------------------------------------------------------------


class ShortlistRequest(Brief):
    """A brief as JSON: `brief` is the free text; every other field of the brief is optional."""

    model_config = ConfigDict(populate_by_name=False)  # merged with the brief's

    text: Annotated[str, Field(min_length=1, max_length=4_000, alias="brief")]

    def to_brief(self) -> Brief:
        return Brief.model_validate(self.model_dump())


class ShortlistResponse(Shortlist):
    shortlist_id: str | None = Field(
        default=None, description="Where the brief and this result are kept for your tenant"
    )


class SavedShortlistResponse(BaseModel):
    shortlist_id: str
    created_at: str
    brief: dict[str, Any]
    result: Shortlist


class SimilarRequest(Request):
    """Lookalikes of one creator; the optional filters work as in a brief."""

    creator_id: Identifier
    k: Annotated[int, Field(ge=1, le=200)] = 20
    platforms: list[Platform] = Field(default_factory=list, max_length=3)
    tiers: list[Tier] = Field(default_factory=list, max_length=4)
    languages: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=list, max_length=MAX_LANGUAGES
    )
    min_followers: Count | None = None
    max_followers: Count | None = None
    max_fraud: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    budget: PositiveMoney | None = None
    price_cap: PositiveMoney | None = None
    exclude: ShortList = Field(default_factory=list)

    def base_brief(self) -> Brief:
        """The brief whose filters the lookalike search keeps (its text is replaced)."""
        fields = self.model_dump(exclude={"creator_id"}, exclude_defaults=True)
        return Brief.model_validate({"text": self.creator_id, **fields})


# creators ---------------------------------------------------------------------------------------


class UpsertRequest(Request):
    creators: Annotated[list[CreatorRecord], Field(min_length=1, max_length=MAX_CREATORS)]


class UpsertResponse(BaseModel):
    stored: list[str] = Field(description="ids whose record changed and was stored and indexed")
    unchanged: int
    embedded: int
    index_size: int


class FraudReportOut(BaseModel):
    probability: float
    band: FraudBand = Field(
        description="high / medium / low, or insufficient_evidence: no verdict, the first reason "
        "names the evidence that falls short (docs/decisions/0004-fraud-model.md)"
    )
    reasons: list[str]
    evidence: dict[str, Any] = Field(default_factory=dict)


class CreatorResponse(BaseModel):
    creator: CreatorRecord = Field(description="The profile: posts and samples left out")
    features: dict[str, float | None]
    fraud: FraudReportOut | None


class DeleteResponse(BaseModel):
    deleted: str
    index_size: int


# scoring ----------------------------------------------------------------------------------------


class FraudScoreRequest(Request):
    creators: Annotated[list[CreatorRecord], Field(min_length=1, max_length=MAX_CREATORS)]


class ScoredCreator(FraudReportOut):
    creator_id: str


class FraudScoreResponse(BaseModel):
    results: list[ScoredCreator]


class AccountScoreRequest(Request):
    accounts: Annotated[list[SampledAccount], Field(min_length=1, max_length=MAX_ACCOUNTS)]


class ScoredAccount(BaseModel):
    username: str | None
    fake_probability: float | None
    risk_band: str | None
    error: str | None


class AccountScoreResponse(BaseModel):
    results: list[ScoredAccount]
    fields_used: list[str] = Field(
        description="Profile fields that at least one scored account gave, in the account "
        "model's order; the others were missing for the whole sample"
    )


# outcomes and models ----------------------------------------------------------------------------


class OutcomesRequest(Request):
    outcomes: Annotated[list[CampaignOutcome], Field(min_length=1, max_length=MAX_OUTCOMES)]


class OutcomesStored(BaseModel):
    stored: int


class CampaignOutcomes(BaseModel):
    campaign_id: str
    outcomes: list[CampaignOutcome]


class ArtifactInfo(BaseModel):
    name: str
    version: str  # the artifact's id (sha256 prefix of its first file); `models list` shows it
    data_hash: str | None
    embedding_model: str | None = None
    count: int | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    # The registry version ("v2"), as `creatormatch models list` numbers it; None for the index
    # and for a model published before versions were recorded in the manifest.
    registry_version: str | None = None
    # The model's own metrics on its frozen evaluation set, in the order `models list` shows them.
    headline_metrics: dict[str, float] = Field(default_factory=dict)
    # data_hash, code_version, world_seed, parent (a registry version), eval_set.
    lineage: dict[str, str | int | None] = Field(default_factory=dict)


class ModelsResponse(BaseModel):
    artifacts: list[ArtifactInfo]
    degraded: list[str]
    loaded_at: float
    reload_error: str | None


# health and errors ------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok", "not ready"]
    detail: str | None = None


class ErrorBody(BaseModel):
    type: str
    message: str
    fields: list[str] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    error: ErrorBody
