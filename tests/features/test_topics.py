"""A catalog's topic anchors: each label moved toward the creators it is surest of."""

from __future__ import annotations

import numpy as np
import pytest

from creatormatch.features import (
    PRODUCT_WEIGHT,
    brief_topics,
    catalog_topics,
    creator_topics,
    topic_profiles,
)


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _catalog(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Three labels (axes 0-2) and 120 creators: 60 of topic 0 who also write in a jargon of
    their own (axis 3), 60 of topic 1 (axis 1 and 4); none of topic 2."""
    labels = np.eye(3, 8, dtype=np.float32)
    noise = rng.normal(0, 0.05, (120, 8))
    first = np.tile([0.6, 0, 0, 0.8, 0, 0, 0, 0], (60, 1))
    second = np.tile([0, 0.6, 0, 0, 0.8, 0, 0, 0], (60, 1))
    return labels, _unit(np.vstack([first, second]) + noise)


def test_a_label_moves_toward_its_creators_and_an_empty_topic_keeps_its_label() -> None:
    labels, content = _catalog(np.random.default_rng(0))
    anchors = catalog_topics(content, labels)
    np.testing.assert_allclose(np.linalg.norm(anchors, axis=1), 1.0, rtol=1e-6)
    jargon, own = np.eye(8, dtype=np.float32)[3], content[:60].mean(axis=0)
    assert anchors[0] @ jargon > 0.4 > labels[0] @ jargon
    assert anchors[0] @ own > labels[0] @ own + 0.1
    assert anchors[2] @ labels[2] > 0.999  # no creator is sure of topic 2: nothing to borrow


def test_what_every_creator_shares_moves_no_anchor() -> None:
    """Words all creators use (a stand-in embedder's "the", "my") would pull every label the same
    way and blur the topics apart: anchors move only toward what sets a topic's creators apart."""
    labels, content = _catalog(np.random.default_rng(5))
    common = np.eye(8, dtype=np.float32)[7]
    shared = _unit(content + 2.0 * common)  # every creator mostly the common direction
    anchors = catalog_topics(shared, labels)
    assert np.abs(anchors[:2] @ common).max() < 0.1
    assert anchors[0] @ np.eye(8, dtype=np.float32)[3] > 0.3  # topic 0's own jargon still pulls


def test_a_creator_in_its_niches_jargon_alone_lands_on_the_niche() -> None:
    labels, content = _catalog(np.random.default_rng(1))
    jargon_only = _unit(np.array([[0, 0, 0, 1.0, 0, 0, 0, 0]]))
    before = topic_profiles(jargon_only, labels)[0]
    after = topic_profiles(jargon_only, catalog_topics(content, labels))[0]
    np.testing.assert_allclose(before, 1 / 3, rtol=1e-5)  # nothing to tell the labels apart
    assert after[0] > 0.99


@pytest.mark.parametrize("creators", [0, 1, 7])
def test_catalogs_smaller_than_a_topics_members_still_give_unit_anchors(creators: int) -> None:
    labels, content = _catalog(np.random.default_rng(2))
    anchors = catalog_topics(content[:creators], labels)
    assert anchors.shape == labels.shape and np.isfinite(anchors).all()
    np.testing.assert_allclose(np.linalg.norm(anchors, axis=1), 1.0, rtol=1e-6)
    if creators == 0:
        np.testing.assert_array_equal(anchors, labels)


def test_profiles_in_blocks_equal_profiles_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import creatormatch.features.topics as topics_module

    labels, content = _catalog(np.random.default_rng(3))
    whole = topic_profiles(content, labels)
    monkeypatch.setattr(topics_module, "BLOCK", 7)  # 120 rows: 18 blocks, the last one short
    np.testing.assert_allclose(topic_profiles(content, labels), whole, rtol=1e-6)


def test_a_brief_is_read_on_the_labels_as_far_as_they_are_sure_of_it() -> None:
    labels, content = _catalog(np.random.default_rng(4))
    anchors = catalog_topics(content, labels)
    clear = _unit(np.array([0.3, 0, 0, 0, 0.95, 0, 0, 0]))  # its label is 0, its words topic 1's
    on_labels = topic_profiles(clear[None, :], labels)[0]
    assert on_labels.max() > 0.99 and topic_profiles(clear[None, :], anchors)[0][1] > 0.5
    no_pitch = np.zeros(8, dtype=np.float32)
    np.testing.assert_allclose(brief_topics(clear, labels, anchors, no_pitch), on_labels, atol=0.01)
    vague = _unit(np.array([0, 0, 0, 1.0, 0, 0, 0, 0]))  # no label tells: the catalog's words do
    read = brief_topics(vague, labels, anchors, no_pitch)
    assert read.sum() == pytest.approx(1.0, abs=1e-5) and read[0] > 0.6
    np.testing.assert_allclose(brief_topics(vague, labels, labels, no_pitch), 1 / 3, rtol=1e-5)


def test_a_brief_is_read_without_what_every_product_pitch_shares() -> None:
    labels = np.eye(3, 8, dtype=np.float32)  # label 0 is about selling itself, like Shopping
    pitch = _unit(np.array([0.5, 0, 0, 0, 0, 0.85, 0, 0]))  # a pitch with no product in it
    brief = _unit(pitch + np.array([0, 0.4, 0, 0, 0, 0, 0, 0]))  # a pitch for a topic-1 product
    raw = brief_topics(brief, labels, labels, np.zeros(8, dtype=np.float32))
    read = brief_topics(brief, labels, labels, pitch)
    assert np.argmax(raw) == 0 and np.argmax(read) == 1
    assert read.sum() == pytest.approx(1.0, abs=1e-5)
    plain = _unit(np.array([0, 0, 1.0, 0, 0, 0, 0, 0]))  # no pitch in it: read as before
    np.testing.assert_allclose(brief_topics(plain, labels, labels, pitch)[2], 1.0, atol=1e-3)


def test_the_product_a_brief_names_gets_its_share_of_the_reading() -> None:
    labels, content = _catalog(np.random.default_rng(4))
    anchors, no_pitch = catalog_topics(content, labels), np.zeros(8, dtype=np.float32)
    vague = _unit(np.array([0, 0, 0, 1.0, 0, 0, 0, 0]))
    read = brief_topics(vague, labels, anchors, no_pitch)
    named = brief_topics(vague, labels, anchors, no_pitch, 2)
    assert np.argmax(read) == 0 and np.argmax(named) == 2  # the catalog read it as topic 0
    np.testing.assert_allclose(named, (1 - PRODUCT_WEIGHT) * read + PRODUCT_WEIGHT * np.eye(3)[2])
    assert named.sum() == pytest.approx(1.0, abs=1e-5)


def test_creators_are_read_without_what_every_creator_of_the_catalog_shares() -> None:
    labels = np.eye(3, 8, dtype=np.float32)  # label 0 is what every creator posts, like daily life
    shared = np.array([0.7, 0, 0, 0, 0, 0.5, 0, 0])  # every creator's common part
    content = _unit(shared + np.array([[0, 0.45, 0, 0, 0, 0, 0, 0], [0, 0, 0.45, 0, 0, 0, 0, 0]]))
    middle = content.mean(axis=0)
    raw, read = topic_profiles(content, labels), creator_topics(content, labels, middle)
    assert (raw.argmax(axis=1) == 0).all()  # both read as the shared topic
    assert read.argmax(axis=1).tolist() == [1, 2]  # each on its own once it is taken out
    np.testing.assert_allclose(read.sum(axis=1), 1.0, rtol=1e-5)
    zero = np.zeros(8, dtype=np.float32)
    np.testing.assert_allclose(creator_topics(content, labels, zero), raw, rtol=1e-6)
