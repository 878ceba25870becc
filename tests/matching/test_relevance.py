"""Relevance first: the topic layer maps plain briefs onto topics, and no predicted value lets an
off-topic creator outrank an on-topic one (real MiniLM, a real conversion model)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from creatormatch.core import Home
from creatormatch.features import (
    TOPIC_TEXTS,
    TOPICS,
    Brief,
    CampaignOutcome,
    CreatorRecord,
    brief_clauses,
    brief_topics,
    brief_vectors,
    load_embedder,
    pitch_vector,
    product_topic,
    topic_profiles,
    with_creator_columns,
)
from creatormatch.matching import (
    build_index,
    creator_vectors,
    ingest_records,
    load_bundle,
    read_catalog,
    shortlist,
    similar,
    topical,
)
from creatormatch.store import Catalog
from creatormatch.training import conversion_data, train_conversion
from tests.conftest import NICHES, niche_records


@pytest.fixture(scope="module")
def minilm():  # type: ignore[no-untyped-def]
    return load_embedder("minilm")


@pytest.mark.parametrize(
    ("brief", "topic"),
    [
        ("Cat litter that does not smell.", "Pets"),
        ("Carry-on suitcase with a built-in charger.", "Travel"),
        ("Gaming mouse with 8000 Hz polling.", "Video Gaming"),
        ("Adjustable dumbbells for small apartments.", "Fitness and Exercise"),
    ],
)
def test_a_product_first_brief_lands_on_its_topic_without_naming_it(
    minilm, brief: str, topic: str
) -> None:  # type: ignore[no-untyped-def]
    labels = minilm.encode(list(TOPIC_TEXTS))
    profile = topic_profiles(minilm.encode([brief]), labels)[0]
    assert TOPICS[int(np.argmax(profile))] == topic
    assert profile.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_brief_is_read_on_what_it_sells_not_on_selling(minilm) -> None:  # type: ignore[no-untyped-def]
    labels, pitch = minilm.encode(list(TOPIC_TEXTS)), pitch_vector(minilm)
    shopping, none = TOPICS.index("Shopping"), np.zeros_like(pitch)
    for brief in ("Gold-plated hoop earrings under $50.", "Resale platform for designer handbags."):
        vector = brief_vectors(minilm, [brief])[0]
        raw, read = (brief_topics(vector, labels, labels, p) for p in (none, pitch))
        assert np.argmax(raw) == shopping and read[shopping] < raw[shopping] - 0.15
    for brief, topic in [("Cat litter that does not smell.", "Pets"), ("Premium dog food", "Pets")]:
        read = brief_topics(brief_vectors(minilm, [brief])[0], labels, labels, pitch)
        assert TOPICS[int(np.argmax(read))] == topic and read.max() > 0.8


@pytest.mark.parametrize(
    ("brief", "misread", "topic"),
    [
        ("Scented candles in refillable concrete jars.", "Beauty", "Home and Garden"),
        ("Nappies made from bamboo.", "Pets", "Family and Relationships"),
        ("Modular sofa that fits through narrow doorways.", "Travel", "Home and Garden"),
    ],
)
def test_a_product_minilm_cannot_place_is_read_by_its_name(
    minilm, brief: str, misread: str, topic: str
) -> None:  # type: ignore[no-untyped-def]
    labels, pitch = minilm.encode(list(TOPIC_TEXTS)), pitch_vector(minilm)
    vector = brief_vectors(minilm, [brief])[0]
    raw = brief_topics(vector, labels, labels, pitch)
    read = brief_topics(vector, labels, labels, pitch, product_topic(brief))
    assert TOPICS[int(np.argmax(raw))] == misread and TOPICS[int(np.argmax(read))] == topic


def test_a_listed_products_own_words_do_not_outvote_it(minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    labels, pitch = minilm.encode(list(TOPIC_TEXTS)), pitch_vector(minilm)
    brief = "Vegan leather ankle boots with a chunky sole."  # "vegan" names Food alone
    fashion = product_topic(brief)

    def read() -> str:
        vector = brief_vectors(minilm, [brief])[0]
        return TOPICS[int(np.argmax(brief_topics(vector, labels, labels, pitch, fashion)))]

    assert read() == "Fashion"
    monkeypatch.setattr("creatormatch.features.text.name_topic", lambda name: None)
    assert read() == "Food and Drink"  # "vegan" joining the brief's vector outvotes the boots


@pytest.mark.parametrize(
    ("brief", "clauses_topic", "topic"),
    [
        ("Premium dog food", "Food and Drink", "Pets"),
        ("Grain-free dog food with real salmon.", "Food and Drink", "Pets"),
        ("Basketball shoes with better ankle support.", "Fashion", "Sports"),
    ],
)
def test_a_products_modifier_moves_the_brief_to_whose_product_it_is(
    minilm, brief: str, clauses_topic: str, topic: str
) -> None:  # type: ignore[no-untyped-def]
    labels = minilm.encode(list(TOPIC_TEXTS))
    clauses = minilm.encode(brief_clauses(brief)).sum(axis=0, keepdims=True)
    clauses /= np.linalg.norm(clauses)
    assert TOPICS[int(np.argmax(topic_profiles(clauses, labels)[0]))] == clauses_topic
    vector = brief_vectors(minilm, [brief])
    assert TOPICS[int(np.argmax(topic_profiles(vector, labels)[0]))] == topic


def test_a_modifier_that_names_no_topic_leaves_the_brief_as_its_clauses(minilm) -> None:  # type: ignore[no-untyped-def]
    brief = "Retinol night cream for first-time users."  # "Retinol" alone: no clear topic
    clauses = minilm.encode(brief_clauses(brief)).sum(axis=0)
    np.testing.assert_allclose(
        brief_vectors(minilm, [brief])[0], clauses / np.linalg.norm(clauses), atol=1e-6
    )


@pytest.mark.parametrize(
    ("framed", "bare", "topic"),
    [
        ("Looking for creators to test our basketball shoes on court.",
         "Basketball shoes on court.", "Sports"),
        ("Looking for creators to show off our Japan rail pass.", "Japan rail pass.", "Travel"),
    ],
)  # fmt: skip
def test_a_pitch_frame_does_not_move_the_brief(minilm, framed: str, bare: str, topic: str) -> None:  # type: ignore[no-untyped-def]
    labels = minilm.encode(list(TOPIC_TEXTS))
    vectors = brief_vectors(minilm, [framed, bare])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)
    assert TOPICS[int(np.argmax(topic_profiles(vectors[:1], labels)[0]))] == topic
    whole = minilm.encode([framed])  # the frame embedded with the product reads elsewhere
    whole /= np.linalg.norm(whole)
    assert TOPICS[int(np.argmax(topic_profiles(whole, labels)[0]))] != topic


def test_a_buyer_named_once_outweighs_the_products_noun(minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    brief = "Convertible car seat for your child from newborn to age 7."
    labels = minilm.encode(list(TOPIC_TEXTS))

    def topic() -> str:
        return TOPICS[int(np.argmax(topic_profiles(brief_vectors(minilm, [brief]), labels)[0]))]

    # As for a product the lexicon lacks (it lists car seats: their words are then left out).
    monkeypatch.setattr("creatormatch.features.text.name_topic", lambda name: None)
    assert topic() == "Family and Relationships"  # "child" and "newborn" name it alone
    monkeypatch.setattr("creatormatch.features.text.TOPIC_WORD_WEIGHT", 0.0)
    assert topic() == "Automotive"  # the clause alone: "car seat"


def test_the_on_topic_log_odds_are_relative_to_the_pools_best() -> None:
    strong = topical(np.array([1.6, 1.5, 1.0]))
    weak = topical(np.array([0.6, 0.5, 0.0]))  # the same gaps, lower cosines: the same verdicts
    np.testing.assert_allclose(strong, weak)
    assert (strong[:2] >= 0).all() and strong[2] < 0


def _of_niche(records: list, niche: str) -> set[str]:  # type: ignore[type-arg]
    words = set(NICHES[niche].split())
    return {r.creator_id for r in records if set((r.posts[0].caption or "").split()) <= words}


def _poisoned_outcomes(ids: list[str], niche_of: dict[str, str]) -> list[CampaignOutcome]:
    """Every campaign, whatever its brief, converts 20x better with travel creators."""
    rng = np.random.default_rng(0)
    rows = []
    for campaign, words in enumerate(NICHES.values()):
        for creator_id in ids:
            impressions = int(rng.integers(5_000, 20_000))
            rate = 0.02 if niche_of[creator_id] == "travel" else 0.001
            rows.append(CampaignOutcome.model_validate({
                "campaign_id": f"c{campaign}", "brand_id": f"b{campaign}",
                "creator_id": creator_id, "impressions": impressions,
                "conversions": int(rng.binomial(impressions, rate)), "spend": 100.0,
                "brief": {"text": words},
            }))  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def poisoned_home(tmp_path_factory: pytest.TempPathFactory, minilm) -> Home:  # type: ignore[no-untyped-def]
    home = Home(Path(tmp_path_factory.mktemp("relevance"))).ensure()
    records = niche_records(60)
    niche_of = {r.creator_id: list(NICHES)[i % len(NICHES)] for i, r in enumerate(records)}
    catalog = Catalog(home.catalog)
    try:
        ingest_records(catalog, records, embedder=minilm)
        build_index(home, catalog, minilm)
        ids = sorted(catalog.creator_ids())
        features = catalog.features(ids)
        features["fraud_probability"] = np.nan
        content, _, _ = creator_vectors(catalog, ids, dimension=minilm.dimension)
        data = conversion_data(
            _poisoned_outcomes(ids, niche_of), {r.creator_id: r for r in catalog.records(ids)},
            features, dict(zip(ids, content, strict=True)), minilm,
        )  # fmt: skip
    finally:
        catalog.close()
    train_conversion(data).save(
        home.model_dir("conversion"), metadata={"data_hash": "f" * 64, "metrics": {}}
    )
    return home


def test_no_predicted_value_lets_an_off_topic_creator_outrank_an_on_topic_one(
    poisoned_home: Home, minilm
) -> None:  # type: ignore[no-untyped-def]
    bundle = load_bundle(poisoned_home, embedder=minilm)
    try:
        assert bundle.conversion is not None
        brief = Brief(text="Protein powder for home workouts and leg day", k=10)
        records = bundle.catalog.records(bundle.catalog.creator_ids())
        travel, fitness = sorted(_of_niche(records, "travel")), _of_niche(records, "fitness")
        # The value model would override relevance: by predicted conversions alone, most of the
        # top 10 for this fitness brief would be travel creators.
        text = minilm.encode([brief.text])[0]
        ids = [*travel, *sorted(fitness)]
        gathered = read_catalog(bundle, brief, ids, text)
        rate = bundle.conversion.rate(with_creator_columns(gathered.pairs, gathered.features))
        by_value = [ids[i] for i in np.argsort(-rate)[:10]]
        assert len(set(by_value) & set(travel)) >= 5
        ranked = [i.creator_id for i in shortlist(bundle, brief).items]
        assert len(ranked) == 10 and set(ranked) <= fitness
    finally:
        bundle.catalog.close()


def test_lookalikes_of_a_creator_share_its_niche(poisoned_home: Home, minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_pitch(text: str) -> int | None:
        raise AssertionError(f"a lookalike's content read as a product pitch: {text[:40]!r}")

    # The package exports the function `shortlist` under its module's own name.
    monkeypatch.setattr(sys.modules["creatormatch.matching.shortlist"], "product_topic", no_pitch)
    bundle = load_bundle(poisoned_home, embedder=minilm)
    try:
        food = _of_niche(bundle.catalog.records(bundle.catalog.creator_ids()), "food")
        seed = sorted(food)[0]
        items = similar(bundle, seed, Brief(text="lookalikes", k=10)).items
        assert seed not in {i.creator_id for i in items}
        assert {i.creator_id for i in items} <= food
    finally:
        bundle.catalog.close()


_KITCHEN_AND_KENNEL = {
    "pets": "my dog loves his walk puppy cuddles rescue dog vet visit dog park fetch good boy",
    "food": "salmon dinner recipe healthy food meal prep grain bowls real food cooking tonight",
}


@pytest.fixture(scope="module")
def kitchen_and_kennel(tmp_path_factory: pytest.TempPathFactory, minilm) -> Home:  # type: ignore[no-untyped-def]
    home = Home(Path(tmp_path_factory.mktemp("kennel"))).ensure()
    rng = np.random.default_rng(3)
    records = []
    for i in range(40):
        niche = list(_KITCHEN_AND_KENNEL)[i % 2]
        words = _KITCHEN_AND_KENNEL[niche].split()
        posts = [
            {"post_id": f"p{i}-{j}", "caption": " ".join(rng.choice(words, 6, replace=False))}
            for j in range(5)
        ]
        records.append(CreatorRecord.model_validate(
            {"creator_id": f"{niche}{i:02d}", "followers": 5_000, "posts": posts}
        ))  # fmt: skip
    catalog = Catalog(home.catalog)
    try:
        ingest_records(catalog, records, embedder=minilm)
        build_index(home, catalog, minilm)
    finally:
        catalog.close()
    return home


@pytest.mark.parametrize(
    "text",
    [
        "Premium dog food",
        # Every cook of this catalog posts "grain", "real" and "salmon": the brief lists dog
        # owners only because its attribute ("with real salmon") speaks at a quarter weight.
        "Grain-free dog food with real salmon.",
    ],
)
def test_a_dog_food_brief_lists_dog_owners_not_cooks(
    kitchen_and_kennel: Home, minilm, text: str
) -> None:  # type: ignore[no-untyped-def]
    bundle = load_bundle(kitchen_and_kennel, embedder=minilm)
    try:
        ranked = [i.creator_id for i in shortlist(bundle, Brief(text=text, k=10)).items]
    finally:
        bundle.catalog.close()
    assert len(ranked) == 10 and all(cid.startswith("pets") for cid in ranked)
