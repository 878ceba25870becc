"""`generate_world`: the whole synthetic market, generated column-wise from one seed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features import INTERESTS, Brief
from creatormatch.world.accounts import draw_samples
from creatormatch.world.audience import draw_audience
from creatormatch.world.campaigns import draw_campaigns, expected_conversions
from creatormatch.world.comments import draw_comments
from creatormatch.world.creators import Columns, draw_profiles, finish_profiles
from creatormatch.world.engagement import draw_posts, draw_series
from creatormatch.world.fraud import assign_archetypes
from creatormatch.world.params import (
    ARCHETYPES,
    FRAUD_ARCHETYPES,
    PLATFORMS,
    TIER_NAMES,
    WorldParams,
)
from creatormatch.world.render import iter_records


@dataclass
class World:
    """Creator columns (first axis = creator), fraud labels, brand briefs and campaign outcomes."""

    params: WorldParams
    columns: Columns
    labels: pd.DataFrame
    briefs: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return self.params.n_creators

    def records(self, start: int = 0, stop: int | None = None) -> Iterator[dict[str, Any]]:
        """`CreatorRecord`-shaped dicts of creators [start, stop), rendered on demand."""
        stop = len(self) if stop is None else min(stop, len(self))
        for chunk in range(start, stop, 2_000):
            yield from iter_records(self.columns, chunk, min(chunk + 2_000, stop))

    def expected_conversions(
        self, brief: Brief, niche: str, creator_ids: Sequence[str]
    ) -> npt.NDArray[np.float64]:
        """(n,) the true conversions one post of each creator brings `brief`, a `niche` brand's
        brief: the latent model before Poisson noise (`campaigns.expected_conversions`)."""
        rows = np.array([creator_row(c) for c in creator_ids], dtype=np.int64)
        return expected_conversions(self.columns, brief, INTERESTS.index(niche), rows)

    def summary(self) -> dict[str, Any]:
        def counts(values: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
            found = Counter(values.tolist())
            return {name: int(found.get(i, 0)) for i, name in enumerate(names)}

        return {
            "params": self.params.as_dict(),
            "creators": len(self),
            "archetypes": counts(self.columns["archetype"], ARCHETYPES),
            "tiers": counts(self.columns["tier"], TIER_NAMES),
            "platforms": counts(self.columns["platform"], PLATFORMS),
            "brands": len(self.briefs),
            "campaigns": len({o["campaign_id"] for o in self.outcomes}),
            "outcomes": len(self.outcomes),
        }


def creator_row(creator_id: str) -> int:
    """The column row of a creator the world rendered as c0000001, c0000002, ..."""
    return int(creator_id[1:]) - 1


def _labels(cols: Columns) -> pd.DataFrame:
    n = cols["archetype"].shape[0]
    archetype = np.array(ARCHETYPES)[cols["archetype"]]
    return pd.DataFrame({
        "creator_id": [f"c{i + 1:07d}" for i in range(n)],
        "is_fraud": np.isin(archetype, FRAUD_ARCHETYPES).astype(int),
        "archetype": archetype,
    })  # fmt: skip


def generate_world(params: WorldParams) -> World:
    """Generate the world in memory; `write_world` puts it on disk."""
    rng = np.random.default_rng(params.seed)
    s = params.fraud_intensity
    cols = draw_profiles(rng, params.n_creators)
    assign_archetypes(rng, cols, s)
    finish_profiles(cols)
    draw_posts(rng, cols)
    draw_series(rng, cols, s)
    draw_comments(rng, cols, s)
    draw_audience(rng, cols)
    draw_samples(rng, cols, s)
    briefs, outcomes = draw_campaigns(rng, cols, params.n_brands)
    return World(params, cols, _labels(cols), briefs, outcomes)
