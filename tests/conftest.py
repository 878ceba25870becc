"""Shared fixtures: small real homes (catalog, FAISS index, models) built once per session."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from creatormatch.core import Home
from creatormatch.features import CreatorRecord, load_embedder
from creatormatch.matching import build_index, ingest_records
from creatormatch.store import Catalog

NICHES = {
    "fitness": "home workout hiit squats protein gym legs cardio",
    "food": "recipe pasta baking dinner vegan sourdough brunch",
    "travel": "beach hotel flight backpacking island sunset roadtrip",
}


def niche_records(n: int = 90, seed: int = 0) -> list[CreatorRecord]:
    """n creators spread over three niches, each with captions from its own vocabulary."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        niche = list(NICHES)[i % len(NICHES)]
        words = NICHES[niche].split()
        posts = [
            {
                "post_id": f"p{i}-{j}",
                "caption": " ".join(rng.sample(words, 4)),
                "likes": rng.randint(50, 900),
                "comments": rng.randint(1, 40),
            }
            for j in range(5)
        ]
        records.append(
            CreatorRecord.model_validate(
                {
                    "creator_id": f"c{i:03d}",
                    "handle": f"{niche}_{i}",
                    "platform": "instagram" if i % 2 else "tiktok",
                    "bio": f"{niche} creator",
                    "country": "US",
                    "language": "en",
                    "followers": rng.randint(2_000, 90_000),
                    "price_per_post": float(rng.randint(100, 900)),
                    "posts": posts,
                    "audience": {"interests": {niche: 0.8}, "countries": {"US": 0.6}},
                }
            )
        )
    return records


@pytest.fixture(scope="session")
def hashing_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A home with 90 niche creators, indexed with the hashing stand-in; no trained models."""
    home = Home(tmp_path_factory.mktemp("home")).ensure()
    embedder = load_embedder("hashing")
    catalog = Catalog(home.catalog)
    ingest_records(catalog, niche_records(), embedder=embedder)
    build_index(home, catalog, embedder)
    catalog.close()
    return home


@pytest.fixture()
def anyhome(tmp_path: Path) -> Home:
    return Home(tmp_path / "home").ensure()
