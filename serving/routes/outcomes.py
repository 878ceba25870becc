"""Campaign results: kept per tenant, and in the catalog to feed the next training."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.core import InvalidInput
from creatormatch.features import CampaignOutcome
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.schemas import CampaignOutcomes, OutcomesRequest, OutcomesStored
from creatormatch.serving.state import ServiceState

router = APIRouter(prefix="/v1", tags=["outcomes"])


def _store(state: ServiceState, tenant: str, outcomes: list[CampaignOutcome]) -> None:
    """All or nothing: an outcome of a creator the catalog lacks would train on nothing."""
    with state.write_lock:
        writer = state.writer()
        named = sorted({o.creator_id for o in outcomes})
        unknown = sorted(set(named) - set(writer.content_hashes(named)))
        if unknown:
            shown = ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")
            raise InvalidInput(
                f"expected outcomes of creators in the catalog, got {len(unknown)} unknown "
                f"creator id(s) ({shown}); ingest them first; nothing was stored"
            )
        state.tenants.add_outcomes(tenant, outcomes)
        writer.upsert_outcomes(outcomes, owner=tenant)


@router.post("/outcomes", response_model=OutcomesStored, responses=errors())
async def add_outcomes(request: OutcomesRequest, state: State, caller: Caller) -> OutcomesStored:
    """Store campaign results (≤ 10,000) for your tenant and for retraining."""
    await in_thread(_store, state, caller.tenant, request.outcomes)
    return OutcomesStored(stored=len(request.outcomes))


# `:path`: a campaign id may hold "/", as a creator id may.
@router.get("/outcomes/{campaign_id:path}", response_model=CampaignOutcomes, responses=errors(404))
async def campaign_outcomes(
    campaign_id: Annotated[str, Path(min_length=1, max_length=200)], state: State, caller: Caller
) -> CampaignOutcomes:
    """Your tenant's results of one campaign; another tenant's campaign is 404."""
    outcomes = await in_thread(state.tenants.outcomes, caller.tenant, campaign_id)
    return CampaignOutcomes(campaign_id=campaign_id, outcomes=outcomes)
