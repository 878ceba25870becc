"""Labelled creators for the fraud model: records and fraud labels drawn from synthetic worlds."""

from __future__ import annotations

import pandas as pd

from creatormatch.features import CreatorRecord
from creatormatch.world.params import WorldParams
from creatormatch.world.world import generate_world


def synthetic_fraud_data(
    *, seed: int, n_creators: int, intensities: tuple[float, ...] = (1.0, 0.5, 0.25)
) -> tuple[list[CreatorRecord], pd.DataFrame]:
    """Records and labels of one world per intensity (seeds seed, seed+1, …), ids made unique.

    Labels have the columns creator_id, is_fraud and archetype. Training on loud and subtle fraud
    together is what keeps recall up on subtle worlds.
    """
    records: list[CreatorRecord] = []
    labels = []
    for offset, intensity in enumerate(intensities):
        world = generate_world(
            WorldParams(seed=seed + offset, n_creators=n_creators, fraud_intensity=intensity)
        )
        prefix = f"s{seed + offset}-" if len(intensities) > 1 else ""
        records += [
            CreatorRecord.model_validate({**raw, "creator_id": prefix + raw["creator_id"]})
            for raw in world.records()
        ]
        labels.append(world.labels.assign(creator_id=prefix + world.labels["creator_id"]))
    return records, pd.concat(labels, ignore_index=True)
