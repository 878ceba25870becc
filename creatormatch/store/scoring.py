"""Keep the catalog's derived scores current: audience quality and fraud reports per creator.

Called after ingest (for the creators that changed, and those an interrupted run left unscored)
and after training (for all of them), so a shortlist reads stored scores instead of recomputing
signals for a thousand candidates. `missing_scores` says which creators lack a score that a
published model would give them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from creatormatch.core import Home, load_published
from creatormatch.features import (
    MIN_SAMPLED_COMMENTERS,
    MIN_SAMPLED_FOLLOWERS,
    CreatorRecord,
    audience_quality_frame,
)
from creatormatch.models import AccountModel, FraudModel, FraudReport
from creatormatch.store.catalog import Catalog

CHUNK = 2_000
QUALITY_COLUMNS = ("audience_fake_share", "commenter_fake_share")


def quality_frame(records: Sequence[CreatorRecord], model: AccountModel) -> pd.DataFrame:
    """Share of fake-looking followers and commenters per creator (NaN with too small a sample)."""
    followers = audience_quality_frame(
        {r.creator_id: r.follower_sample or [] for r in records},
        model,
        min_accounts=MIN_SAMPLED_FOLLOWERS,
    )
    commenters = audience_quality_frame(
        {r.creator_id: r.commenter_sample or [] for r in records},
        model,
        min_accounts=MIN_SAMPLED_COMMENTERS,
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
    reports = model.reports(records, quality=quality)
    return [
        (record.creator_id, report.probability, report.band, _report_json(report))
        for record, report in zip(records, reports, strict=True)
    ]


def _report_json(report: FraudReport) -> str:
    """What the catalog stores and the API returns: reasons as text, NaN as null."""
    data = {
        "probability": report.probability,
        "band": report.band,
        "reasons": [reason.text for reason in report.reasons],
        "evidence": asdict(report.evidence),
    }
    return json.dumps(_finite(data), default=str)


def _finite(value: Any) -> Any:
    """The same structure with NaN and infinities as None: JSON has no NaN, and clients choke."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def missing_scores(
    home: Home, catalog: Catalog, creator_ids: Iterable[str] | None = None
) -> dict[str, set[str]]:
    """Per published scorer ("fraud", "audience quality"), the creators of `creator_ids` (default:
    the whole catalog) that have no score from it; scorers not published are left out."""
    ids = set(catalog.creator_ids() if creator_ids is None else creator_ids)
    missing = {}
    if (home.model_dir("fraud") / "manifest.json").is_file():
        missing["fraud"] = ids - catalog.fraud_scored_ids()
    if (home.model_dir("account") / "manifest.json").is_file():
        missing["audience quality"] = ids - catalog.quality_scored_ids()
    return missing


def refresh_scores(
    home: Home, catalog: Catalog, creator_ids: Sequence[str], *, progress: bool = False
) -> None:
    """Recompute audience quality and fraud reports of `creator_ids` with the current models."""
    account, _ = load_published(AccountModel.load, home.model_dir("account"))
    fraud, _ = load_published(FraudModel.load, home.model_dir("fraud"))
    if account is None and fraud is None:
        return
    ids = list(creator_ids)
    for start in tqdm(range(0, len(ids), CHUNK), disable=not progress, desc="scoring"):
        # Hashes first: a record replaced after this read keeps no score computed from it.
        hashes = catalog.stored_hashes(ids[start : start + CHUNK])
        records = catalog.records(ids[start : start + CHUNK])
        if account is not None:
            quality = quality_frame(records, account).reindex(columns=list(QUALITY_COLUMNS))
            catalog.update_features(quality, hashes=hashes)
        else:
            quality = catalog.features([r.creator_id for r in records])
        quality = quality.reindex(
            index=[r.creator_id for r in records], columns=list(QUALITY_COLUMNS)
        ).astype(np.float64)
        if fraud is not None:
            catalog.store_fraud_scores(fraud_reports(records, fraud, quality), hashes=hashes)
