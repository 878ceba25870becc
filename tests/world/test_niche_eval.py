"""The world's relevance evaluation: brand briefs for every niche, judged by the latent niche."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.core import Home
from creatormatch.features import INTERESTS, load_embedder
from creatormatch.matching import ingest_file, load_bundle, shortlist
from creatormatch.world import World, creator_row
from creatormatch.world.niche_eval import K, brand_briefs, evaluate_bundle, format_niches


def test_brand_briefs_cover_every_niche_evenly_without_budget() -> None:
    briefs = brand_briefs(3, per_niche=2)
    assert sorted(b.category for b in briefs) == sorted(INTERESTS * 2)
    assert all(b.brief.k == K and b.brief.budget is None for b in briefs)
    # The generator's own text: the niche's product is in it.
    assert len({b.brief.text for b in briefs}) == len(briefs)


@pytest.fixture(scope="module")
def world_home(small_world: World, small_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = Home(tmp_path_factory.mktemp("niches")).ensure()
    ingest_file(
        home, small_dir / "creators.jsonl", embedder=load_embedder("hashing"), progress=False
    )
    return home


def test_the_on_niche_share_is_what_the_shortlists_hold(
    small_world: World, world_home: Home
) -> None:
    bundle = load_bundle(world_home, embedder=load_embedder("hashing"))
    try:
        briefs = brand_briefs(5, per_niche=1)
        result = evaluate_bundle(bundle, small_world, {"brands": briefs}, seed=5, per_niche=1)
        # Recomputed by hand for one niche: the share of K slots held by that niche's creators.
        brief = next(b for b in briefs if b.category == "food")
        ids = [i.creator_id for i in shortlist(bundle, brief.brief).items]
        food = INTERESTS.index("food")
        by_hand = sum(small_world.columns["niche"][creator_row(c)] == food for c in ids) / K
        assert result.rows["brands"]["food"] == pytest.approx(by_hand)
        assert result.queries == {"brands": len(INTERESTS), "similar": len(INTERESTS)}
        # Lexicon words are shared by a niche's creators and its briefs: far above chance (a niche
        # holds ~6 % of creators on average), even with the hashing stand-in.
        assert result.mean("brands") > 0.3 and result.mean("similar") > 0.3
        assert "mean" in format_niches(result)
    finally:
        bundle.catalog.close()
