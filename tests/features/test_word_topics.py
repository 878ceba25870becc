"""The catalog's reading of words: the topics of the creators who use them."""

from __future__ import annotations

import numpy as np
import pytest

from creatormatch.features import (
    CATALOG_WORD_WEIGHT,
    WordCounts,
    WordTopics,
    brief_topics,
    topic_stems,
)

PETS, FOOD = np.array([0.9, 0.1], np.float32), np.array([0.1, 0.9], np.float32)


def _counted(*chunks: list[tuple[list[str], np.ndarray]]) -> WordTopics:
    counts = WordCounts(2)
    for chunk in chunks:
        counts.add([stems for stems, _ in chunk], np.array([p for _, p in chunk]))
    return counts.table()


def test_a_word_reads_the_mean_profile_of_the_creators_who_use_it_across_chunks() -> None:
    pets = [(["kitten", "litter", "day"], PETS)] * 2 + [
        (["kitten", "litter", "day", "kibble"], PETS)
    ] * 4
    food = [(["recipe", "day"], FOOD)] * 4 + [(["recipe", "litter", "day"], FOOD)]
    rest = [(["other"], np.array([0.5, 0.5], np.float32))] * 30
    table = _counted(pets[:4], pets[4:] + food, rest)
    # "day": 11 of 41 creators, over a fifth; "kibble": 4, under five; "other": no topic
    assert list(table.words) == ["kitten", "litter", "recipe"]
    np.testing.assert_allclose(table.profiles[1], (6 * PETS + FOOD) / 7, rtol=1e-6)
    np.testing.assert_allclose(table.idf, np.log(41 / np.array([6, 7, 5])), rtol=1e-6)


def test_a_brief_reads_its_known_words_by_idf_and_none_when_it_knows_none() -> None:
    table = WordTopics(
        np.array(["kitten", "recipe"]), np.array([2.0, 1.0], np.float32), np.stack([PETS, FOOD])
    )
    np.testing.assert_allclose(table.of(["recipe", "kitten", "zzz"]), (2 * PETS + FOOD) / 3)
    assert table.of(["zzz", "aaa"]) is None and table.of([]) is None
    empty = WordTopics(np.array([], dtype=str), np.zeros(0, np.float32), np.zeros((0, 2)))
    assert empty.of(["kitten"]) is None
    back = WordTopics.from_bytes(table.to_bytes())
    assert list(back.words) == ["kitten", "recipe"] and back.profiles.dtype == np.float32


def test_the_catalogs_reading_joins_the_labels_at_its_weight() -> None:
    labels = np.eye(2, 4, dtype=np.float32)
    brief = np.array([1.0, 0, 0, 0], np.float32)
    read = brief_topics(brief, labels, labels)
    mixed = brief_topics(brief, labels, labels, FOOD)
    expected = (1 - CATALOG_WORD_WEIGHT) * read + CATALOG_WORD_WEIGHT * FOOD
    np.testing.assert_allclose(mixed, expected, rtol=1e-6)
    assert mixed.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_briefs_words_for_the_catalog_leave_its_product_attribute_out() -> None:
    assert topic_stems("Credit card with travel points.") == {"credit", "card"}
    assert topic_stems("Ukulele for complete beginners") == {
        "ukulel",
        "complet",
        "beginner",
    }  # stems
