"""An IVF index filled on a real 2-worker Dask LocalCluster is the single-machine index."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pandas as pd
import pytest

from creatormatch.core import Home
from creatormatch.features import load_embedder
from creatormatch.matching import (
    CreatorIndex,
    Filters,
    add_ivf_on,
    build_index,
    dask_client,
    ingest_file,
)
from creatormatch.store import Catalog
from creatormatch.world import WorldParams, generate_world

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

N, DIM, NLIST, NPROBE, QUERIES, K = 20_000, 64, 64, 8, 300, 100


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.normal(size=(n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2, scheduler=None) as client:
        yield client


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(11)
    attributes = pd.DataFrame(
        {
            "platform": rng.choice(["instagram", "tiktok", "youtube"], N),
            "country": rng.choice(["US", "GB", "IN", "BR"], N),
            "language": rng.choice(["en", "es", "pt", "hi"], N),
            "followers": rng.integers(500, 3_000_000, N),
        }
    )
    return [f"c{i}" for i in range(N)], unit(rng, N), attributes, unit(rng, QUERIES)


def ivf() -> CreatorIndex:
    return CreatorIndex(kind="ivf", nlist=NLIST, nprobe=NPROBE)


@pytest.fixture(scope="module")
def alone(data) -> CreatorIndex:
    ids, vectors, attributes, _ = data
    return ivf().build(ids, vectors, attributes)


@pytest.fixture(scope="module")
def sharded(data, client) -> CreatorIndex:
    ids, vectors, attributes, _ = data
    # 3,000 vectors a shard: 7 shards on 2 workers, merged in order from a window of 4 in flight
    return ivf().build(ids, vectors, attributes, add_ivf=add_ivf_on(client, shard_rows=3_000))


def list_ids(index: CreatorIndex) -> list[list[int]]:
    lists = index.index_.invlists
    return [
        faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).tolist()
        for i in range(index.index_.nlist)
    ]


def assert_same_search(got: CreatorIndex, expected: CreatorIndex, queries, **search) -> None:
    got_scores, got_labels = got.search_labels(queries, K, **search)
    scores, labels = expected.search_labels(queries, K, **search)
    np.testing.assert_array_equal(got_labels, labels)
    np.testing.assert_allclose(got_scores, scores, rtol=0, atol=1e-5)


def recall_at_k(index: CreatorIndex, vectors, queries, keep=None, **search) -> float:
    rows = np.arange(len(vectors)) if keep is None else np.flatnonzero(keep)
    truth = rows[np.argsort(-(queries @ vectors[rows].T), axis=1)[:, :K]]
    _, labels = index.search_labels(queries, K, **search)  # labels are row numbers here
    return float(np.mean([len(set(t) & set(g)) / K for t, g in zip(truth, labels, strict=True)]))


def test_sharded_lists_hold_the_single_machine_ids_in_the_same_order(alone, sharded) -> None:
    assert sharded.index_.ntotal == alone.index_.ntotal == N
    assert list_ids(sharded) == list_ids(alone)
    np.testing.assert_array_equal(
        sharded.index_.quantizer.reconstruct_n(0, NLIST),
        alone.index_.quantizer.reconstruct_n(0, NLIST),
    )


def test_shards_are_added_on_both_workers(data, client) -> None:
    from distributed import get_task_stream

    ids, vectors, attributes, _ = data
    with get_task_stream(client) as stream:
        ivf().build(ids, vectors, attributes, add_ivf=add_ivf_on(client, shard_rows=3_000))
    adds = [task for task in stream.data if "add_on_worker" in str(task["key"])]
    assert len(adds) == 7 and len({task["worker"] for task in adds}) == 2


def test_sharded_build_keeps_the_items_labels_and_attributes(alone, sharded) -> None:
    pd.testing.assert_frame_equal(sharded.items_, alone.items_)
    assert sharded.next_label_ == alone.next_label_ == N
    assert sharded.ids_of(np.array([0, N - 1])) == ["c0", f"c{N - 1}"]


def test_sharded_search_returns_the_single_machine_ids_and_scores(data, alone, sharded) -> None:
    assert_same_search(sharded, alone, data[3])


def test_sharded_filtered_search_returns_the_single_machine_ids_and_scores(
    data, alone, sharded
) -> None:
    for filters in (
        Filters(platforms=("tiktok",)),  # ~33 %: nprobe 8 → 25 of 64 lists
        Filters(countries=("br",), languages=("pt",), min_followers=1_000_000, exclude=("c1",)),
    ):  # the second keeps ~5 %: every list probed
        assert_same_search(sharded, alone, data[3], filters=filters)


def test_sharded_recall_at_100_equals_the_single_machine_build(data, alone, sharded) -> None:
    _, vectors, attributes, queries = data
    assert recall_at_k(sharded, vectors, queries) == pytest.approx(
        recall_at_k(alone, vectors, queries), abs=0.005
    )
    assert 0.2 < recall_at_k(alone, vectors, queries) < 1.0  # approximate: lists really differ
    filters = Filters(platforms=("youtube",))
    keep = attributes["platform"].to_numpy() == "youtube"
    assert recall_at_k(sharded, vectors, queries, keep, filters=filters) == pytest.approx(
        recall_at_k(alone, vectors, queries, keep, filters=filters), abs=0.005
    )


def test_sharded_index_round_trips_through_save_and_load(
    data, alone, sharded, tmp_path: Path
) -> None:
    sharded.save(tmp_path / "index", metadata={"embedding_model": "random"})
    loaded = CreatorIndex.load(tmp_path / "index")
    assert loaded.kind_ == "ivf" and len(loaded) == N
    assert_same_search(loaded, alone, data[3])
    assert_same_search(loaded, alone, data[3], filters=Filters(countries=("br",)))


def test_sharded_index_deletes_and_upserts_through_its_direct_map(
    data, sharded, tmp_path: Path
) -> None:
    _, _, attributes, queries = data
    sharded.save(tmp_path / "index", metadata={})
    index = CreatorIndex.load(tmp_path / "index")
    top = index.search(queries[:1], 1)[0][0].id
    assert index.delete([top]) == 1 and index.index_.ntotal == N - 1
    assert top not in [hit.id for hit in index.search(queries[:1], K)[0]]
    index.upsert(["new"], queries[:1], attributes.iloc[:1])
    assert index.search(queries[:1], 1)[0][0].id == "new"


def test_build_index_with_a_client_publishes_the_single_machine_index(
    tmp_path: Path, client
) -> None:
    world = generate_world(WorldParams(seed=3, n_creators=300))
    source = tmp_path / "creators.jsonl"
    source.write_text("".join(json.dumps(r, default=str) + "\n" for r in world.records()))
    home, embedder = Home(tmp_path / "home"), load_embedder("hashing")
    ingest_file(home, source, embedder=embedder, progress=False)
    catalog = Catalog(home.catalog)
    try:
        build_index(home, catalog, embedder, kind="ivf")
        alone = CreatorIndex.load(home.index_dir)
        manifest = build_index(home, catalog, embedder, kind="ivf", client=client)
    finally:
        catalog.close()
    spread = CreatorIndex.load(home.index_dir)
    assert manifest["kind"] == "ivf" and manifest["count"] == len(alone) == 300
    assert list_ids(spread) == list_ids(alone)
    pd.testing.assert_frame_equal(spread.items_, alone.items_)
    rng = np.random.default_rng(5)
    queries = rng.normal(size=(20, alone.dim_)).astype(np.float32)
    assert_same_search(spread, alone, queries / np.linalg.norm(queries, axis=1, keepdims=True))
