"""Relevance on a held-out synthetic world: is the top 10 on the brief's niche, for every niche?

The models are trained on the world of `seed` (the campaign evaluation's trained home, shared
when both run in one work folder) and the creators of a fresh world of `seed + 1` are ingested
with them. Three kinds of query, each judged by the world's latent niche (never in a record):

- `brands`: the world's own brand briefs (text and audience targets), `per_niche` of every niche,
  drawn by the world's brief generator, sent as they are but with k = 10 and no budget;
- a hand-written brief set (`docs/briefs/world-natural.json`): one short product brief per row;
- `similar`: lookalikes of `per_niche` creators of every niche.

Not exported from `creatormatch.world`, like the campaign evaluation: it imports the training
stack.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from creatormatch.features import INTERESTS, Brief, TextEmbedder
from creatormatch.matching import Bundle, load_bundle, shortlist, similar
from creatormatch.training import EvalBrief, heldout_home, trained_home
from creatormatch.world.campaigns import draw_brief
from creatormatch.world.params import WorldParams
from creatormatch.world.world import World, creator_row, generate_world
from creatormatch.world.write import write_world

K = 10
PER_NICHE = 4
_MAX_DRAWS = 20_000


@dataclass
class NicheEvaluation:
    """Share of on-niche creators in the top K, per query kind and niche."""

    creators: int
    rows: dict[str, dict[str, float]] = field(default_factory=dict)  # kind → niche → share
    queries: dict[str, int] = field(default_factory=dict)  # kind → queries run

    def mean(self, kind: str) -> float:
        return float(np.mean(list(self.rows[kind].values())))

    def worst(self, kind: str) -> tuple[str, float]:
        niche = min(self.rows[kind], key=self.rows[kind].__getitem__)
        return niche, self.rows[kind][niche]


def brand_briefs(seed: int, *, per_niche: int = PER_NICHE) -> list[EvalBrief]:
    """`per_niche` briefs of every niche from the world's brief generator, k = K, no budget."""
    rng = np.random.default_rng(seed)
    found: dict[str, list[Brief]] = {niche: [] for niche in INTERESTS}
    for brand in range(_MAX_DRAWS):
        brief, niche = draw_brief(rng, brand)
        if len(found[INTERESTS[niche]]) < per_niche:
            found[INTERESTS[niche]].append(brief.model_copy(update={"k": K, "budget": None}))
        if all(len(v) == per_niche for v in found.values()):
            break
    return [
        EvalBrief(f"{niche}-b{i}", niche, brief)
        for niche, briefs in found.items()
        for i, brief in enumerate(briefs, start=1)
    ]


def _on_niche(world: World, ids: Sequence[str], niche: str) -> float:
    """Share of K slots held by creators whose latent niche is `niche`; empty slots are misses."""
    wanted = INTERESTS.index(niche)
    niches = world.columns["niche"]
    return sum(int(niches[creator_row(cid)]) == wanted for cid in ids[:K]) / K


def _by_niche(scores: list[tuple[str, float]]) -> dict[str, float]:
    per: dict[str, list[float]] = {}
    for niche, score in scores:
        per.setdefault(niche, []).append(score)
    return {niche: float(np.mean(per[niche])) for niche in INTERESTS if niche in per}


def _similar_seeds(world: World, seed: int, per_niche: int) -> list[tuple[str, str]]:
    """(creator id, niche): `per_niche` honest creators of every niche, drawn by `seed`."""
    rng = np.random.default_rng(seed)
    honest = world.columns["archetype"] == 0
    seeds = []
    for code, niche in enumerate(INTERESTS):
        rows = np.flatnonzero((world.columns["niche"] == code) & honest)
        for row in rng.choice(rows, size=min(per_niche, len(rows)), replace=False):
            seeds.append((f"c{row + 1:07d}", niche))
    return seeds


def evaluate_bundle(
    bundle: Bundle,
    world: World,
    brief_sets: Mapping[str, Sequence[EvalBrief]],
    *,
    seed: int,
    per_niche: int = PER_NICHE,
) -> NicheEvaluation:
    """On-niche share of the top K for every brief set and for `similar`, per niche."""
    result = NicheEvaluation(creators=len(world))
    for kind, briefs in brief_sets.items():
        scores = [
            (b.category, _on_niche(world, [i.creator_id for i in shortlist(bundle, b.brief).items],
                                   b.category))
            for b in briefs
        ]  # fmt: skip
        result.rows[kind], result.queries[kind] = _by_niche(scores), len(briefs)
    base = Brief(text="lookalikes", k=K)
    seeds = _similar_seeds(world, seed, per_niche)
    scores = [
        (niche, _on_niche(world, [i.creator_id for i in similar(bundle, cid, base).items], niche))
        for cid, niche in seeds
    ]
    result.rows["similar"], result.queries["similar"] = _by_niche(scores), len(seeds)
    return result


def evaluate_niches(
    work: Path,
    natural: Mapping[str, Sequence[EvalBrief]],
    *,
    creators: int,
    seed: int,
    embedder: TextEmbedder,
    account_data: Path | None = None,
) -> NicheEvaluation:
    """Train on the world of `seed`, ingest a fresh world of `seed + 1`, judge every query kind."""
    trained = trained_home(
        work / f"train-seed{seed}-n{creators}",
        lambda folder: write_world(
            generate_world(WorldParams(n_creators=creators, seed=seed)), folder, progress=False
        ),
        embedder=embedder,
        account_data=account_data,
    )
    held = generate_world(WorldParams(n_creators=creators, seed=seed + 1))
    home = heldout_home(
        work / f"niches-seed{seed + 1}-n{creators}",
        trained,
        lambda folder: write_world(held, folder, progress=False),
        embedder=embedder,
    )
    bundle = load_bundle(home, embedder=embedder)
    try:
        sets = {"brands": brand_briefs(seed + 1), **natural}
        return evaluate_bundle(bundle, held, sets, seed=seed + 1)
    finally:
        bundle.catalog.close()


def format_niches(result: NicheEvaluation) -> str:
    kinds = list(result.rows)
    header = f"{'niche':<10}" + "".join(f"{kind:>16}" for kind in kinds)
    lines = [header]
    for niche in INTERESTS:
        cells = "".join(
            f"{result.rows[k][niche]:>16.2f}" if niche in result.rows[k] else f"{'-':>16}"
            for k in kinds
        )
        lines.append(f"{niche:<10}{cells}")
    lines.append(f"{'mean':<10}" + "".join(f"{result.mean(k):>16.3f}" for k in kinds))
    lines.append(f"{'queries':<10}" + "".join(f"{result.queries[k]:>16}" for k in kinds))
    return "\n".join(lines)


def niches_json(result: NicheEvaluation) -> str:
    return json.dumps(
        {
            "creators": result.creators,
            "mean": {kind: round(result.mean(kind), 4) for kind in result.rows},
            "per_niche": result.rows,
            "queries": result.queries,
        },
        sort_keys=True,
    )
