"""Fit and evaluate the conversion model on campaign outcomes (brand-held-out)."""

from __future__ import annotations

import time
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
    Fitter,
    ReachModel,
    rule_of_thumb,
)
from creatormatch.training.evalset import model_columns
from creatormatch.training.metrics import ndcg_at_k

MIN_OUTCOMES = 50
# Baseline rankings scored next to the model: pair column each ranks by, highest first.
BASELINES = {
    "followers": "log_followers",
    "engagement_rate": "engagement_rate",
    "embedding_only": "content_similarity",
}


@dataclass(frozen=True)
class ConversionData:
    X: pd.DataFrame  # (n_outcomes, n_pair_features)
    conversions: npt.NDArray[np.float64]  # (n,)
    impressions: npt.NDArray[np.float64]  # (n,)
    campaigns: npt.NDArray[np.str_]  # (n,)
    brands: npt.NDArray[np.str_]  # (n,)
    creators: pd.DataFrame  # (n, creator features) of each row's creator: what reach reads
    creator_ids: npt.NDArray[np.str_]  # (n,)

    def subset(self, mask: npt.NDArray[np.bool_]) -> ConversionData:
        return ConversionData(
            self.X[mask],
            self.conversions[mask],
            self.impressions[mask],
            self.campaigns[mask],
            self.brands[mask],
            self.creators[mask],
            self.creator_ids[mask],
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The rows as an evaluation set stores them (evalset.py)."""
        rows = pd.DataFrame({
            "conversions": self.conversions, "impressions": self.impressions,
            "campaign_id": self.campaigns, "brand_id": self.brands, "creator_id": self.creator_ids,
        })  # fmt: skip
        return {
            "pairs": self.X.reset_index(drop=True),
            "rows": rows,
            "creators": self.creators.reset_index(drop=True),
        }

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> ConversionData:
        rows = tables["rows"]
        return cls(
            X=tables["pairs"],
            conversions=rows["conversions"].to_numpy(dtype=np.float64),
            impressions=rows["impressions"].to_numpy(dtype=np.float64),
            campaigns=rows["campaign_id"].to_numpy(dtype=str),
            brands=rows["brand_id"].to_numpy(dtype=str),
            creators=tables["creators"],
            creator_ids=rows["creator_id"].to_numpy(dtype=str),
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
        creator_ids=np.array([o.creator_id for o in ordered]),
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


def held_out_brands(brands: npt.NDArray[np.str_], *, seed: int = 0) -> npt.NDArray[np.str_]:
    """A quarter of the distinct brands (at least one): rows of a brand are never split between
    training and evaluation, or a model would be scored on the campaigns it learned."""
    distinct = np.unique(brands)
    return np.random.default_rng(seed).choice(
        distinct, size=max(1, len(distinct) // 4), replace=False
    )


def rerank_batch(X: pd.DataFrame, *, rows: int = 1_000) -> pd.DataFrame:
    """`rows` candidates drawn from X (fixed seed): what a shortlist's re-rank rates at once."""
    return X.iloc[np.random.default_rng(0).integers(0, len(X), rows)]


def rerank_ms(model: ConversionModel, batch: pd.DataFrame) -> float:
    """Milliseconds the model takes to rate `batch`, once (challenger.race takes the best of
    many, alternating models)."""
    X = model_columns(batch, model.feature_names_in_)
    started = time.perf_counter()
    model.rate(X)
    return (time.perf_counter() - started) * 1_000


def conversion_scorecard(model: ConversionModel, data: ConversionData) -> dict[str, float]:
    """nDCG@10 of the model and of simple baselines, and calibration (predicted / observed
    conversions), on the rows of `data`."""
    X = model_columns(data.X, model.feature_names_in_)
    rate = model.rate(X)
    ratio = float(rate @ data.impressions) / max(float(data.conversions.sum()), 0.5)
    metrics = {"ndcg10_model": mean_ndcg(data, rate)}
    for name, column in BASELINES.items():
        scores = np.nan_to_num(data.X[column].to_numpy(dtype=np.float64), nan=-np.inf)
        metrics[f"ndcg10_{name}"] = mean_ndcg(data, scores)
    return metrics | {
        "calibration_ratio": ratio,
        "calibration_error": abs(float(np.log(ratio))),
        "heldout_outcomes": float(len(data.conversions)),
    }


def reach_scorecard(model: ReachModel, data: ConversionData) -> dict[str, float]:
    """Median |log error| of impressions, the learned reach vs organic views, and the learned
    reach's bias (|median log error|)."""
    truth = np.log(data.impressions)
    error = np.log(np.maximum(model.impressions(data.creators), 1.0)) - truth
    organic = np.log(np.maximum(rule_of_thumb(data.creators), 1.0)) - truth
    return {
        "reach_log_error_model": float(np.median(np.abs(error))),
        "reach_log_error_organic": float(np.median(np.abs(organic))),
        "reach_log_bias": abs(float(np.median(error))),
    }


def evaluate_conversion(
    data: ConversionData, *, params: BoosterParams = CONVERSION_PARAMS, seed: int = 0
) -> dict[str, float]:
    """Hold out a quarter of the brands, fit on the rest, score the conversion and reach models."""
    test_mask = np.isin(data.brands, held_out_brands(data.brands, seed=seed))
    train, test = data.subset(~test_mask), data.subset(test_mask)
    model = ConversionModel(params=params).fit(train.X, train.conversions, train.impressions)
    reach = ReachModel().fit(train.creators, train.impressions)
    return conversion_scorecard(model, test) | reach_scorecard(reach, test)


def train_conversion(
    data: ConversionData,
    *,
    params: BoosterParams = CONVERSION_PARAMS,
    sample_weight: npt.NDArray[np.float64] | None = None,
    fitter: Fitter | None = None,
) -> ConversionModel:
    return ConversionModel(params=params, fitter=fitter).fit(
        data.X, data.conversions, data.impressions, sample_weight=sample_weight
    )


def train_reach(
    data: ConversionData, *, sample_weight: npt.NDArray[np.float64] | None = None
) -> ReachModel:
    return ReachModel().fit(data.creators, data.impressions, sample_weight=sample_weight)
