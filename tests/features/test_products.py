"""A brief's product read by name: the niche whose creators promote it (features.products)."""

from __future__ import annotations

import pytest

from creatormatch.features import PRODUCTS, TOPICS, product_topic


@pytest.mark.parametrize(
    ("brief", "topic"),
    [
        ("Scented candles in refillable concrete jars.", "Home and Garden"),
        # the modifier names another niche; the product's name says whose it is
        ("Lightweight travel stroller that folds with one hand.", "Family and Relationships"),
        ("Convertible car seat that grows with your child.", "Family and Relationships"),
        # British and American names of one product
        ("Nappies made from bamboo.", "Family and Relationships"),
        ("Diapers made from bamboo.", "Family and Relationships"),
        # who uses it, not the shelf it is sold from
        ("We're launching a plant-based protein powder in chocolate.", "Fitness and Exercise"),
        ("Hand-forged Japanese chef's knife for home cooks.", "Food and Drink"),
        ("Ukulele for complete beginners.", "Music and Audio"),
        # a head many niches share, or a word after the name, leaves the product before it
        ("Resistance band set with a 30-day plan.", "Fitness and Exercise"),
        ("Sourdough starter kit for home bakers.", "Food and Drink"),
        ("Wool rugs handwoven in Morocco.", "Home and Garden"),
    ],
)
def test_a_product_is_read_by_who_promotes_it(brief: str, topic: str) -> None:
    found = product_topic(brief)
    assert found is not None and TOPICS[found] == topic


@pytest.mark.parametrize(
    "brief",
    [
        "We're launching a monthly subscription box of Montessori toys.",  # "box": many niches'
        "Music production software with a free trial.",  # "software": the modifier's niche
        "Dog grooming app with video calls.",  # "app": many niches', and "grooming" not listed
        "Streaming service for classic films.",
        "Looking for creators who love the outdoors.",  # no product at all
        # a list of keywords, not a product's name: only its last three words are read
        "hiit squats protein workout pasta recipe baking dinner",
        "",
    ],
)
def test_a_head_many_niches_share_names_no_topic(brief: str) -> None:
    assert product_topic(brief) is None


def test_every_product_names_one_label_and_is_read_as_it() -> None:
    assert set(PRODUCTS) <= set(TOPICS)
    nouns = [(noun, label) for label, listed in PRODUCTS.items() for noun in listed.split(", ")]
    assert all(noun == noun.lower().strip() and noun for noun, _ in nouns)
    assert len({noun for noun, _ in nouns}) == len(nouns) > 1000  # each noun under one label
    # A brief that is just the product's name is read as its label. Names with a word that the
    # product-name reader drops as filler ("down", "first", "video") or with digits ("ps5")
    # cannot be, and are read by their other words (ADR 0033, limits).
    read = [product_topic(noun) == TOPICS.index(label) for noun, label in nouns]
    assert sum(read) / len(read) > 0.98
