"""A server's bundle ranks with compiled trees exactly as with LightGBM's own predictions."""

from __future__ import annotations

import shutil
from pathlib import Path

from creatormatch.core import Home
from creatormatch.features import Brief, load_embedder
from creatormatch.matching import load_bundle, shortlist
from tests.conftest import NICHES
from tests.value_models import train_value_models


def test_a_resident_bundle_compiles_its_conversion_model_and_ranks_as_before(
    hashing_home: Home, tmp_path: Path
) -> None:
    shutil.copytree(hashing_home.root, tmp_path / "home")
    home = Home(tmp_path / "home")
    train_value_models(home)
    bundle = load_bundle(home, embedder=load_embedder("hashing"))
    assert bundle.conversion is not None and bundle.conversion.booster_.compiled_ is not None
    briefs = [Brief(text=words, k=8, budget=2_000) for words in NICHES.values()]
    compiled = [shortlist(bundle, brief) for brief in briefs]
    bundle.conversion.booster_.compiled_ = None
    for brief, fast in zip(briefs, compiled, strict=True):
        plain = shortlist(bundle, brief)
        assert [i.creator_id for i in fast.items] == [i.creator_id for i in plain.items]
        for a, b in zip(fast.items, plain.items, strict=True):
            assert a.predicted_conversions is not None and b.predicted_conversions is not None
            assert abs(a.predicted_conversions - b.predicted_conversions) <= 1e-12
            assert abs(a.score - b.score) <= 1e-12 and a.reasons[1:] == b.reasons[1:]
