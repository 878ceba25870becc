"""The in-memory candidate path gives what the SQLite path gives, and the pool re-scoring what a
second search gives."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import Home
from creatormatch.features import (
    Brief,
    CreatorRecord,
    catalog_topics,
    creator_topics,
    embedded_topics,
    load_embedder,
    target_vector,
)
from creatormatch.matching import (
    Bundle,
    VectorWeights,
    build_index,
    expanded_from,
    filters_of,
    gather,
    ingest_records,
    load_bundle,
    pool_content,
    query_vector,
    read_catalog,
    retrieve,
    shortlist,
)
from creatormatch.models import ReachModel, rule_of_thumb
from creatormatch.store import Catalog

WORDS = "yoga pasta travel skincare gaming knitting hiking vegan espresso chess".split()


def _record(i: int, rng: np.random.Generator) -> CreatorRecord:
    """Every shape pair features meet: unknown fields, empty blocks, odd keys and case."""
    audience = None
    if i % 5:
        audience = {
            "countries": {"US": 0.4, "PT": 0.2, "GB": 0.1} if i % 3 else {},
            "ages": {"18-24": 0.3, "25-34": 0.5} if i % 4 else {},
            "genders": {"female": 0.6, "male": 0.4},
            "interests": {"fitness": 0.5, "food": 0.25} if i % 2 else {"travel": 0.9},
        }
    return CreatorRecord.model_validate({
        "creator_id": f"t{i:03d}", "handle": f"h{i}", "platform": ("instagram", "tiktok")[i % 2],
        "language": (None, "en", "EN", "es")[i % 4], "country": (None, "US", "gb")[i % 3],
        "categories": (None, [], ["fitness"], ["food", "Travel"])[i % 4],
        "followers": int(rng.integers(1_000, 500_000)), "price_per_post": float(i * 10) or None,
        "posts": [{"post_id": f"p{i}", "caption": " ".join(rng.choice(WORDS, 5))}],
        "audience": audience,
    })  # fmt: skip


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    home = Home(tmp_path_factory.mktemp("shortlisting")).ensure()
    embedder = load_embedder("hashing")
    rng = np.random.default_rng(0)
    catalog = Catalog(home.catalog)
    ingest_records(catalog, [_record(i, rng) for i in range(120)], embedder=embedder)
    build_index(home, catalog, embedder)
    catalog.close()
    return load_bundle(home, embedder=embedder)


BRIEFS = [
    Brief(text="yoga and vegan food", k=10),
    Brief(
        text="hiking travel espresso",
        countries={"US": 0.5, "PT": 0.3, "FR": 0.2},
        ages=["25-34", "18-24"],
        genders=["female"],
        interests=["travel", "fitness"],
        languages=["en"],
        platforms=["tiktok"],
        k=5,
    ),
]


@pytest.mark.parametrize("brief", BRIEFS)
def test_the_candidate_table_gathers_what_the_catalog_path_reads(
    bundle: Bundle, brief: Brief
) -> None:
    labels = bundle.index.items_.index.to_numpy()[::3]
    ids = bundle.index.ids_of(labels)
    text = bundle.embedder.encode([brief.text])[0]
    fast = gather(bundle, brief, labels, text)
    slow = read_catalog(bundle, brief, ids, text)
    pd.testing.assert_frame_equal(
        fast.features, slow.features, check_exact=True, check_index_type=False
    )
    pd.testing.assert_frame_equal(fast.pairs, slow.pairs, check_exact=True, check_index_type=False)
    np.testing.assert_array_equal(fast.content, slow.content)
    assert fast.features["followers"].notna().all() and len(fast.pairs) == len(ids)


def test_creators_upserted_after_loading_are_read_from_the_catalog(bundle: Bundle) -> None:
    brief = BRIEFS[1]
    text = bundle.embedder.encode([brief.text])[0]
    labels = bundle.index.items_.index.to_numpy()
    newer = replace(bundle, held_below=bundle.index.next_label_ - 3)  # the last 3 "upserted"
    assert newer.rows_of(labels).tolist() == [
        -1 if label >= newer.held_below else row for label, row in zip(
            labels, bundle.rows_of(labels), strict=True)
    ]  # fmt: skip
    assert (bundle.rows_of(labels) >= 0).all()
    mixed = gather(newer, brief, labels[-5:], text)
    slow = read_catalog(bundle, brief, bundle.index.ids_of(labels[-5:]), text)
    pd.testing.assert_frame_equal(mixed.pairs, slow.pairs, check_exact=True, check_index_type=False)
    assert bundle.candidates is not None  # the pool's content alike, held rows and read ones
    held = bundle.candidates.content[bundle.rows_of(labels[-5:])]
    np.testing.assert_array_equal(pool_content(newer, labels[-5:]), held)
    np.testing.assert_array_equal(pool_content(replace(bundle, candidates=None), labels[-5:]), held)


@pytest.mark.parametrize("brief", BRIEFS)
def test_re_scoring_the_pool_ranks_like_a_second_search(bundle: Bundle, brief: Brief) -> None:
    text = bundle.embedder.encode([brief.text])[0]
    ids, match, _ = retrieve(bundle, brief, text)
    target, known = target_vector(brief)
    first = query_vector(text, target, known, weights=VectorWeights())
    hits = bundle.index.search(first, 2_000, filters=filters_of(brief))[0]
    assert bundle.candidates is not None
    seeds = bundle.candidates.content[bundle.candidates.rows([h.id for h in hits[:10]])]
    second = query_vector(expanded_from(text, seeds), target, known, weights=VectorWeights())
    exact = {
        h.id: h.score for h in bundle.index.search(second, 1_000, filters=filters_of(brief))[0]
    }
    assert set(ids) == set(exact)
    np.testing.assert_allclose(match, [exact[c] for c in ids], atol=1e-5)


def test_a_shortlist_from_the_table_equals_one_from_the_catalog(bundle: Bundle) -> None:
    without = replace(bundle, candidates=None)
    for brief in BRIEFS:
        fast, slow = shortlist(bundle, brief), shortlist(without, brief)
        assert [i.creator_id for i in fast.items] == [i.creator_id for i in slow.items]
        assert [i.reasons for i in fast.items] == [i.reasons for i in slow.items]
        assert fast.candidates_considered == slow.candidates_considered


def test_held_topic_profiles_are_the_ones_a_catalog_read_computes(
    bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Topic profiles read only the creator's content: the bundle computes them once per held
    creator, in blocks, and a shortlist's rows get the same profiles as from the catalog."""
    import creatormatch.features.topics as topics_module

    monkeypatch.setattr(topics_module, "BLOCK", 7)  # several blocks, the last one short
    served = replace(bundle)
    labels = served.index.items_.index.to_numpy()[::3]
    text = served.embedder.encode([BRIEFS[0].text])[0]
    fast = gather(served, BRIEFS[0], labels, text)
    slow = read_catalog(served, BRIEFS[0], served.index.ids_of(labels), text)
    assert fast.rows is not None and slow.rows is None
    assert served.candidates is not None and len(served.candidates) % 7 != 0
    held = served.topics(fast.content, fast.rows)
    np.testing.assert_allclose(held, served.topics(slow.content, None), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(held.sum(axis=1), 1.0, rtol=1e-5)
    assert served.held_topics.shape == (len(served.candidates), len(served.topic_vectors))


def test_the_topics_a_shortlist_uses_are_the_catalogs_anchors_trained_with_its_index(
    bundle: Bundle,
) -> None:
    assert bundle.candidates is not None
    labels = embedded_topics(bundle.embedder)
    expected = catalog_topics(bundle.candidates.content, labels)
    np.testing.assert_allclose(bundle.topic_anchors, expected, atol=1e-6)
    assert np.abs(bundle.topic_anchors - labels).max() > 0.1
    np.testing.assert_array_equal(bundle.topic_vectors, labels)  # briefs are read on both
    np.testing.assert_allclose(
        bundle.topic_middle, bundle.candidates.content.mean(axis=0), atol=1e-6
    )
    np.testing.assert_allclose(
        bundle.held_topics,
        creator_topics(bundle.candidates.content, bundle.topic_anchors, bundle.topic_middle),
        atol=1e-6,
    )
    bare = replace(bundle, index=copy.copy(bundle.index))
    bare.index.topics_ = None  # an index published before anchors: the labels, as before
    bare.index.middle_ = None  # and before its mean: creators read as they are
    np.testing.assert_array_equal(bare.topic_anchors, labels)
    np.testing.assert_array_equal(bare.topic_middle, np.zeros(bundle.embedder.dimension))


def _reach(bundle: Bundle, share: float) -> ReachModel:
    """A reach model fitted on the held creators, each reaching `share` of its followers
    (± 20 %)."""
    assert bundle.candidates is not None
    frame = bundle.candidates.frame().fillna({"median_views": 500.0, "engagement_rate": 0.03})
    noise = np.random.default_rng(1).uniform(0.8, 1.2, len(frame))
    return ReachModel().fit(frame, frame["followers"].to_numpy() * share * noise)


def test_held_creators_impressions_are_the_reach_models_and_follow_a_swapped_model(
    bundle: Bundle,
) -> None:
    """Reach reads only the creator: the bundle predicts it once per held creator. Gathered from
    the table or from the catalog, a shortlist's rows get the same impressions; a swapped reach
    model replaces them all."""
    assert bundle.candidates is not None
    served = replace(bundle, candidates=bundle.candidates)
    served.use_reach(_reach(bundle, 0.10))
    frame = bundle.candidates.frame()
    labels = served.index.items_.index.to_numpy()[::3]
    text = served.embedder.encode([BRIEFS[0].text])[0]
    fast = gather(served, BRIEFS[0], labels, text)
    slow = read_catalog(served, BRIEFS[0], served.index.ids_of(labels), text)
    assert fast.rows is not None and slow.rows is None
    np.testing.assert_allclose(
        served.held_impressions[fast.rows], served.impressions(slow.features)
    )
    before = served.held_impressions.copy()
    served.use_reach(_reach(bundle, 0.40))
    np.testing.assert_allclose(served.held_impressions, served.impressions(frame))
    assert np.median(served.held_impressions / before) > 3.0
    served.use_reach(None)  # no reach model: organic views, else a benchmark share
    np.testing.assert_allclose(served.held_impressions, rule_of_thumb(frame))
