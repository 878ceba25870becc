from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import IntegrityError, InvalidInput, NotFitted
from creatormatch.matching import CreatorIndex, Filters

N, DIM, CLUSTERS = 20_000, 64, 64
LANGUAGES = tuple(f"l{i}" for i in range(100))  # each language holds ~1 % of the creators


def clustered(rng: np.random.Generator, n: int, centres: np.ndarray) -> np.ndarray:
    points = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.normal(size=(n, DIM))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(CLUSTERS, DIM))
    vectors = clustered(rng, N, centres)  # (N, DIM) unit rows
    queries = clustered(rng, 40, centres)
    attributes = pd.DataFrame(
        {
            "platform": rng.choice(["instagram", "tiktok", "youtube"], N),
            "country": rng.choice(["US", "GB", "IN", "BR"], N),
            "language": rng.choice(LANGUAGES, N),
            "followers": rng.integers(500, 3_000_000, N),
        }
    )
    return [f"c{i}" for i in range(N)], vectors, attributes, queries


@pytest.fixture(scope="module")
def built(data) -> dict[str, CreatorIndex]:
    ids, vectors, attributes, _ = data
    return {kind: CreatorIndex(kind=kind).build(ids, vectors, attributes) for kind in KINDS}


KINDS = ("flat", "ivf", "hnsw")


def exact_top(queries: np.ndarray, vectors: np.ndarray, k: int, rows=None) -> list[list[int]]:
    rows = np.arange(len(vectors)) if rows is None else rows
    scores = queries @ vectors[rows].T
    return [rows[np.argsort(-s, kind="stable")[:k]].tolist() for s in scores]


def rows_of(hits) -> list[int]:
    return [int(hit.id[1:]) for hit in hits]


def recall(results, truth) -> float:
    found = [
        len(set(rows_of(hits)) & set(t)) / len(t) for hits, t in zip(results, truth, strict=True)
    ]
    return float(np.mean(found))


def test_flat_search_equals_numpy_exact_top_k(data, built):
    _, vectors, _, queries = data
    results = built["flat"].search(queries, 10)
    assert [rows_of(hits) for hits in results] == exact_top(queries, vectors, 10)
    expected = np.sort(queries @ vectors.T, axis=1)[:, ::-1][:, :10]
    np.testing.assert_allclose([[h.score for h in hits] for hits in results], expected, rtol=1e-5)


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_recall_at_10_is_at_least_095(data, built, kind):
    _, vectors, _, queries = data
    assert recall(built[kind].search(queries, 10), exact_top(queries, vectors, 10)) >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_filtered_search_returns_only_and_exactly_k_matching_items(data, built, kind):
    _, vectors, attributes, queries = data
    filters = Filters(platforms=("tiktok",), countries=("us",), min_followers=100_000)
    wanted = np.flatnonzero(
        (attributes.platform == "tiktok") & (attributes.country == "US")
        & (attributes.followers >= 100_000)
    )  # fmt: skip
    results = built[kind].search(queries, 50, filters=filters)
    assert all(len(hits) == 50 and set(rows_of(hits)) <= set(wanted) for hits in results)
    assert recall(results, exact_top(queries, vectors, 50, wanted)) >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_filtered_search_at_one_percent_selectivity_still_returns_k(data, built, kind):
    _, vectors, attributes, queries = data
    wanted = np.flatnonzero(attributes.language == "l7")
    assert 100 < len(wanted) < 300
    results = built[kind].search(queries, 50, filters=Filters(languages=("l7",)))
    assert all(len(hits) == 50 for hits in results)
    assert recall(results, exact_top(queries, vectors, 50, wanted)) >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_k_above_the_number_of_matches_returns_every_match_without_padding(data, built, kind):
    _, _, attributes, queries = data
    wanted = set(np.flatnonzero(attributes.language == "l3"))
    results = built[kind].search(queries[0], 1_000, filters=Filters(languages=("l3",)))
    assert set(rows_of(results[0])) == wanted


def test_tier_and_exclusion_filters_hold(built):
    index = built["flat"]
    query = index.index_.reconstruct(5)
    hits = index.search(query, 20, filters=Filters(tiers=("mega",), exclude=("c5",)))[0]
    frame = index.items_.set_index("creator_id")
    assert len(hits) == 20
    assert "c5" not in {h.id for h in hits}
    assert (frame.loc[[h.id for h in hits], "followers"] >= 1_000_000).all()


def small(kind: str, n: int = 2_000) -> tuple[CreatorIndex, np.ndarray]:
    rng = np.random.default_rng(3)
    vectors = clustered(rng, n, rng.normal(size=(8, DIM)))
    attributes = pd.DataFrame(
        {"platform": "tiktok", "country": "US", "language": "en", "followers": np.full(n, 5_000)}
    )
    return CreatorIndex(kind=kind).build([f"c{i}" for i in range(n)], vectors, attributes), vectors


ONE = pd.DataFrame({"platform": ["youtube"], "country": ["GB"], "language": ["en"],
                    "followers": [50_000]})  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_upsert_replaces_a_vector_and_search_sees_it(kind):
    index, vectors = small(kind)
    index.upsert(["c10"], vectors[[20]], ONE)
    hits = index.search(vectors[20], 2)[0]
    assert {h.id for h in hits} == {"c10", "c20"}
    assert index.search(vectors[20], 5, filters=Filters(platforms=("youtube",)))[0][0].id == "c10"
    assert len(index) == 2_000


@pytest.mark.parametrize("kind", KINDS)
def test_upsert_adds_new_ids(kind):
    index, vectors = small(kind)
    index.upsert(["new"], -vectors[[0]], ONE)
    assert index.search(-vectors[0], 1)[0][0].id == "new"
    assert len(index) == 2_001


@pytest.mark.parametrize("kind", KINDS)
def test_delete_removes_ids_from_every_search(kind):
    index, vectors = small(kind)
    assert index.delete(["c1", "c2", "absent"]) == 2
    assert len(index) == 1_998
    for filters in (None, Filters(countries=("US",))):
        found = {h.id for h in index.search(vectors[1], 100, filters=filters)[0]}
        assert len(found) == 100
        assert not found & {"c1", "c2"}


@pytest.mark.parametrize("kind", KINDS)
def test_save_then_load_gives_identical_results(kind, tmp_path: Path):
    index, vectors = small(kind)
    index.delete(["c3"])  # HNSW keeps a tombstone, which must survive the round trip
    manifest = index.save(tmp_path, metadata={"embedding_model": "m", "data_hash": "h"})
    loaded = CreatorIndex.load(tmp_path)
    filters = Filters(platforms=("tiktok",))
    assert loaded.search(vectors[:10], 10) == index.search(vectors[:10], 10)
    assert loaded.search(vectors[:10], 10, filters=filters) == index.search(
        vectors[:10], 10, filters=filters
    )
    assert manifest["kind"] == loaded.manifest_["kind"] == kind
    assert (manifest["dimension"], manifest["count"], manifest["embedding_model"]) == (
        DIM,
        1_999,
        "m",
    )


def test_a_tampered_index_file_is_refused(tmp_path: Path):
    index, _ = small("flat", 100)
    index.save(tmp_path, metadata={})
    path = tmp_path / "index.faiss"
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IntegrityError, match="sha256"):
        CreatorIndex.load(tmp_path)


def test_reserved_metadata_keys_are_refused(tmp_path: Path):
    index, _ = small("flat", 100)
    with pytest.raises(InvalidInput, match=r"metadata keys \['count'\] are reserved"):
        index.save(tmp_path, metadata={"count": 3})


def test_auto_kind_is_exact_below_the_threshold_and_ivf_at_it():
    _, vectors = small("flat", 1_000)
    attributes = pd.DataFrame({"platform": "tiktok", "country": "US", "language": "en",
                               "followers": np.full(1_000, 5_000)})  # fmt: skip
    ids = [f"c{i}" for i in range(1_000)]
    below = CreatorIndex(exact_threshold=1_001).build(ids, vectors, attributes)
    at = CreatorIndex(exact_threshold=1_000).build(ids, vectors, attributes)
    assert (below.kind_, at.kind_) == ("flat", "ivf")


def test_vectors_of_the_wrong_width_are_refused():
    index, _ = small("flat", 100)
    with pytest.raises(InvalidInput, match=r"expected \(n, 64\) float32, got \(5, 32\) float32"):
        index.upsert([f"x{i}" for i in range(5)], np.ones((5, 32), np.float32), ONE)
    with pytest.raises(InvalidInput, match=r"expected \(n, 64\) float32, got \(1, 64\) float64"):
        index.search(np.ones(64), 3)


def test_duplicate_ids_and_missing_columns_are_refused():
    vectors = np.ones((2, DIM), np.float32)
    with pytest.raises(InvalidInput, match="expected unique ids, got 1 duplicate"):
        CreatorIndex().build(["a", "a"], vectors, pd.concat([ONE, ONE]))
    with pytest.raises(InvalidInput, match=r"missing \['followers'\]"):
        CreatorIndex().build(["a"], vectors[:1], ONE.drop(columns="followers"))


def test_unknown_attributes_fail_a_filter_that_is_set():
    attributes = pd.concat([ONE, ONE.assign(platform=None, followers=None)])
    index = CreatorIndex().build(["known", "unknown"], np.eye(2, DIM, dtype=np.float32), attributes)
    assert {h.id for h in index.search(np.ones(DIM, np.float32), 5)[0]} == {"known", "unknown"}
    for filters in (Filters(platforms=("youtube",)), Filters(tiers=("micro",))):
        assert [h.id for h in index.search(np.ones(DIM, np.float32), 5, filters=filters)[0]] == [
            "known"
        ]


def test_searching_an_unbuilt_index_says_so():
    with pytest.raises(NotFitted, match="not built"):
        CreatorIndex().search(np.ones(DIM, np.float32), 3)


@pytest.mark.parametrize("tampered", ["topics.npy", "middle.npy"])
def test_topic_anchors_and_middle_travel_with_the_index_and_survive_upserts(
    tmp_path: Path, tampered: str
):
    index, vectors = small("flat", 100)
    assert index.topics_ is None and index.middle_ is None  # built without: plain labels
    index.save(tmp_path / "plain", metadata={})
    plain = CreatorIndex.load(tmp_path / "plain")
    assert plain.topics_ is None and plain.middle_ is None
    rng = np.random.default_rng(0)
    anchors = rng.normal(size=(5, 16)).astype(np.float32)
    middle = rng.normal(size=16).astype(np.float32)
    ids = list(index.items_["creator_id"])
    with_anchors = CreatorIndex(kind="flat").build(
        ids, vectors, index.items_.set_index("creator_id"), topics=anchors, middle=middle
    )
    with_anchors.upsert(["new"], -vectors[[0]], ONE)
    with_anchors.save(tmp_path / "anchored", metadata={})
    loaded = CreatorIndex.load(tmp_path / "anchored")
    assert loaded.topics_ is not None and loaded.middle_ is not None
    np.testing.assert_array_equal(loaded.topics_, anchors)
    np.testing.assert_array_equal(loaded.middle_, middle)
    (tmp_path / "anchored" / tampered).write_bytes(b"tampered")
    with pytest.raises(IntegrityError, match="sha256"):
        CreatorIndex.load(tmp_path / "anchored")
