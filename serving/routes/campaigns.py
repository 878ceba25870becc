"""Campaign results against what the shortlist promised (serving/reports.py says where each
prediction comes from)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.reports import campaign_report
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.workspace_schemas import CampaignReport

router = APIRouter(prefix="/v1", tags=["campaigns"])


# `:path`: a campaign id may hold "/", as in `/v1/outcomes`.
@router.get(
    "/campaigns/{campaign_id:path}/report", response_model=CampaignReport, responses=errors(404)
)
async def report(
    campaign_id: Annotated[str, Path(min_length=1, max_length=200)], state: State, caller: Caller
) -> CampaignReport:
    """Predicted against actual conversions per creator, cost per conversion, spend against the
    budget; a campaign without outcomes in your tenant is 404."""
    return await in_thread(campaign_report, state, caller.tenant, campaign_id)
