"""Campaign results: kept per tenant, and in the catalog to feed the next training."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import CampaignOutcomes, OutcomesRequest, OutcomesStored

router = APIRouter(prefix="/v1", tags=["outcomes"])


@router.post("/outcomes", response_model=OutcomesStored, responses=errors())
def add_outcomes(request: OutcomesRequest, state: State, caller: Caller) -> OutcomesStored:
    """Store campaign results (≤ 10,000) for your tenant and for retraining."""
    state.tenants.add_outcomes(caller.tenant, request.outcomes)
    with state.write_lock:
        state.writer().upsert_outcomes(request.outcomes, owner=caller.tenant)
    return OutcomesStored(stored=len(request.outcomes))


@router.get("/outcomes/{campaign_id}", response_model=CampaignOutcomes, responses=errors(404))
def campaign_outcomes(
    campaign_id: Annotated[str, Path(min_length=1, max_length=200)], state: State, caller: Caller
) -> CampaignOutcomes:
    """Your tenant's results of one campaign; another tenant's campaign is 404."""
    return CampaignOutcomes(
        campaign_id=campaign_id, outcomes=state.tenants.outcomes(caller.tenant, campaign_id)
    )
