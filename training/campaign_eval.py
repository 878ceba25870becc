"""Campaign evaluation: budgeted shortlists on a held-out world, scored by true conversions.

Models are trained on one synthetic world (its creators, fraud labels and campaign outcomes) and
judged on another, generated from a different seed: other creators, other brands. For every
held-out brand brief each method picks a shortlist of at most `k` creators whose prices fit the
budget, and is scored with the world's latent conversion model (the expected conversions of a
post, before Poisson noise; docs/world.md). Protocol and choices: docs/decisions/0010.

Nothing here generates a world: the caller (`creatormatch.world.evaluation`) writes the worlds'
files, and hands over the held-out world as a `CampaignWorld`, its briefs and their ground truth.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from tqdm import tqdm

from creatormatch.core import Home, adopt
from creatormatch.features import Brief, TextEmbedder, content_text
from creatormatch.matching import (
    Bundle,
    attribute_frame,
    creator_vectors,
    filters_of,
    fit_budget,
    ingest_file,
    ingest_labels,
    ingest_outcomes,
    load_bundle,
    selection_mask,
    shortlist,
)
from creatormatch.store import Catalog
from creatormatch.training.matching_eval import BM25
from creatormatch.training.metrics import ndcg_at_k
from creatormatch.training.pipeline import train_all

Floats = npt.NDArray[np.float64]
WriteFiles = Callable[[Path], Path]  # writes creators.jsonl, fraud_labels.csv, outcomes.jsonl
K_NDCG = 10
BASELINES = ("followers", "engagement_rate", "keyword", "embedding_only")
METHODS = ("ours", *BASELINES)


class CampaignWorld(Protocol):
    """What the evaluation reads of the held-out market (`creatormatch.world.World` is one)."""

    @property
    def briefs(self) -> list[dict[str, Any]]:
        """One per brand: {"brief": Brief fields, "niche": the brand's interest, ...}."""
        ...

    def expected_conversions(self, brief: Brief, niche: str, creator_ids: Sequence[str]) -> Floats:
        """(n,) the true conversions one post of each creator brings `brief`."""
        ...


@dataclass(frozen=True)
class Market:
    """What every method may read about the held-out creators, aligned by catalog row."""

    ids: list[str]
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


def ingest_files(home: Home, files: Path, *, embedder: TextEmbedder, with_outcomes: bool) -> None:
    """Ingest the creators in the folder `files`; with `with_outcomes`, labels and outcomes too."""
    ingest_file(home, files / "creators.jsonl", embedder=embedder, progress=True)
    if with_outcomes:
        ingest_labels(home, files / "fraud_labels.csv")
        ingest_outcomes(home, files / "outcomes.jsonl")


def trained_home(
    root: Path, write_files: WriteFiles, *, embedder: TextEmbedder, account_data: Path | None
) -> Home:
    """The home at `root` trained on the files `write_files(folder)` writes and returns.

    Kept and reused when its models exist, so a second run with the same arguments only re-scores
    (and never calls `write_files`).
    """
    home = Home(root)
    if not (home.model_dir("reach") / "manifest.json").is_file():
        shutil.rmtree(home.root, ignore_errors=True)
        files = write_files(home.ensure().root / "world")
        ingest_files(home, files, embedder=embedder, with_outcomes=True)
        train_all(home, embedder=embedder, data_dir=account_data)
    return home


def heldout_home(
    root: Path, trained: Home, write_files: WriteFiles, *, embedder: TextEmbedder
) -> Home:
    """A fresh home at `root` with the models of `trained` and the creators of `write_files`."""
    home = Home(root)
    shutil.rmtree(home.root, ignore_errors=True)
    shutil.copytree(trained.root / "models", home.ensure().root / "models")
    adopt(home)  # the copies are signed with the trained home's key: sign them with this one's
    files = write_files(home.root / "world")
    ingest_files(home, files, embedder=embedder, with_outcomes=False)
    return home


def market_of(catalog: Catalog, *, dimension: int) -> Market:
    ids = catalog.creator_ids()
    features = catalog.features(ids)
    content, _, _ = creator_vectors(catalog, ids, dimension=dimension)
    return Market(
        ids=ids,
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
        ndcg=ndcg_at_k(truth[rows], truth[affordable], k=K_NDCG),
        ndcg_per_dollar=ndcg_at_k(per_dollar[rows], per_dollar[affordable], k=K_NDCG),
    )


def evaluate_world(
    bundle: Bundle, world: CampaignWorld, *, progress: bool = True
) -> CampaignEvaluation:
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
        truth = world.expected_conversions(brief, entry["niche"], market.ids)  # (n,)
        eligible = selection_mask(market.attributes, filters_of(brief))
        picks = {"ours": [position[item.creator_id] for item in shortlist(bundle, brief).items]}
        for name, scores in baseline_scores(market, brief, text).items():
            picks[name] = baseline_pick(scores, eligible, market.price, brief)
        for name, picked in picks.items():
            result.results[name].append(score_pick(picked, truth, market.price, eligible, brief))
    return result


def evaluate_home(
    home: Home, world: CampaignWorld, *, embedder: TextEmbedder
) -> CampaignEvaluation:
    """`evaluate_world` on the bundle of `home`, which holds the creators of `world`."""
    bundle = load_bundle(home, embedder=embedder)
    try:
        return evaluate_world(bundle, world)
    finally:
        bundle.catalog.close()


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
