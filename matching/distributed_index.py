"""An IVF index filled on Dask workers: trained once here, shards added there, merged here.

`CreatorIndex(kind="ivf").build(ids, vectors, attributes, add_ivf=add_ivf_on(client))` trains
the coarse quantizer here exactly as a single-machine build does (FAISS k-means with its fixed
seed, on at most 256 vectors per list, which FAISS samples itself), so both builds share one
trained index. `add_ivf_on` then sends that empty trained index to every worker once, splits the
(labels, vectors) into contiguous label ranges, has a worker assign and add each range (the
O(n · nlist · dim) part of adding), and merges the returned shards here in label order. Every
inverted list then holds the ids, in the same order, that one `add_with_ids` would have put
there, so searches return the same ids and scores (tests/matching/test_distributed_index.py).

Only IVF is spread. Flat indexes are for catalogs below `exact_threshold` (50,000), where adding
is a copy and shipping the vectors costs more than it saves; an HNSW graph cannot be merged (a
vector's links depend on the graph it was inserted into). docs/decisions/0022-sharded-ivf-on-dask.md
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np
import numpy.typing as npt

from creatormatch.matching.distributed import in_order, submit, workers_of
from creatormatch.matching.index import IvfAdd, Labels

if TYPE_CHECKING:
    from distributed import Client

# Vectors per shard: ~430 MB of 430-d float32 in, about as much back, per task in flight.
SHARD_ROWS = 250_000


def add_ivf_on(client: Client, *, shard_rows: int = SHARD_ROWS) -> IvfAdd:
    """An `IvfAdd` that adds shards of at most `shard_rows` vectors on the workers of `client`,
    at least one shard per worker."""

    def add(index: Any, labels: Labels, vectors: npt.NDArray[np.float32]) -> None:
        shards = max(workers_of(client), math.ceil(len(labels) / shard_rows))
        add_in_shards(client, index, labels, vectors, shards=shards)

    return add


def add_in_shards(
    client: Client,
    index: Any,
    labels: Labels,
    vectors: npt.NDArray[np.float32],
    *,
    shards: int,
) -> None:
    """Fill the trained, empty IVF `index` with (labels (n,), vectors (n, dim)), in place, from
    `shards` contiguous parts added on the workers and merged here in order."""
    direct_map = index.direct_map.type  # merge_from refuses lists with one: rebuilt at the end
    index.set_direct_map_type(faiss.DirectMap.NoMap)  # type: ignore[attr-defined]
    (trained,) = client.scatter([faiss.serialize_index(index)], broadcast=True, hash=False)
    parts = np.array_split(np.arange(len(labels)), shards)
    futures = (submit(client, add_on_worker, trained, data=(labels[p], vectors[p])) for p in parts)
    for shard in in_order(client, futures):
        index.merge_from(faiss.deserialize_index(shard), 0)
    index.set_direct_map_type(direct_map)


def add_on_worker(
    trained: npt.NDArray[np.uint8], shard: tuple[Labels, npt.NDArray[np.float32]]
) -> npt.NDArray[np.uint8]:
    """The serialized trained index with one shard of (labels, vectors) added to it."""
    labels, vectors = shard
    index = faiss.deserialize_index(trained)
    index.add_with_ids(vectors, labels)
    return faiss.serialize_index(index)
