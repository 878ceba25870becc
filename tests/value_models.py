"""Small conversion and reach models for a test home: what a budgeted shortlist needs.

Fitted on made-up outcomes of the home's own creators (two campaigns per niche), enough to
exercise the value path of a shortlist (conversion estimates, reach), not to judge quality.
"""

from __future__ import annotations

import numpy as np

from creatormatch.core import Home
from creatormatch.features import CampaignOutcome, load_embedder
from creatormatch.matching import creator_vectors
from creatormatch.store import Catalog
from creatormatch.training import conversion_data, train_conversion, train_reach
from tests.conftest import NICHES


def _outcomes(creator_ids: list[str], rng: np.random.Generator) -> list[CampaignOutcome]:
    outcomes = []
    for round_ in range(2):
        for n, (niche, words) in enumerate(NICHES.items()):
            campaign = f"{niche}-{round_}"
            for creator_id in creator_ids[n :: len(NICHES)]:
                impressions = int(rng.integers(1_000, 50_000))
                outcomes.append(CampaignOutcome.model_validate({
                    "campaign_id": campaign, "brand_id": f"brand-{niche}",
                    "creator_id": creator_id, "impressions": impressions,
                    "conversions": int(rng.binomial(impressions, 0.002)),
                    "spend": float(rng.integers(100, 900)), "brief": {"text": words},
                }))  # fmt: skip
    return outcomes


def train_value_models(home: Home) -> None:
    """Publish a conversion and a reach model in `home` (hashing embedder)."""
    embedder = load_embedder("hashing")
    catalog = Catalog(home.catalog)
    try:
        ids = sorted(catalog.creator_ids())
        records = {r.creator_id: r for r in catalog.records(ids)}
        creators = catalog.features(ids)
        creators["fraud_probability"] = np.nan
        content, _, _ = creator_vectors(catalog, ids, dimension=embedder.dimension)
        data = conversion_data(
            _outcomes(ids, np.random.default_rng(3)), records, creators,
            dict(zip(ids, content, strict=True)), embedder,
        )  # fmt: skip
    finally:
        catalog.close()
    metadata = {"data_hash": "e" * 64, "metrics": {}}
    train_conversion(data).save(home.model_dir("conversion"), metadata=metadata)
    train_reach(data).save(home.model_dir("reach"), metadata=metadata)
