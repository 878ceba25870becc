"""The text a creator is embedded from, and its cache key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from creatormatch.features import (
    ATTRIBUTE_WEIGHT,
    MAX_CHARS,
    MODIFIER_WEIGHT,
    TOPIC_WORD_WEIGHT,
    CreatorRecord,
    HashingEmbedder,
    Post,
    brief_clauses,
    brief_vectors,
    content_hash,
    content_text,
    hashtag_words,
    hashtags,
    post_texts,
    product_attribute,
    product_modifier,
)


def _record(*captions: str, bio: str | None = None, tags: list[str] | None = None) -> CreatorRecord:
    posts = [
        Post(
            post_id=str(i),
            caption=c,
            hashtags=tags,
            posted_at=datetime(2024, 1, 1) + timedelta(hours=i),
        )
        for i, c in enumerate(captions)
    ]
    return CreatorRecord(creator_id="c1", bio=bio, posts=posts)


def test_content_text_drops_urls_and_mentions() -> None:
    text = content_text(
        _record("New video with @gym.buddy see https://yt.be/abc", bio="Coach www.coach.io @agency")
    )
    assert "http" not in text and "www" not in text and "@" not in text
    assert "Coach" in text and "New video with" in text


def test_content_text_dedups_hashtags_most_used_first() -> None:
    record = _record("Leg day #Gym #fitness", "Rest day #gym", tags=["gym"])
    assert hashtags(record.posts) == ["gym", "fitness"]
    assert content_text(record).count("gym") == 1


def test_content_text_puts_bio_then_hashtags_then_newest_caption_first() -> None:
    text = content_text(_record("older post #run", "newer post", bio="Runner"))
    assert text.index("Runner") < text.index("run |") < text.index("newer") < text.index("older")


def test_content_text_orders_aware_naive_and_undated_posts() -> None:
    posts = [
        Post(post_id="1", caption="undated"),
        Post(post_id="2", caption="naive", posted_at=datetime(2024, 1, 1)),
        Post(post_id="3", caption="aware", posted_at=datetime(2024, 6, 1, tzinfo=UTC)),
    ]
    assert content_text(CreatorRecord(creator_id="c1", posts=posts)) == "aware | naive | undated"


def test_content_text_drops_emojis_but_keeps_other_scripts() -> None:
    text = content_text(_record("Trail run 💪🏽🔥 नमस्ते ❤️"))
    assert text == "Trail run नमस्ते"


def test_content_text_of_a_record_with_only_id_and_followers_is_empty() -> None:
    assert content_text(CreatorRecord(creator_id="c1", followers=1_200)) == ""
    assert post_texts(CreatorRecord(creator_id="c1", followers=1_200)) == []


def test_content_text_stays_within_the_length_budget_at_a_word_boundary() -> None:
    record = _record(*(f"caption number {i} about trail running" for i in range(200)))
    text = content_text(record)
    assert 0.9 * MAX_CHARS < len(text) <= MAX_CHARS
    assert text.split()[-1] in {"caption", "number", "about", "trail", "running", "|", "199"}


def test_post_texts_gives_one_text_per_post_and_skips_empty_posts() -> None:
    texts = post_texts(_record("Leg day #gym", "", "Rest day"))
    assert texts == ["Rest day", "Leg day | gym"]


def test_content_hash_depends_on_text_and_model() -> None:
    base = content_hash("leg day", "model-a")
    assert base == content_hash("leg day", "model-a")
    assert len(base) == 64
    assert base != content_hash("leg day", "model-b")
    assert base != content_hash("leg day!", "model-a")


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("interiordesign", "interior design"),
        ("outfit_of_the_day", "outfit of the day"),
        ("fitness", "fitness"),
        ("ootd", "ootd"),  # unknown: kept whole
        ("moda2018", "moda2018"),
        # Words of social media, which BERT's vocabulary lacks ("ins tag ram", "foo die").
        ("dogsofinstagram", "dogs of instagram"),
        ("nycfoodie", "nyc foodie"),
        ("thisislondon", "this is london"),
        ("motherhood", "motherhood"),
        ("instafood", "insta food"),
    ],
)
def test_hashtag_words_split_run_together_words_into_common_words(tag: str, words: str) -> None:
    assert hashtag_words(tag) == words


def test_content_text_reads_hashtags_as_words() -> None:
    assert content_text(_record("Sunday #momlife #homedecor")) == "mom life home decor | Sunday"


def test_brief_clauses_split_at_punctuation_and_or_and_drop_fragments() -> None:
    text = "Cat toy brand: we want cat owners, kittens and vets or shelters (US)."
    assert brief_clauses(text) == ["Cat toy brand", "cat owners", "kittens", "vets",
                                   "shelters"]  # fmt: skip
    assert brief_clauses("yoga") == ["yoga"]


@pytest.mark.parametrize(
    ("brief", "clauses"),
    [
        ("We're launching a padel racket for club players.", ["padel racket for club players"]),
        ("Looking for creators to test our basketball shoes on court.",
         ["basketball shoes on court"]),
        ("Looking for moms in their 30s to try our meal-planning app.",
         ["moms in their 30s to try our meal-planning app"]),  # the buyer stays
        ("We want YouTubers who review cars", ["cars"]),
        ("Sourdough starter kit for home bakers; Canada only.",
         ["Sourdough starter kit for home bakers"]),
        ("Korean sheet masks, budget around $3k.", ["Korean sheet masks"]),
        ("Budget travel backpack for students.", ["Budget travel backpack for students"]),
        ("Launching pad for rockets", ["pad for rockets"]),
        ("UK only", ["UK only"]),  # nothing left: the text itself
        ("Novelty socks brand wants silly skits, not product reviews.",
         ["Novelty socks brand wants silly skits"]),  # a contrast names what is not wanted
        ("Credit card with travel points and no annual fee.",
         ["Credit card with travel points", "no annual fee"]),  # "no …" describes the product
    ],
)  # fmt: skip
def test_brief_clauses_cut_the_pitch_frame_asides_and_contrasts(
    brief: str, clauses: list[str]
) -> None:
    assert brief_clauses(brief) == clauses


@pytest.mark.parametrize(
    ("brief", "modifier"),
    [
        ("Premium dog food", "dog"),  # "premium" is brief filler
        ("Grain-free dog food with real salmon", "dog"),  # "grain-free" ends like an adjective
        ("Dog food brand looking for creators", "Dog"),
        ("Basketball shoes with better ankle support", "Basketball"),
        ("Kids' lunch boxes for the school run.", "Kids'"),
        ("Scented candles for a cosy living room.", None),  # only an adjective before the head
        ("Stroller that folds with one hand.", None),  # one word: no compound
        ("We are launching a cruelty-free vegan skincare line: serums.", None),  # a sentence
        ("yoga", None),
    ],
)
def test_product_modifier_is_the_word_before_the_head_of_a_short_product_name(
    brief: str, modifier: str | None
) -> None:
    assert product_modifier(brief) == modifier


def test_brief_vectors_are_the_unit_mean_of_the_clause_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("creatormatch.features.text.TOPIC_WORD_WEIGHT", 0.0)
    embedder = HashingEmbedder(dimension=64)
    texts = ["leg day, protein shakes and running", "yoga"]  # neither has a product modifier
    got = brief_vectors(embedder, texts)  # (2, 64)
    clauses = embedder.encode(["leg day", "protein shakes", "running"]).mean(axis=0)
    assert got.shape == (2, 64) and got.dtype == np.float32
    np.testing.assert_allclose(got[0], clauses / np.linalg.norm(clauses), atol=1e-6)
    np.testing.assert_allclose(got[1], embedder.encode(["yoga"])[0], atol=1e-6)
    assert np.linalg.norm(got, axis=1) == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize(
    ("clause", "parts"),
    [
        ("Robot vacuum that handles pet hair", ("Robot vacuum", "handles pet hair")),
        ("Credit card with travel points", ("Credit card", "travel points")),
        ("Nappies made from bamboo", ("Nappies", "from bamboo")),
        # the buyer, a place or a field names the niche: kept whole
        ("Baby monitor for new parents", None),
        ("Online course in portrait drawing", None),
        ("Olive oil from a family farm in Crete", ("Olive oil", "a family farm in Crete")),
        ("Creators who post makeup tutorials", None),
        ("that is all", None),
        # a long clause is prose, or a creator's own text: kept whole
        (
            "life with two rescue dogs New York | dogs of instagram cats of instagram insta dog",
            None,
        ),
        ("Dog food", None),
    ],
)
def test_product_attribute_splits_off_what_describes_the_product(
    clause: str, parts: tuple[str, str] | None
) -> None:
    assert product_attribute(clause) == parts


def test_a_product_attribute_speaks_at_a_quarter_of_a_clause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("creatormatch.features.text.TOPIC_WORD_WEIGHT", 0.0)
    embedder = HashingEmbedder(dimension=64)
    got = brief_vectors(embedder, ["Stroller that folds with one hand, light"])[0]
    stroller, folds, light = embedder.encode(["Stroller", "folds with one hand", "light"])
    want = stroller + light + ATTRIBUTE_WEIGHT * folds
    np.testing.assert_allclose(got, want / np.linalg.norm(want), atol=1e-6)


def test_words_that_name_a_topic_alone_join_the_brief_the_attributes_words_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedder = HashingEmbedder(dimension=64)
    # Label probabilities of single hashed words: "running" 0.98, "shakes" 0.95 (in label
    # texts: "running and jogging"); "leg" 0.29, "protein" 0.57; "day" is filler.
    got = brief_vectors(embedder, ["leg day, protein shakes and running"])[0]
    want = embedder.encode(["leg day", "protein shakes", "running"]).sum(axis=0)
    want += TOPIC_WORD_WEIGHT * embedder.encode(["running", "shakes"]).sum(axis=0)
    np.testing.assert_allclose(got, want / np.linalg.norm(want), atol=1e-6)
    # "travel" and "strap" (1.00 each) describe the mat, and "mat" is the product's head (a kind
    # of product many niches share): of the words, only "yoga" (1.00) joins. "Quiet" (0.91) is
    # the product modifier, weighed as one. That is, while the product lexicon lacks yoga mats:
    name, quiet, attribute, yoga = embedder.encode(
        ["Quiet yoga mat", "Quiet", "travel strap", "yoga"]
    )
    read = name + MODIFIER_WEIGHT * quiet + ATTRIBUTE_WEIGHT * attribute
    with monkeypatch.context() as unlisted:
        unlisted.setattr("creatormatch.features.text.name_topic", lambda name: None)
        got = brief_vectors(embedder, ["Quiet yoga mat with travel strap"])[0]
    want = read + TOPIC_WORD_WEIGHT * yoga
    np.testing.assert_allclose(got, want / np.linalg.norm(want), atol=1e-6)
    # It lists them (Fitness): the niche is known, and no word joins.
    got = brief_vectors(embedder, ["Quiet yoga mat with travel strap"])[0]
    np.testing.assert_allclose(got, read / np.linalg.norm(read), atol=1e-6)
