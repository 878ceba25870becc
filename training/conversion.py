"""Fit and evaluate the conversion model on campaign outcomes (brand-held-out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import NotReady
from creatormatch.features import (
    Brief,
    CampaignOutcome,
    CreatorRecord,
    TextEmbedder,
    brief_vectors,
    pair_frame,
)
from creatormatch.models import (
    CONVERSION_PARAMS,
    BoosterParams,
    ConversionModel,
    ReachModel,
    rule_of_thumb,
)
from creatormatch.training.metrics import ndcg_at_k

MIN_OUTCOMES = 50


@dataclass(frozen=True)
class ConversionData:
    X: pd.DataFrame  # (n_outcomes, n_pair_features)
    conversions: npt.NDArray[np.float64]  # (n,)
    impressions: npt.NDArray[np.float64]  # (n,)
    campaigns: npt.NDArray[np.str_]  # (n,)
    brands: npt.NDArray[np.str_]  # (n,)
    creators: pd.DataFrame  # (n, creator features) of each row's creator: what reach reads

    def subset(self, mask: npt.NDArray[np.bool_]) -> ConversionData:
        return ConversionData(
            self.X[mask],
            self.conversions[mask],
            self.impressions[mask],
            self.campaigns[mask],
            self.brands[mask],
            self.creators[mask],
        )


def conversion_data(
    outcomes: Sequence[CampaignOutcome],
    records: dict[str, CreatorRecord],
    creators: pd.DataFrame,
    content: dict[str, npt.NDArray[np.float32]],
    embedder: TextEmbedder,
) -> ConversionData:
    """Pair features for every outcome whose brief and creator are known."""
    usable = [o for o in outcomes if o.brief is not None and o.creator_id in records]
    if len(usable) < MIN_OUTCOMES:
        raise NotReady(
            f"need at least {MIN_OUTCOMES} campaign outcomes with a brief and an ingested creator, "
            f"found {len(usable)}: run `creatormatch outcomes ingest FILE`"
        )
    briefs: dict[str, Brief] = {o.campaign_id: o.brief for o in usable if o.brief is not None}
    texts = brief_vectors(embedder, [b.text for b in briefs.values()])  # (n_campaigns, dim)
    by_campaign = dict(zip(briefs, texts, strict=True))
    frames = []
    for campaign_id, brief in briefs.items():
        rows = [o for o in usable if o.campaign_id == campaign_id]
        recs = [records[o.creator_id] for o in rows]
        similarity = np.array([content[r.creator_id] @ by_campaign[campaign_id] for r in recs])
        frames.append(pair_frame(brief, recs, creators, similarity.astype(np.float32)))
    ordered = [o for cid in briefs for o in usable if o.campaign_id == cid]
    return ConversionData(
        X=pd.concat(frames).reset_index(drop=True),
        conversions=np.array([o.conversions for o in ordered], dtype=np.float64),
        impressions=np.array([max(o.impressions, 1) for o in ordered], dtype=np.float64),
        campaigns=np.array([o.campaign_id for o in ordered]),
        brands=np.array([o.brand_id for o in ordered]),
        creators=creators.loc[[o.creator_id for o in ordered]].reset_index(drop=True),
    )


def _ranked_ndcg(scores: npt.NDArray[np.float64], gains: npt.NDArray[np.float64], k: int) -> float:
    """nDCG@k of ranking by `scores` (ties: earlier first) against true `gains`."""
    return ndcg_at_k(gains[np.argsort(-scores, kind="stable")], gains, k=k)


def mean_ndcg(data: ConversionData, scores: npt.NDArray[np.float64], *, k: int = 10) -> float:
    """Mean over campaigns of nDCG@k of conversions per impression."""
    rates = data.conversions / data.impressions
    values = [
        _ranked_ndcg(scores[data.campaigns == c], rates[data.campaigns == c], k)
        for c in np.unique(data.campaigns)
    ]
    return float(np.nanmean(values)) if values else float("nan")


def evaluate_conversion(
    data: ConversionData, *, params: BoosterParams = CONVERSION_PARAMS, seed: int = 0
) -> dict[str, float]:
    """Hold out 25% of brands, fit on the rest, compare nDCG@10 with simple baselines."""
    brands = np.unique(data.brands)
    held = np.random.default_rng(seed).choice(brands, size=max(1, len(brands) // 4), replace=False)
    test_mask = np.isin(data.brands, held)
    train, test = data.subset(~test_mask), data.subset(test_mask)
    model = ConversionModel(params=params).fit(train.X, train.conversions, train.impressions)
    baselines = {
        "followers": test.X["log_followers"].to_numpy(),
        "engagement_rate": test.X["engagement_rate"].to_numpy(),
        "embedding_only": test.X["content_similarity"].to_numpy(),
    }
    metrics = {"ndcg10_model": mean_ndcg(test, model.rate(test.X))}
    for name, scores in baselines.items():
        metrics[f"ndcg10_{name}"] = mean_ndcg(test, np.nan_to_num(scores, nan=-np.inf))
    metrics["heldout_outcomes"] = float(test_mask.sum())
    return metrics | reach_errors(train, test)


def reach_errors(train: ConversionData, test: ConversionData) -> dict[str, float]:
    """Median |log error| of held-out impressions: the learned reach vs organic views."""
    model = ReachModel().fit(train.creators, train.impressions)
    truth = np.log(test.impressions)

    def error(predicted: npt.NDArray[np.float64]) -> float:
        return float(np.median(np.abs(np.log(np.maximum(predicted, 1.0)) - truth)))

    return {
        "reach_log_error_model": error(model.impressions(test.creators)),
        "reach_log_error_organic": error(rule_of_thumb(test.creators)),
    }


def train_conversion(
    data: ConversionData, *, params: BoosterParams = CONVERSION_PARAMS
) -> ConversionModel:
    return ConversionModel(params=params).fit(data.X, data.conversions, data.impressions)


def train_reach(data: ConversionData) -> ReachModel:
    return ReachModel().fit(data.creators, data.impressions)
