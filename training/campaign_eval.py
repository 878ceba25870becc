"""Campaign evaluation: budgeted shortlists on a held-out world, scored by true conversions.

Models are trained on one synthetic world (its creators, fraud labels and campaign outcomes) and
judged on another, generated from a different seed: other creators, other brands. For every
held-out brand brief each method picks a shortlist of at most `k` creators whose prices fit the
budget, and is scored with the world's latent conversion model (the expected conversions of a
post, before Poisson noise; docs/world.md). Protocol and choices: docs/decisions/0010.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from tqdm import tqdm

from creatormatch.core.settings import Home
from creatormatch.features import Brief, TextEmbedder, content_text
from creatormatch.features.taxonomy import INTERESTS
from creatormatch.matching.assemble import fit_budget
from creatormatch.matching.bundle import Bundle, load_bundle
from creatormatch.matching.filters import attribute_frame, selection_mask
from creatormatch.matching.indexing import creator_vectors
from creatormatch.matching.ingest import ingest_file, ingest_labels, ingest_outcomes
from creatormatch.matching.shortlist import filters_of, shortlist
from creatormatch.store.catalog import Catalog
from creatormatch.training.matching_eval import BM25
from creatormatch.training.pipeline import train_all
from creatormatch.world import World, WorldParams, generate_world, write_world
from creatormatch.world.campaigns import expected_conversions

Floats = npt.NDArray[np.float64]
K_NDCG = 10
BASELINES = ("followers", "engagement_rate", "keyword", "embedding_only")
METHODS = ("ours", *BASELINES)


@dataclass(frozen=True)
class Market:
    """What every method may read about the held-out creators, aligned by catalog row."""

    ids: list[str]
    rows: npt.NDArray[np.int64]  # (n,) the creator's row in the world's columns
    followers: Floats  # (n,)
    engagement_rate: Floats  # (n,) NaN when unknown
    price: Floats  # (n,) the listed price per post, NaN when unlisted
    content: npt.NDArray[np.float32]  # (n, dim) unit content vectors
    keyword: BM25
    attributes: pd.DataFrame  # matching.filters.attribute_frame of the creators


@dataclass
class BriefResult:
    conversions: float
    spend: float
    ndcg: float  # gains: true conversions
    ndcg_per_dollar: float  # gains: true conversions per dollar of price


@dataclass
class CampaignEvaluation:
    briefs: int
    creators: dict[str, int]
    results: dict[str, list[BriefResult]] = field(default_factory=dict)

    def conversions_per_1k(self, method: str) -> float:
        """Total true conversions per $1,000 spent, over every held-out brief."""
        spent = sum(r.spend for r in self.results[method])
        return 1000 * sum(r.conversions for r in self.results[method]) / spent if spent else 0.0

    def ndcg(self, method: str, *, per_dollar: bool = False) -> float:
        values = [r.ndcg_per_dollar if per_dollar else r.ndcg for r in self.results[method]]
        return float(np.nanmean(values))

    def wins(self, method: str, over: str) -> float:
        """Share of briefs where `method` bought more conversions per dollar than `over`."""
        pairs = zip(self.results[method], self.results[over], strict=True)
        return float(np.mean([_per_dollar(a) > _per_dollar(b) for a, b in pairs]))


def _per_dollar(result: BriefResult) -> float:
    return result.conversions / result.spend if result.spend else 0.0


def creator_row(creator_id: str) -> int:
    """The world's column row of a creator it rendered as c0000001, c0000002, ..."""
    return int(creator_id[1:]) - 1


def _world_home(home: Home, world: World, *, embedder: TextEmbedder, with_outcomes: bool) -> None:
    files = write_world(world, home.ensure().root / "world", progress=False)
    ingest_file(home, files / "creators.jsonl", embedder=embedder, progress=True)
    if with_outcomes:
        ingest_labels(home, files / "fraud_labels.csv")
        ingest_outcomes(home, files / "outcomes.jsonl")


def prepare(
    work: Path,
    *,
    creators: int,
    brands: int,
    seed: int,
    embedder: TextEmbedder,
    account_data: Path | None,
) -> tuple[Home, World]:
    """Train on the world of `seed`; ingest the world of `seed + 1` with those models.

    The trained home is kept in `work` and reused when its models exist, so a second run with the
    same arguments only re-scores.
    """
    trained = Home(work / f"train-seed{seed}-n{creators}")
    if not (trained.model_dir("reach") / "manifest.json").is_file():
        shutil.rmtree(trained.root, ignore_errors=True)
        _world_home(
            trained, generate_world(WorldParams(n_creators=creators, seed=seed)),
            embedder=embedder, with_outcomes=True,
        )  # fmt: skip
        train_all(trained, embedder=embedder, data_dir=account_data)
    held = generate_world(WorldParams(n_creators=creators, seed=seed + 1, n_brands=brands))
    heldout = Home(work / f"heldout-seed{seed + 1}-n{creators}")
    shutil.rmtree(heldout.root, ignore_errors=True)
    shutil.copytree(trained.root / "models", heldout.ensure().root / "models")
    _world_home(heldout, held, embedder=embedder, with_outcomes=False)
    return heldout, held


def market_of(catalog: Catalog, *, dimension: int) -> Market:
    ids = catalog.creator_ids()
    features = catalog.features(ids)
    content, _, _ = creator_vectors(catalog, ids, dimension=dimension)
    return Market(
        ids=ids,
        rows=np.array([creator_row(c) for c in ids], dtype=np.int64),
        followers=features["followers"].to_numpy(dtype=np.float64),
        engagement_rate=features["engagement_rate"].to_numpy(dtype=np.float64),
        price=features["price_per_post"].to_numpy(dtype=np.float64),
        content=content,
        keyword=BM25([content_text(r) for r in catalog.records(ids)]),
        attributes=attribute_frame(ids, catalog.attributes().loc[ids]),
    )


def baseline_scores(
    market: Market, brief: Brief, text: npt.NDArray[np.float32]
) -> dict[str, Floats]:
    """How a marketer without our models would rank every creator for `brief` (higher first)."""
    return {
        "followers": market.followers,
        "engagement_rate": np.nan_to_num(market.engagement_rate, nan=-np.inf),
        "keyword": market.keyword.scores(brief.text),
        "embedding_only": (market.content @ text).astype(np.float64),
    }


def baseline_pick(
    scores: Floats, eligible: npt.NDArray[np.bool_], price: Floats, brief: Brief
) -> list[int]:
    """Best first among the creators the brief's filters allow, while prices fit the budget."""
    order = [int(row) for row in np.argsort(-scores, kind="stable") if eligible[row]]
    kept, _ = fit_budget(order, price, brief.budget)
    return kept[: brief.k]


def ndcg_of(
    picked: npt.NDArray[np.int64], gains: Floats, candidates: npt.NDArray[np.bool_]
) -> float:
    """nDCG@10 of the picked order against the best ten `candidates` by `gains`."""
    rows = picked[:K_NDCG]
    ideal = np.sort(gains[candidates])[::-1][:K_NDCG]
    discounts = 1.0 / np.log2(np.arange(2, K_NDCG + 2))
    best = float(ideal @ discounts[: ideal.size])
    return float(gains[rows] @ discounts[: rows.size]) / best if best > 0 else float("nan")


def score_pick(
    picked: Sequence[int],
    truth: Floats,
    price: Floats,
    allowed: npt.NDArray[np.bool_],
    brief: Brief,
) -> BriefResult:
    """True conversions and spend of a shortlist, and nDCG@10 of its order against the creators
    the brief allows and the budget affords, by true conversions and by conversions per dollar."""
    rows = np.asarray(picked, dtype=np.int64)
    affordable = allowed & np.isfinite(price) & (price <= (brief.budget or np.inf))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_dollar = np.where(affordable & (price > 0), truth / price, 0.0)
    return BriefResult(
        conversions=float(truth[rows].sum()),
        spend=float(price[rows].sum()),
        ndcg=ndcg_of(rows, truth, affordable),
        ndcg_per_dollar=ndcg_of(rows, per_dollar, affordable),
    )


def evaluate_world(bundle: Bundle, world: World, *, progress: bool = True) -> CampaignEvaluation:
    """Every method's shortlist for every brief of `world`, scored by true conversions."""
    market = market_of(bundle.catalog, dimension=bundle.embedder.dimension)
    position = {cid: row for row, cid in enumerate(market.ids)}
    result = CampaignEvaluation(
        briefs=len(world.briefs), creators={"heldout": len(market.ids)},
        results={m: [] for m in METHODS},
    )  # fmt: skip
    briefs = [Brief.model_validate(b["brief"]) for b in world.briefs]
    texts = bundle.embedder.encode([b.text for b in briefs])  # (briefs, dim)
    for entry, brief, text in tqdm(
        zip(world.briefs, briefs, texts, strict=True), total=len(briefs),
        disable=not progress, desc="briefs",
    ):  # fmt: skip
        niche = INTERESTS.index(entry["niche"])
        truth = expected_conversions(world.columns, brief, niche, market.rows)  # (n,)
        eligible = selection_mask(market.attributes, filters_of(brief))
        picks = {"ours": [position[item.creator_id] for item in shortlist(bundle, brief).items]}
        for name, scores in baseline_scores(market, brief, text).items():
            picks[name] = baseline_pick(scores, eligible, market.price, brief)
        for name, picked in picks.items():
            result.results[name].append(score_pick(picked, truth, market.price, eligible, brief))
    return result


def evaluate_campaigns(
    work: Path,
    *,
    creators: int,
    brands: int,
    seed: int,
    embedder: TextEmbedder,
    account_data: Path | None = None,
) -> CampaignEvaluation:
    heldout, world = prepare(
        work, creators=creators, brands=brands, seed=seed, embedder=embedder,
        account_data=account_data,
    )  # fmt: skip
    bundle = load_bundle(heldout, embedder=embedder)
    try:
        result = evaluate_world(bundle, world)
    finally:
        bundle.catalog.close()
    result.creators["train"] = creators
    return result


def format_campaigns(result: CampaignEvaluation) -> str:
    ours = result.conversions_per_1k("ours")
    header = (
        f"{'method':<16}{'conv per $1k':>13}{'ours ×':>8}{'ours wins':>10}"
        f"{'nDCG@10 conv':>13}{'nDCG@10 conv/$':>15}{'conversions':>12}{'spend $':>11}"
    )
    lines = [header]
    for method in METHODS:
        value = result.conversions_per_1k(method)
        ratio = ours / value if value else float("inf")
        wins = "" if method == "ours" else f"{result.wins('ours', method):.0%}"
        total = sum(r.conversions for r in result.results[method])
        spend = sum(r.spend for r in result.results[method])
        lines.append(
            f"{method:<16}{value:>13.2f}{ratio:>8.2f}{wins:>10}{result.ndcg(method):>13.3f}"
            f"{result.ndcg(method, per_dollar=True):>15.3f}{total:>12.0f}{spend:>11,.0f}"
        )
    return "\n".join(lines)


def campaigns_json(result: CampaignEvaluation) -> str:
    ours = result.conversions_per_1k("ours")
    return json.dumps(
        {
            "briefs": result.briefs,
            "creators": result.creators,
            "conversions_per_1k_usd": {m: round(result.conversions_per_1k(m), 4) for m in METHODS},
            "ndcg10": {m: round(result.ndcg(m), 4) for m in METHODS},
            "ndcg10_per_dollar": {m: round(result.ndcg(m, per_dollar=True), 4) for m in METHODS},
            "ours_over": {
                m: round(ours / result.conversions_per_1k(m), 3)
                for m in BASELINES
                if result.conversions_per_1k(m)
            },
        },
        sort_keys=True,
    )
