"""BM25, P@10 / nDCG@10 and the Kim et al. conversion on planted data; one small real run."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from creatormatch.core import InvalidInput
from creatormatch.features import CreatorRecord, Post
from creatormatch.training import (
    BM25,
    CATEGORIES,
    KIM_DIR,
    POSTS_FILE,
    YOUTUBE_DIR,
    binary_ndcg,
    evaluate_matching,
    home_dir,
    kim_creators,
    kim_sample,
    load_briefs,
    precision_at_k,
    read_posts,
    sample_creators,
    top_k,
    youtube_creators,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
BRIEFS = Path(__file__).resolve().parents[2] / "docs" / "briefs"


def test_precision_counts_matching_labels_in_the_first_k_and_short_lists_as_misses() -> None:
    assert precision_at_k(["a", "b", "a", "a"], "a", k=4) == 0.75
    assert precision_at_k(["a", "a"], "a", k=4) == 0.5
    assert precision_at_k(["a"] * 12, "a", k=10) == 1.0


def test_ndcg_is_one_for_an_ideal_ranking_and_discounts_late_hits() -> None:
    assert binary_ndcg(["a", "a", "b"], "a", k=3, n_relevant=2) == pytest.approx(1.0)
    late = binary_ndcg(["b", "a", "a"], "a", k=3, n_relevant=2)
    expected = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert late == pytest.approx(expected)
    assert binary_ndcg(["b", "b"], "a", k=2, n_relevant=5) == 0.0
    assert binary_ndcg(["b", "b"], "a", k=2, n_relevant=0) == 0.0


def test_the_evaluation_home_changes_with_the_creator_texts(tmp_path: Path) -> None:
    records = [CreatorRecord(creator_id="c1", posts=[Post(post_id="1", caption="leg day")])]
    same = [CreatorRecord(creator_id="c1", posts=[Post(post_id="2", caption="leg day")])]
    other = [CreatorRecord(creator_id="c1", posts=[Post(post_id="1", caption="rest day")])]
    assert home_dir(tmp_path, records) == home_dir(tmp_path, same)
    assert home_dir(tmp_path, records) != home_dir(tmp_path, other)
    assert home_dir(tmp_path, records).parent == tmp_path


def test_bm25_ranks_the_document_with_the_query_term_first_and_weights_rare_terms() -> None:
    docs = ["dog walk park", "cat nap sofa", "dog dog food bowl", "city lights", "food market"]
    index = BM25(docs)
    assert top_k(index.scores("my dog"), ["d0", "d1", "d2", "d3", "d4"], k=2) == ["d2", "d0"]
    # "cat" occurs once in the corpus, "food" twice: the rarer term scores higher alone.
    assert index.scores("cat")[1] > index.scores("food")[4]
    assert index.scores("unknown words").max() == 0.0


def test_bm25_prefers_the_shorter_document_at_equal_term_frequency() -> None:
    index = BM25(["yoga", "yoga " + "filler " * 30, "other"])
    scores = index.scores("yoga")
    assert scores[0] > scores[1] > scores[2] == 0.0


def _tiny_csv(root: Path) -> Path:
    rows = [
        ("p1", "anna", 1_500_000_000, "Pasta night #food", "food", 1200.0),
        ("p2", "anna", 1_500_100_000, "Ramen", "food", 1200.0),
        ("p3", "ben", 1_500_000_000, "Street style", "fasion", float("nan")),
        ("p4", "ben", 1_500_000_500, "New coat", "fashion 0.5", float("nan")),
        ("p5", "cleo", 1_500_000_000, "Just me", "other", 10.0),
    ]
    frame = pd.DataFrame(
        [
            {"shortcode": s, "username": u, "taken_at_timestamp": t, "is_video": False,
             "video_view_count": float("nan"), "likes": 3, "comments": 1,
             "is_paid_partnership": s == "p2", "sponsor_usernames": "brand" if s == "p2" else None,
             "caption": c, "category": cat, "followers": f, "followees": 10.0, "posts": 50.0}
            for s, u, t, c, cat, f in rows
        ]
    )  # fmt: skip
    (root / KIM_DIR).mkdir()
    frame.to_csv(root / KIM_DIR / POSTS_FILE, index=False)
    return root


def test_kim_records_group_posts_by_user_fix_typos_and_keep_the_label_out(tmp_path: Path) -> None:
    kim = kim_creators(read_posts(_tiny_csv(tmp_path)))
    by_id = {r.creator_id: r for r in kim.records}
    assert kim.labels == {"anna": "food", "ben": "fashion", "cleo": "other"}
    assert [p.post_id for p in by_id["anna"].posts] == ["p1", "p2"]
    assert by_id["anna"].posts[1].is_sponsored and by_id["anna"].posts[1].sponsor == "brand"
    assert by_id["anna"].followers == 1200 and by_id["ben"].followers is None
    assert all(r.categories is None for r in kim.records)
    assert "food" not in by_id["anna"].model_dump_json(exclude_none=True).replace("#food", "")


def test_sampling_keeps_creators_with_enough_posts_up_to_n_per_category(tmp_path: Path) -> None:
    posts = read_posts(_tiny_csv(tmp_path))
    assert set(sample_creators(posts, per_category=None)["username"]) == {"anna", "ben"}
    assert set(sample_creators(posts, per_category=5, min_posts=1)["username"]) == {
        "anna", "ben", "cleo",
    }  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / KIM_DIR).is_dir(), reason="Kim et al. data not available")
def test_real_matcher_beats_random_by_a_wide_margin_on_real_creators() -> None:
    briefs = [b for b in load_briefs(BRIEFS / "kim-dev.json", CATEGORIES) if b.id.endswith("-1")]
    result = evaluate_matching(kim_sample(DATA, per_category=15), briefs)
    assert set(result.rows["ours"]) == set(CATEGORIES)
    # 9 groups of ~15 (other included): random P@10 is about 0.11.
    assert result.mean("ours", "p@10") >= 0.4


def test_a_brief_of_another_data_sets_category_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expected a category in"):
        load_briefs(BRIEFS / "youtube-natural-dev.json", CATEGORIES)


@pytest.mark.skipif(not (DATA / YOUTUBE_DIR).is_dir(), reason="YouTube data not available")
def test_youtube_channels_become_records_with_their_category_kept_out() -> None:
    channels = youtube_creators(DATA, per_category=3, seed=1)
    assert set(channels.labels.values()) == set(channels.categories)
    assert len(channels.categories) == 14
    assert all(n == 3 for n in Counter(channels.labels.values()).values())
    record = channels.records[0]
    assert record.platform == "youtube" and record.posts
    assert record.categories is None
    # Tags become hashtags (what content_text reads), titles and descriptions the caption.
    assert any(p.hashtags for r in channels.records for p in r.posts)
    assert channels.labels[record.creator_id] not in record.model_dump_json(include={"categories"})


@pytest.mark.skipif(not (DATA / YOUTUBE_DIR).is_dir(), reason="YouTube data not available")
def test_every_brief_set_names_only_its_data_sets_categories_and_holds_40_or_more() -> None:
    sizes = {}
    for path in sorted(
        [*BRIEFS.glob("*-natural.json"), *BRIEFS.glob("*-natural-2.json"),
         *BRIEFS.glob("*-natural-4.json"), *BRIEFS.glob("*-natural-dev-2.json")]
    ):  # fmt: skip
        if path.name.startswith("world-"):
            continue
        loader = kim_sample if path.name.startswith("kim-") else youtube_creators
        categories = (
            CATEGORIES
            if loader is kim_sample
            else youtube_creators(DATA, per_category=1).categories
        )
        briefs = load_briefs(path, categories)
        sizes[path.name] = len(briefs)
        # Every category is asked for: a set that skips one cannot report it.
        assert {b.category for b in briefs} == set(categories)
    assert sizes == {
        "kim-natural.json": 48,
        "youtube-natural.json": 56,
        "kim-natural-2.json": 48,
        "youtube-natural-2.json": 56,
        "kim-natural-4.json": 48,
        "youtube-natural-4.json": 56,
        "kim-natural-dev-2.json": 64,  # development sets, written the same way
        "youtube-natural-dev-2.json": 70,
    }
