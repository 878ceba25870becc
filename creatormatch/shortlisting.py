"""A brief in, a ranked and explained shortlist out: retrieval, scoring, assembly, reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel

from creatormatch.bundle import Bundle
from creatormatch.errors import NotFound
from creatormatch.indexing import creator_vectors
from features import Brief, CreatorRecord, content_text, pair_frame, target_vector, tier_of
from matching import (
    Candidates,
    Filters,
    VectorWeights,
    assemble,
    audience_reason,
    content_reason,
    conversion_reason,
    fraud_reason,
    query_vector,
)
from models import ConversionEstimate

CANDIDATES = 1_000
FEEDBACK_DEPTH = 10
FEEDBACK_CLOSENESS = 0.85
# Share of followers who see an average post when a creator's views are unknown; the middle of
# the organic-reach range public benchmarks report (see docs/world.md).
ORGANIC_REACH = 0.12


class ShortlistItem(BaseModel):
    rank: int
    creator_id: str
    handle: str | None
    platform: str | None
    tier: str | None
    followers: int | None
    score: float
    match_score: float
    predicted_conversions: float | None
    conversions_interval: tuple[float, float] | None
    price_per_post: float | None
    fraud_probability: float | None
    fraud_band: str | None
    fraud_reasons: list[str]
    reasons: list[str]


class Shortlist(BaseModel):
    items: list[ShortlistItem]
    degraded: list[str]
    candidates_considered: int


@dataclass(frozen=True)
class _Scored:
    relevance: npt.NDArray[np.float64]  # (n,) fit
    value: npt.NDArray[np.float64]  # (n,) expected conversions of one post
    estimates: list[ConversionEstimate] | None


def filters_of(brief: Brief) -> Filters:
    return Filters(
        platforms=tuple(brief.platforms),
        tiers=tuple(brief.tiers),
        languages=tuple(brief.languages),
        min_followers=brief.min_followers,
        max_followers=brief.max_followers,
        min_engagement=brief.min_engagement,
        exclude=tuple(brief.exclude),
    )


def expected_impressions(features: pd.DataFrame) -> npt.NDArray[np.float64]:
    views = features["median_views"].to_numpy(dtype=np.float64)
    reach = features["followers"].to_numpy(dtype=np.float64) * ORGANIC_REACH
    return np.where(np.isnan(views), np.nan_to_num(reach), views)


def _retrieve(
    bundle: Bundle, brief: Brief, text: npt.NDArray[np.float32]
) -> tuple[list[str], npt.NDArray[np.float32]]:
    target, known = target_vector(brief)
    filters = filters_of(brief)
    query = query_vector(text, target, known, weights=VectorWeights())
    seeds = [hit.id for hit in bundle.index.search(query, FEEDBACK_DEPTH, filters=filters)[0]]
    if seeds:
        query = query_vector(expanded(bundle, text, seeds), target, known, weights=VectorWeights())
    hits = bundle.index.search(query, CANDIDATES, filters=filters)[0]
    return [cid for cid, _ in hits], np.array([s for _, s in hits], dtype=np.float32)


def expanded(
    bundle: Bundle, text: npt.NDArray[np.float32], seeds: list[str]
) -> npt.NDArray[np.float32]:
    """Pseudo-relevance feedback: the brief's vector pulled toward its best first matches.

    A brief is written in a marketer's words, captions in a creator's; adding the mean content
    vector of the first matches moves the query into the creators' vocabulary (+0.03 P@10 on
    the Kim development briefs, +0.02 on the held-out ones; docs/decisions/0006). Only seeds
    nearly as close to the brief as the best one count, so a brief with a single true match is
    not dragged toward nine unrelated creators.
    """
    content, _, _ = creator_vectors(bundle.catalog, seeds, dimension=bundle.embedder.dimension)
    closeness = content @ text  # (FEEDBACK_DEPTH,) cosine to the brief
    close = content[closeness >= FEEDBACK_CLOSENESS * closeness.max()]
    moved = text + close.mean(axis=0)  # (dim,)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def _hard_filters(brief: Brief, features: pd.DataFrame) -> npt.NDArray[np.bool_]:
    keep = np.ones(len(features), dtype=bool)
    if brief.max_fraud is not None:
        keep &= ~(features["fraud_probability"].to_numpy() > brief.max_fraud)
    if brief.price_cap is not None:
        keep &= ~(features["price_per_post"].to_numpy() > brief.price_cap)
    return keep


def _score(
    bundle: Bundle,
    brief: Brief,
    records: list[CreatorRecord],
    features: pd.DataFrame,
    similarity: npt.NDArray[np.float32],
    match: npt.NDArray[np.float32],
) -> _Scored:
    authenticity = 1.0 - np.nan_to_num(features["fraud_probability"].to_numpy(), nan=0.0)
    if bundle.conversion is None:
        fit = match.astype(np.float64) * authenticity
        return _Scored(fit, fit, None)
    pairs = pair_frame(brief, records, features, similarity)
    estimates = bundle.conversion.estimate(pairs, expected_impressions(features))
    per_1k = np.array([e.per_1k_impressions for e in estimates])
    expected = np.array([e.conversions for e in estimates])
    return _Scored(per_1k * authenticity, expected * authenticity, estimates)


def shortlist(bundle: Bundle, brief: Brief) -> Shortlist:
    text = bundle.embedder.encode([brief.text])[0]  # (dim,) unit-norm
    ids, match = _retrieve(bundle, brief, text)
    if not ids:
        return Shortlist(items=[], degraded=list(bundle.degraded), candidates_considered=0)
    features = bundle.catalog.features(ids).reindex(ids)
    fraud = bundle.catalog.fraud_scores(ids)
    features["fraud_probability"] = [fraud.get(c, {}).get("probability", np.nan) for c in ids]
    keep = _hard_filters(brief, features)
    ids = [cid for cid, ok in zip(ids, keep, strict=True) if ok]
    features, match = features.loc[ids], match[keep]
    profiles = bundle.catalog.profiles(ids)
    content, _, _ = creator_vectors(bundle.catalog, ids, dimension=bundle.embedder.dimension)
    similarity = content @ text  # (n,) cosine: both sides unit-norm
    scored = _score(bundle, brief, profiles, features, similarity, match)
    price = features["price_per_post"].to_numpy(dtype=np.float64)
    candidates = Candidates(ids, scored.relevance, scored.value, content, price)
    rows, score, unpriced = assemble(candidates, k=brief.k, budget=brief.budget)
    # Only the chosen few need their posts, to quote the terms they share with the brief.
    records = bundle.catalog.records([ids[row] for row in rows])
    items = [
        _item(rank, record, features.iloc[row], fraud.get(ids[row]), scored, row,
              (float(score[row]), float(match[row]), float(similarity[row])), brief)
        for rank, (row, record) in enumerate(zip(rows, records, strict=True), start=1)
    ]  # fmt: skip
    notes = list(bundle.degraded)
    if unpriced:
        notes.append(f"{unpriced} candidates without a known price were left out of the budget")
    return Shortlist(items=items, degraded=notes, candidates_considered=len(ids))


def _item(
    rank: int,
    record: CreatorRecord,
    features: pd.Series,
    fraud: dict | None,
    scored: _Scored,
    row: int,
    scores: tuple[float, float, float],
    brief: Brief,
) -> ShortlistItem:
    score, match, similarity = scores
    reasons = [content_reason(record, brief, similarity)]
    audience = audience_reason(record, brief)
    reasons += [audience] if audience else []
    estimate = scored.estimates[row] if scored.estimates else None
    if estimate is not None:
        reasons.append(
            conversion_reason(estimate.conversions, estimate.low, estimate.high,
                              estimate.per_1k_impressions)
        )  # fmt: skip
    if fraud is not None:
        reasons.append(fraud_reason(fraud["probability"], fraud["band"], fraud["reasons"]))
    price = features.get("price_per_post")
    return ShortlistItem(
        rank=rank,
        creator_id=record.creator_id,
        handle=record.handle,
        platform=record.platform,
        tier=tier_of(record.followers),
        followers=record.followers,
        score=score,
        match_score=match,
        predicted_conversions=None if estimate is None else estimate.conversions,
        conversions_interval=None if estimate is None else (estimate.low, estimate.high),
        price_per_post=None if price is None or price != price else float(price),
        fraud_probability=None if fraud is None else fraud["probability"],
        fraud_band=None if fraud is None else fraud["band"],
        fraud_reasons=[] if fraud is None else fraud["reasons"],
        reasons=reasons,
    )


def _top(shares: Mapping[Any, float], *, floor: float, limit: int) -> list[Any]:
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    return [key for key, share in ranked[:limit] if share >= floor]


def lookalike_brief(record: CreatorRecord, base: Brief) -> Brief:
    """A brief that describes `record`: its content as text, its audience as targets.

    Targets the caller set in `base` win; the creator itself is always excluded.
    """
    audience = record.audience
    derived: dict[str, Any] = {"text": content_text(record)[:4_000] or record.creator_id}
    if audience is not None:
        countries = _top(audience.countries, floor=0.05, limit=5)
        total = sum(audience.countries[c] for c in countries) or 1.0
        derived |= {
            "countries": {c: audience.countries[c] / total for c in countries},
            "ages": _top(audience.ages, floor=0.15, limit=3),
            "genders": _top(audience.genders, floor=0.4, limit=2),
            "interests": _top(audience.interests, floor=0.1, limit=3),
        }
    chosen = base.model_dump(exclude_defaults=True, exclude={"text"})
    merged = derived | chosen
    merged["exclude"] = sorted({*base.exclude, record.creator_id})
    return Brief.model_validate(merged)


def similar(bundle: Bundle, creator_id: str, base: Brief) -> Shortlist:
    """Lookalikes of a creator: a shortlist for the brief the creator itself would answer."""
    records = bundle.catalog.records([creator_id])
    if not records:
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    return shortlist(bundle, lookalike_brief(records[0], base))
