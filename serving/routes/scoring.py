"""Score without storing: creators for fraud (≤ 1,000), accounts for fakeness (≤ 10,000)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from fastapi import APIRouter

from creatormatch.core import NotReady
from creatormatch.features import CreatorRecord, SampledAccount, from_sampled
from creatormatch.models import AccountModel, score_accounts
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.schemas import (
    AccountScoreRequest,
    AccountScoreResponse,
    FraudScoreRequest,
    FraudScoreResponse,
    ScoredAccount,
    ScoredCreator,
)
from creatormatch.serving.state import Snapshot
from creatormatch.store import QUALITY_COLUMNS, fraud_reports, quality_frame

router = APIRouter(prefix="/v1", tags=["scoring"])


def _quality(records: list[CreatorRecord], account: AccountModel | None) -> pd.DataFrame:
    """Audience quality from the account model; unknown (NaN) without one, never zero."""
    if account is not None:
        return quality_frame(records, account)
    ids = pd.Index([r.creator_id for r in records], name="creator_id")
    return pd.DataFrame(np.nan, index=ids, columns=list(QUALITY_COLUMNS))


def _fraud(snapshot: Snapshot, creators: list[CreatorRecord]) -> FraudScoreResponse:
    model = snapshot.bundle.fraud
    if model is None:
        raise NotReady("no fraud model: run `creatormatch train`")
    records = list({r.creator_id: r for r in creators}.values())
    rows = fraud_reports(records, model, _quality(records, snapshot.account))
    return FraudScoreResponse(
        results=[ScoredCreator(creator_id=cid, **json.loads(report)) for cid, _, _, report in rows]
    )


def _accounts(model: AccountModel | None, accounts: list[SampledAccount]) -> AccountScoreResponse:
    if model is None:
        raise NotReady("no account model: run `creatormatch accounts train`")
    scored = score_accounts(from_sampled(accounts), model)
    frame = scored.frame
    results = [
        ScoredAccount(
            username=account.username,
            fake_probability=None if p != p else float(p),
            risk_band=None if pd.isna(band) else str(band),
            error=None if pd.isna(error) else str(error),
        )
        for account, p, band, error in zip(
            accounts, frame["fake_probability"], frame["risk_band"], frame["error"], strict=True
        )
    ]
    return AccountScoreResponse(results=results, fields_used=scored.fields_used)


@router.post("/fraud/score", response_model=FraudScoreResponse, responses=errors())
async def score_fraud(request: FraudScoreRequest, state: State, _: Caller) -> FraudScoreResponse:
    """Fraud probability, band, reasons and evidence for each record (nothing is stored)."""
    return await in_thread(_fraud, state.require(), request.creators)


@router.post("/accounts/score", response_model=AccountScoreResponse, responses=errors())
async def score_account_sample(
    request: AccountScoreRequest, state: State, _: Caller
) -> AccountScoreResponse:
    """Probability that each account of a sample is fake, with its band, and the profile fields
    the sample gave (nothing is stored)."""
    return await in_thread(_accounts, state.require().account, request.accounts)
