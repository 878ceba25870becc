"""Features of a (brief, creator) pair: what the conversion model reads.

One code path for training (campaign outcomes) and serving (shortlist candidates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features.brief import Brief
from creatormatch.features.records import Audience, CreatorRecord

NAN = float("nan")

# Creator columns the conversion model reads next to the pair columns; missing ones are NaN.
CREATOR_COLUMNS = (
    "log_followers",
    "engagement_rate",
    "posts_per_week",
    "sponsored_share",
    "price_per_post",
    "fraud_probability",
    "audience_fake_share",
)


def audience_fit(audience: Audience | None, brief: Brief) -> dict[str, float]:
    """Share of the audience in the brief's target countries, ages, genders and interests."""
    if audience is None:
        return {"country_fit": NAN, "age_fit": NAN, "gender_fit": NAN, "interest_fit": NAN}

    def inside(shares: Mapping[Any, float], wanted: Sequence[str]) -> float:
        return sum(shares.get(key, 0.0) for key in wanted) if shares and wanted else NAN

    return {
        "country_fit": inside(audience.countries, list(brief.countries)),
        "age_fit": inside(audience.ages, brief.ages),
        "gender_fit": inside(audience.genders, brief.genders),
        "interest_fit": inside(audience.interests, brief.interests),
    }


def _match(value: str | None, wanted: Sequence[str]) -> float:
    if value is None or not wanted:
        return NAN
    return float(value.lower() in {w.lower() for w in wanted})


def _niche_match(record: CreatorRecord, brief: Brief) -> float:
    if not record.categories or not brief.interests:
        return NAN
    return float(bool(set(record.categories) & set(brief.interests)))


def pair_frame(
    brief: Brief,
    records: Sequence[CreatorRecord],
    creators: pd.DataFrame,
    content_similarity: npt.NDArray[np.float32],
) -> pd.DataFrame:
    """(n_records, n_pair_features) float64, indexed by creator_id, in `records` order.

    `creators` holds engineered creator features indexed by creator_id; `content_similarity`
    is the cosine of the brief's text embedding with each creator's content vector, shape (n,).
    """
    if content_similarity.shape != (len(records),):
        raise ValueError(
            f"expected content_similarity of shape ({len(records)},), "
            f"got {content_similarity.shape}"
        )
    rows = [
        {
            **audience_fit(record.audience, brief),
            "language_match": _match(record.language, brief.languages),
            "country_match": _match(record.country, list(brief.countries)),
            "niche_match": _niche_match(record, brief),
        }
        for record in records
    ]
    ids = pd.Index([r.creator_id for r in records], name="creator_id")
    frame = pd.DataFrame(rows, index=ids)
    frame.insert(0, "content_similarity", content_similarity.astype(np.float64))
    own = creators.reindex(index=ids, columns=list(CREATOR_COLUMNS))
    return pd.concat([frame, own], axis=1).astype("float64")
