"""Shortlists for a brief and lookalikes of a creator; a tenant's shortlists stay its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.features import Brief
from creatormatch.matching import Shortlist, similar
from creatormatch.matching import shortlist as make_shortlist
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.refine import refine, without
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.schemas import (
    SavedShortlistResponse,
    ShortlistRequest,
    ShortlistResponse,
    SimilarRequest,
)
from creatormatch.serving.state import ServiceState
from creatormatch.serving.workspace_schemas import RefineRequest

router = APIRouter(prefix="/v1", tags=["shortlists"])


def _keep(state: ServiceState, tenant: str, brief: Brief, result: Shortlist) -> str:
    return state.tenants.save_shortlist(
        tenant, brief.model_dump(mode="json"), result.model_dump(mode="json")
    )


def _rank_and_keep(state: ServiceState, tenant: str, brief: Brief) -> tuple[Shortlist, str]:
    result = make_shortlist(state.require().bundle, brief)
    return result, _keep(state, tenant, brief, result)


def _refine_and_keep(
    state: ServiceState, tenant: str, request: RefineRequest
) -> tuple[Shortlist, str]:
    brief = request.brief.to_brief()
    result = refine(state.require().bundle, brief, request.more_like, request.fewer_like)
    # Kept without the creators marked "fewer": a saved copy re-ranked later leaves them out too.
    return result, _keep(state, tenant, without(brief, request.fewer_like), result)


@router.post("/shortlists", response_model=ShortlistResponse, responses=errors())
async def create_shortlist(
    request: ShortlistRequest, state: State, caller: Caller
) -> ShortlistResponse:
    """Rank creators for a brief; the brief and the result are kept for your tenant."""
    result, saved = await in_thread(_rank_and_keep, state, caller.tenant, request.to_brief())
    return ShortlistResponse(**dict(result), shortlist_id=saved)


@router.post("/shortlists/refine", response_model=ShortlistResponse, responses=errors(404))
async def refine_shortlist(
    request: RefineRequest, state: State, caller: Caller
) -> ShortlistResponse:
    """More like these creators, fewer like those: the brief ranked again around them (Rocchio
    feedback on the query); kept for your tenant with the brief, as a shortlist is."""
    result, saved = await in_thread(_refine_and_keep, state, caller.tenant, request)
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
