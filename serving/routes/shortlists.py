"""Shortlists for a brief and lookalikes of a creator; a tenant's shortlists stay its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.features import Brief
from creatormatch.matching import Shortlist, similar
from creatormatch.matching import shortlist as make_shortlist
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.schemas import (
    SavedShortlistResponse,
    ShortlistRequest,
    ShortlistResponse,
    SimilarRequest,
)
from creatormatch.serving.state import ServiceState

router = APIRouter(prefix="/v1", tags=["shortlists"])


def _rank_and_keep(state: ServiceState, tenant: str, brief: Brief) -> tuple[Shortlist, str]:
    result = make_shortlist(state.require().bundle, brief)
    saved = state.tenants.save_shortlist(
        tenant, brief.model_dump(mode="json"), result.model_dump(mode="json")
    )
    return result, saved


@router.post("/shortlists", response_model=ShortlistResponse, responses=errors())
async def create_shortlist(
    request: ShortlistRequest, state: State, caller: Caller
) -> ShortlistResponse:
    """Rank creators for a brief; the brief and the result are kept for your tenant."""
    result, saved = await in_thread(_rank_and_keep, state, caller.tenant, request.to_brief())
    return ShortlistResponse(**dict(result), shortlist_id=saved)


@router.get(
    "/shortlists/{shortlist_id}", response_model=SavedShortlistResponse, responses=errors(404)
)
async def get_shortlist(
    shortlist_id: Annotated[str, Path(min_length=1, max_length=64)], state: State, caller: Caller
) -> SavedShortlistResponse:
    """A shortlist your tenant made, with its brief; another tenant's is 404."""
    saved = await in_thread(state.tenants.shortlist, caller.tenant, shortlist_id)
    return SavedShortlistResponse.model_validate(saved, from_attributes=True)


@router.post("/creators/similar", response_model=ShortlistResponse, responses=errors(404))
async def similar_creators(
    request: SimilarRequest, state: State, caller: Caller
) -> ShortlistResponse:
    """Creators like this one: its content and audience as the brief, your filters kept."""
    bundle = state.require().bundle
    result = await in_thread(similar, bundle, request.creator_id, request.base_brief())
    return ShortlistResponse(**dict(result))
