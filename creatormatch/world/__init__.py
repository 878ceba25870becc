"""The synthetic influencer market: creators, fraud archetypes, brands and campaign outcomes."""

from creatormatch.world.campaigns import audience_fit, expected_conversions
from creatormatch.world.evaluation import evaluate_campaigns
from creatormatch.world.labelled import synthetic_fraud_data
from creatormatch.world.params import (
    ARCHETYPES,
    FRAUD_ARCHETYPES,
    LOOKALIKES,
    PREVALENCE,
    TIER_NAMES,
    WorldParams,
)
from creatormatch.world.world import World, generate_world
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
    "evaluate_campaigns",
    "expected_conversions",
    "generate_world",
    "synthetic_fraud_data",
    "write_world",
]
