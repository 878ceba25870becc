"""Training's campaign evaluation run on synthetic worlds (`creatormatch evaluate matching`).

The models are trained on the world of `seed` and judged on the world of `seed + 1`, whose briefs
and latent conversions are the ground truth (training/campaign_eval.py, docs/decisions/0010).
Not exported from `creatormatch.world`: it imports the training stack, which plain world
generation does not need.
"""

from __future__ import annotations

from pathlib import Path

from creatormatch.features import TextEmbedder
from creatormatch.training import (
    CampaignEvaluation,
    WriteFiles,
    evaluate_home,
    heldout_home,
    trained_home,
)
from creatormatch.world.params import WorldParams
from creatormatch.world.world import World, generate_world
from creatormatch.world.write import write_world


def _writes(world: World) -> WriteFiles:
    return lambda folder: write_world(world, folder, progress=False)


def _generates(params: WorldParams) -> WriteFiles:
    """Generates the world only when called: a kept trained home never calls it."""
    return lambda folder: write_world(generate_world(params), folder, progress=False)


def evaluate_campaigns(
    work: Path,
    *,
    creators: int,
    brands: int,
    seed: int,
    embedder: TextEmbedder,
    account_data: Path | None = None,
) -> CampaignEvaluation:
    """Train on the world of `seed`, ingest the world of `seed + 1` with those models, score it.

    The trained home is kept in `work` and reused when its models exist, so a second run with the
    same arguments only re-scores.
    """
    trained = trained_home(
        work / f"train-seed{seed}-n{creators}",
        _generates(WorldParams(n_creators=creators, seed=seed)),
        embedder=embedder, account_data=account_data,
    )  # fmt: skip
    held = generate_world(WorldParams(n_creators=creators, seed=seed + 1, n_brands=brands))
    home = heldout_home(
        work / f"heldout-seed{seed + 1}-n{creators}", trained, _writes(held), embedder=embedder
    )
    result = evaluate_home(home, held, embedder=embedder)
    result.creators["train"] = creators
    return result
