"""Keep the catalog's derived scores current: audience quality and fraud reports per creator.

Called after ingest (for the creators that changed) and after training (for all of them), so a
shortlist reads stored scores instead of recomputing signals for a thousand candidates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from creatormatch.core.settings import Home
from creatormatch.features import (
    CreatorRecord,
    audience_quality_frame,
    fraud_evidence,
    fraud_signal_frame,
)
from creatormatch.models import AccountModel, FraudModel
from creatormatch.store.catalog import Catalog

CHUNK = 2_000
QUALITY_COLUMNS = ("audience_fake_share", "commenter_fake_share")


def load_account_model(home: Home) -> AccountModel | None:
    if not (home.model_dir("account") / "manifest.json").is_file():
        return None
    return AccountModel.load(home.model_dir("account"))[0]


def load_fraud_model(home: Home) -> FraudModel | None:
    if not (home.model_dir("fraud") / "manifest.json").is_file():
        return None
    return FraudModel.load(home.model_dir("fraud"))[0]


def quality_frame(records: Sequence[CreatorRecord], model: AccountModel) -> pd.DataFrame:
    """Share of fake-looking followers and commenters per creator (NaN without a sample)."""
    followers = audience_quality_frame(
        {r.creator_id: r.follower_sample or [] for r in records}, model
    )
    commenters = audience_quality_frame(
        {r.creator_id: r.commenter_sample or [] for r in records}, model
    )
    return pd.DataFrame(
        {
            "audience_fake_share": followers["share_suspicious"],
            "commenter_fake_share": commenters["share_suspicious"],
        }
    )


def fraud_reports(
    records: Sequence[CreatorRecord], model: FraudModel, quality: pd.DataFrame
) -> list[tuple[str, float, str, str]]:
    """(creator_id, probability, band, report JSON) for each record."""
    if model.benchmark_ is None:
        raise ValueError("expected a fraud model fitted with its engagement benchmark")
    frame = fraud_signal_frame(records, benchmark=model.benchmark_, quality=quality)
    X = frame.loc[:, model.feature_names_in_]
    probabilities = model.predict_proba(X)
    bands = model.risk_band(probabilities)
    evidence = [fraud_evidence(r, benchmark=model.benchmark_) for r in records]
    # pred_contrib is 98 % of scoring time; a low-risk creator needs no reasons, so only the
    # flagged ones are explained.
    flagged = np.flatnonzero(np.array(bands) != "low")
    explained = (
        model.explain(X.iloc[flagged], evidence=[evidence[i] for i in flagged])
        if flagged.size
        else []
    )
    reasons: list[list] = [[] for _ in records]
    for row, why in zip(flagged, explained, strict=True):
        reasons[row] = why
    rows = []
    for record, p, band, why, ev in zip(
        records, probabilities, bands, reasons, evidence, strict=True
    ):
        report = {
            "probability": float(p),
            "band": band,
            "reasons": [reason.text for reason in why],
            "evidence": asdict(ev),
        }
        rows.append((record.creator_id, float(p), band, json.dumps(_finite(report), default=str)))
    return rows


def _finite(value: Any) -> Any:
    """The same structure with NaN and infinities as None: JSON has no NaN, and clients choke."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def refresh_scores(
    home: Home, catalog: Catalog, creator_ids: Sequence[str], *, progress: bool = False
) -> None:
    """Recompute audience quality and fraud reports of `creator_ids` with the current models."""
    account, fraud = load_account_model(home), load_fraud_model(home)
    if account is None and fraud is None:
        return
    ids = list(creator_ids)
    for start in tqdm(range(0, len(ids), CHUNK), disable=not progress, desc="scoring"):
        records = catalog.records(ids[start : start + CHUNK])
        features = catalog.features([r.creator_id for r in records])
        if account is not None:
            quality = quality_frame(records, account)
            features[list(QUALITY_COLUMNS)] = quality
            catalog.update_features(features)
        quality = features.reindex(columns=list(QUALITY_COLUMNS)).astype(np.float64)
        if fraud is not None:
            catalog.store_fraud_scores(fraud_reports(records, fraud, quality))
