"""Shortlists for a brief and lookalikes of a creator; a tenant's shortlists stay its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.matching import shortlist as make_shortlist
from creatormatch.matching import similar
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import (
    SavedShortlistResponse,
    ShortlistRequest,
    ShortlistResponse,
    SimilarRequest,
)

router = APIRouter(prefix="/v1", tags=["shortlists"])


@router.post("/shortlists", response_model=ShortlistResponse, responses=errors())
def create_shortlist(request: ShortlistRequest, state: State, caller: Caller) -> ShortlistResponse:
    """Rank creators for a brief; the brief and the result are kept for your tenant."""
    brief = request.to_brief()
    result = make_shortlist(state.require().bundle, brief)
    saved = state.tenants.save_shortlist(
        caller.tenant, brief.model_dump(mode="json"), result.model_dump(mode="json")
    )
    return ShortlistResponse(**dict(result), shortlist_id=saved)


@router.get(
    "/shortlists/{shortlist_id}", response_model=SavedShortlistResponse, responses=errors(404)
)
def get_shortlist(
    shortlist_id: Annotated[str, Path(min_length=1, max_length=64)], state: State, caller: Caller
) -> SavedShortlistResponse:
    """A shortlist your tenant made, with its brief; another tenant's is 404."""
    saved = state.tenants.shortlist(caller.tenant, shortlist_id)
    return SavedShortlistResponse.model_validate(saved, from_attributes=True)


@router.post("/creators/similar", response_model=ShortlistResponse, responses=errors(404))
def similar_creators(request: SimilarRequest, state: State, caller: Caller) -> ShortlistResponse:
    """Creators like this one: its content and audience as the brief, your filters kept."""
    result = similar(state.require().bundle, request.creator_id, request.base_brief())
    return ShortlistResponse(**dict(result))
