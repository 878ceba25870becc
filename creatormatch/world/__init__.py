"""The synthetic influencer market: creators, fraud archetypes, brands and campaign outcomes.

`creatormatch.world.evaluation` (campaigns on a held-out world) and `creatormatch.world.niche_eval`
(relevance per niche) are imported on their own: they load the training stack (~1.2 s), which
generating a world does not need.
"""

from creatormatch.world.campaigns import audience_fit, expected_conversions
from creatormatch.world.labelled import synthetic_fraud_data
from creatormatch.world.params import (
    ARCHETYPES,
    FRAUD_ARCHETYPES,
    LOOKALIKES,
    PREVALENCE,
    TIER_NAMES,
    WorldParams,
)
from creatormatch.world.world import World, creator_row, generate_world
from creatormatch.world.write import write_world

__all__ = [
    "ARCHETYPES",
    "FRAUD_ARCHETYPES",
    "LOOKALIKES",
    "PREVALENCE",
    "TIER_NAMES",
    "World",
    "WorldParams",
    "audience_fit",
    "creator_row",
    "expected_conversions",
    "generate_world",
    "synthetic_fraud_data",
    "write_world",
]
