"""A brief in, a ranked and explained shortlist out: retrieval, scoring, assembly, reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel

from creatormatch.core import NotFound
from creatormatch.features import (
    AUDIENCE_FITS,
    Brief,
    ContentTerms,
    CreatorRecord,
    brief_vectors,
    content_text,
    pair_features,
    product_topic,
    target_vector,
    tier_of,
    with_creator_columns,
)
from creatormatch.matching.assemble import ON_TOPIC, Candidates, assemble, ranking_score
from creatormatch.matching.bundle import Bundle
from creatormatch.matching.candidates import GATHERED_COLUMNS, Gathered
from creatormatch.matching.explain import (
    audience_reason,
    content_reason,
    conversion_reason,
    fraud_reason,
)
from creatormatch.matching.filters import Filters
from creatormatch.matching.indexing import creator_vectors
from creatormatch.matching.relevance import content_score, topic_agreement, topical
from creatormatch.matching.vectors import VectorWeights, query_vector
from creatormatch.models import ConversionEstimate, estimates_at

CANDIDATES = 1_000
# One search fetches this many; the feedback query re-ranks them and keeps CANDIDATES.
POOL = 2_000
FEEDBACK_DEPTH = 10
FEEDBACK_CLOSENESS = 0.85


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
    rate: npt.NDArray[np.float64] | None  # (n,) conversions per impression, from the model
    impressions: npt.NDArray[np.float64] | None  # (n,)

    def estimates(self, rows: list[int]) -> list[ConversionEstimate | None]:
        """Estimates with intervals for the chosen rows only: intervals cost ~5 µs a row."""
        if self.rate is None or self.impressions is None:
            return [None] * len(rows)
        return list(estimates_at(self.rate[rows], self.impressions[rows]))


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


def retrieve(
    bundle: Bundle, brief: Brief, text: npt.NDArray[np.float32]
) -> tuple[list[str], npt.NDArray[np.float32], Gathered | None]:
    """Top CANDIDATES of one search of POOL, re-scored with the pseudo-relevance feedback query.

    The feedback query differs from the first only in its text part, so its score of a creator
    is the first score plus w_text² · content · (moved − text): a second search of the whole
    index (as slow as the first) is replaced by re-scoring the pool (docs/decisions/0007).
    """
    target, known = target_vector(brief)
    query = query_vector(text, target, known, weights=VectorWeights())
    scores, labels = bundle.index.search_labels(query, POOL, filters=filters_of(brief))
    found = labels[0] >= 0
    if not found.any():
        return [], np.zeros(0, dtype=np.float32), None
    first, labels = scores[0][found], labels[0][found]  # (pool,)
    content = pool_content(bundle, labels)  # (pool, dim)
    seeds = content[np.argsort(-first, kind="stable")[:FEEDBACK_DEPTH]]
    moved = expanded_from(text, seeds)
    w_text = VectorWeights().w_text
    shift = (content @ (moved - text)).astype(np.float32)  # (pool,)
    match = first + np.float32(w_text**2) * shift
    top = np.argsort(-match, kind="stable")[:CANDIDATES]
    # Features and pair features only for the candidates kept: half the pool (~1 ms).
    kept = gather(bundle, brief, labels[top], text, content[top])
    return bundle.index.ids_of(labels[top]), match[top], kept


def pool_content(bundle: Bundle, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """(n, dim) content vectors of index `labels`: from the in-memory table, and from the
    catalog for creators it lacks."""
    rows = bundle.rows_of(labels)
    held = rows >= 0
    if bundle.candidates is not None and held.all():
        return bundle.candidates.content[rows]
    content = np.zeros((len(labels), bundle.embedder.dimension), dtype=np.float32)
    if bundle.candidates is not None:
        content[held] = bundle.candidates.content[rows[held]]
    ids = bundle.index.ids_of(labels[~held])
    content[~held] = creator_vectors(bundle.catalog, ids, dimension=bundle.embedder.dimension)[0]
    return content


def expanded_from(
    text: npt.NDArray[np.float32], seeds: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Pseudo-relevance feedback: the brief's vector pulled toward its best first matches.

    A brief is written in a marketer's words, captions in a creator's; adding the mean content
    vector of the first matches (seeds: (FEEDBACK_DEPTH, dim)) moves the query into the
    creators' vocabulary (+0.03 P@10 on the Kim development briefs, +0.02 on the held-out ones;
    docs/decisions/0006). Only seeds nearly as close to the brief as the best one count, so a
    brief with a single true match is not dragged toward nine unrelated creators.
    """
    closeness = seeds @ text  # (FEEDBACK_DEPTH,) cosine to the brief
    close = seeds[closeness >= FEEDBACK_CLOSENESS * closeness.max()]
    moved = text + close.mean(axis=0)  # (dim,)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def gather(
    bundle: Bundle,
    brief: Brief,
    labels: npt.NDArray[np.int64],
    text: npt.NDArray[np.float32],
    content: npt.NDArray[np.float32] | None = None,
) -> Gathered:
    """Candidate data of index `labels`: from the in-memory table, and from the catalog for
    creators it lacks; `content`: their (n, dim) vectors where the caller has read them."""
    rows = bundle.rows_of(labels)
    held = rows >= 0
    if bundle.candidates is not None and held.all():
        return bundle.candidates.gather(rows, brief, text, content)
    read = read_catalog(bundle, brief, bundle.index.ids_of(labels[~held]), text)
    if not held.any():
        return read
    assert bundle.candidates is not None
    parts = Gathered.concat([bundle.candidates.gather(rows[held], brief, text), read])
    order = np.concatenate([np.flatnonzero(held), np.flatnonzero(~held)])
    return parts.take(np.argsort(order, kind="stable"))


def read_catalog(
    bundle: Bundle, brief: Brief, ids: list[str], text: npt.NDArray[np.float32]
) -> Gathered:
    """The SQLite path: features JSON, fraud scores, profiles and vectors of `ids`."""
    features = bundle.catalog.features(ids).reindex(ids, columns=GATHERED_COLUMNS)
    fraud = bundle.catalog.fraud_scores(ids)
    features["fraud_probability"] = [fraud.get(c, {}).get("probability", np.nan) for c in ids]
    content, _, _ = creator_vectors(bundle.catalog, ids, dimension=bundle.embedder.dimension)
    profiles = {r.creator_id: r for r in bundle.catalog.profiles(ids)}
    records = [profiles.get(c) or CreatorRecord(creator_id=c) for c in ids]
    return Gathered(features, content, pair_features(brief, records, content @ text))


def _hard_filters(brief: Brief, features: pd.DataFrame) -> npt.NDArray[np.bool_]:
    keep = np.ones(len(features), dtype=bool)
    if brief.max_fraud is not None:
        keep &= ~(features["fraud_probability"].to_numpy() > brief.max_fraud)
    if brief.price_cap is not None:
        keep &= ~(features["price_per_post"].to_numpy() > brief.price_cap)
    return keep


def _score(
    bundle: Bundle, gathered: Gathered, match: npt.NDArray[np.float64], rows: npt.NDArray[np.intp]
) -> _Scored:
    """Fit and value of candidates `rows`, NaN for the others; `match`: the search score plus
    topic agreement. Off-topic candidates are ranked by topical match alone, so the conversion
    model is asked about them only once one is chosen (`_scored_rows`)."""
    features = gathered.features
    authenticity = 1.0 - np.nan_to_num(features["fraud_probability"].to_numpy(), nan=0.0)
    if bundle.conversion is None:
        fit = match * authenticity
        return _Scored(fit, fit, None, None)
    n = len(features)
    rate, impressions = np.full(n, np.nan), np.full(n, np.nan)
    if len(rows):
        part = gathered.take(rows)
        pairs = with_creator_columns(part.pairs, part.features)
        held = part.rows
        impressions[rows] = (
            bundle.impressions(part.features) if held is None else bundle.held_impressions[held]
        )
        rate[rows] = bundle.conversion.rate(pairs)  # what `estimate` computes, without intervals
    return _Scored(rate * 1000 * authenticity, rate * impressions * authenticity, rate, impressions)


def _scored_rows(
    bundle: Bundle,
    gathered: Gathered,
    match: npt.NDArray[np.float64],
    scored: _Scored,
    rows: list[int],
) -> _Scored:
    """`scored` with `rows` scored too, where they were not."""
    if scored.rate is None or scored.impressions is None:
        return scored
    late = np.array([row for row in rows if np.isnan(scored.rate[row])], dtype=np.intp)
    if not len(late):
        return scored
    more = _score(bundle, gathered, match, late)
    assert more.rate is not None and more.impressions is not None
    return _Scored(
        _at(scored.relevance, more.relevance, late), _at(scored.value, more.value, late),
        _at(scored.rate, more.rate, late), _at(scored.impressions, more.impressions, late),
    )  # fmt: skip


def _at(
    old: npt.NDArray[np.float64], new: npt.NDArray[np.float64], rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """`old` with `new`'s values at `rows`."""
    out = old.copy()
    out[rows] = new[rows]
    return out


def shortlist(
    bundle: Bundle,
    brief: Brief,
    *,
    text: npt.NDArray[np.float32] | None = None,
    pitch: bool = True,
) -> Shortlist:
    """The brief's best creators; `text`: the (dim,) unit query vector when the caller has one
    (a lookalike's own content vector), else the brief's text embedded clause by clause, as the
    conversion model's training briefs were; `pitch`: whether the brief's text is a product
    pitch, whose product may name a topic (a lookalike's is the creator's own content)."""
    product = product_topic(brief.text) if pitch else None
    if text is None:
        text = brief_vectors(bundle.embedder, [brief.text])[0]
    ids, match, gathered = retrieve(bundle, brief, text)
    if gathered is None:
        return Shortlist(items=[], degraded=list(bundle.degraded), candidates_considered=0)
    keep = _hard_filters(brief, gathered.features)
    if not keep.any():
        return _empty(bundle, _none_within_limits(brief, len(ids)))
    if not keep.all():  # a copy of every column otherwise, for nothing
        ids = [cid for cid, ok in zip(ids, keep, strict=True) if ok]
        gathered, match = gathered.take(np.flatnonzero(keep)), match[keep]
    features, content = gathered.features, gathered.content
    similarity = gathered.pairs["content_similarity"].to_numpy(dtype=np.float32)  # (n,) cosine
    profiles = bundle.topics(content, gathered.rows)  # (n, topics)
    agreement = topic_agreement(
        text, profiles, bundle.topic_vectors, bundle.topic_anchors, bundle.pitch, product
    )
    on_topic = topical(content_score(similarity, agreement))
    relevance = content_score(match, agreement)
    scored = _score(bundle, gathered, relevance, np.flatnonzero(on_topic >= ON_TOPIC))
    price = features["price_per_post"].to_numpy(dtype=np.float64)
    candidates = Candidates(ids, scored.relevance, scored.value, content, price, on_topic)
    rows, _, unpriced = assemble(candidates, k=brief.k, budget=brief.budget)
    if not rows:
        return _empty(bundle, _none_within_budget(brief, price), considered=len(ids))
    scored = _scored_rows(bundle, gathered, relevance, scored, rows)  # off-topic ones chosen
    score = ranking_score(
        replace(candidates, fit=scored.relevance, value=scored.value), budget=brief.budget
    )
    chosen = [ids[row] for row in rows]
    records, fraud = bundle.catalog.quotable(chosen), bundle.catalog.fraud_scores(chosen)
    estimates = scored.estimates(rows)
    fits = {fit: gathered.pairs[fit].to_numpy() for fit in AUDIENCE_FITS}  # reasons quote them
    items = [
        _item(rank, record, terms, price[row], fraud.get(ids[row]), estimate,
              (float(score[row]), float(match[row]), float(similarity[row])),
              {fit: fits[fit][row] for fit in AUDIENCE_FITS}, brief)
        for rank, (row, (record, terms), estimate) in enumerate(
            zip(rows, records, estimates, strict=True), start=1)
    ]  # fmt: skip
    notes = list(bundle.degraded)
    if unpriced:
        notes.append(f"{unpriced} candidates without a known price were left out of the budget")
    return Shortlist(items=items, degraded=notes, candidates_considered=len(ids))


def _empty(bundle: Bundle, note: str, *, considered: int = 0) -> Shortlist:
    """No creator to list: the reason is a note, as a degraded model's is."""
    notes = [*bundle.degraded, note]
    return Shortlist(items=[], degraded=notes, candidates_considered=considered)


def _none_within_limits(brief: Brief, matched: int) -> str:
    limits = [
        f"{name} {value:g}"
        for name, value in (("max_fraud", brief.max_fraud), ("price_cap", brief.price_cap))
        if value is not None
    ]
    return f"none of the {matched} matching creators is within the brief's {' and '.join(limits)}"


def _none_within_budget(brief: Brief, price: npt.NDArray[np.float64]) -> str:
    known = price[~np.isnan(price)]  # (n,) prices of the candidates; NaN when unknown
    budget = f"the budget {brief.budget:g}" if brief.budget is not None else "no budget"
    if not known.size:
        return f"no matching creator has a known price, so none fits {budget}"
    return f"no matching creator fits {budget}: the cheapest costs {known.min():g}"


def _item(
    rank: int,
    record: CreatorRecord,
    terms: ContentTerms,
    price: float,
    fraud: dict | None,
    estimate: ConversionEstimate | None,
    scores: tuple[float, float, float],
    fit: Mapping[str, float],
    brief: Brief,
) -> ShortlistItem:
    score, match, similarity = scores
    reasons = [content_reason(terms, brief, similarity)]
    audience = audience_reason(record, brief, fit)
    reasons += [audience] if audience else []
    if estimate is not None:
        reasons.append(
            conversion_reason(estimate.conversions, estimate.low, estimate.high,
                              estimate.per_1k_impressions)
        )  # fmt: skip
    if fraud is not None:
        reasons.append(fraud_reason(fraud["probability"], fraud["band"], fraud["reasons"]))
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
        price_per_post=None if price != price else float(price),
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
    records = bundle.catalog.readable([creator_id])
    if not records:
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    # Its stored content vector is what other creators were embedded as: re-embedding its
    # content text clause by clause, as a brief, blurred it into generic words.
    content, _, _ = creator_vectors(
        bundle.catalog, [creator_id], dimension=bundle.embedder.dimension
    )
    return shortlist(bundle, lookalike_brief(records[0], base), text=content[0], pitch=False)
