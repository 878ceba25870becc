"""Request and response models of the HTTP API (the response reuses the domain shortlist)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from creatormatch.shortlisting import Shortlist
from features import Brief


class ShortlistRequest(Brief):
    """A brief as JSON: `brief` is the free text; every other field of the brief is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    text: Annotated[str, Field(min_length=1, max_length=4_000, alias="brief")]

    def to_brief(self) -> Brief:
        return Brief.model_validate(self.model_dump())


class ShortlistResponse(Shortlist):
    pass


class Health(BaseModel):
    status: Literal["ok", "not ready"]
    detail: str | None = None


class ErrorBody(BaseModel):
    type: str
    message: str
    fields: list[str] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    error: ErrorBody
