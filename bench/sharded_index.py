"""The index row of `creatormatch bench scale`: an IVF index's vectors added in one process or
in shards on Dask workers (`add_ivf_on`), and the recall@100 of each.

The quantizer is trained once, before any clock starts, by a single-machine `CreatorIndex`
build (default nlist ≈ 4·√n); every run fills a copy of that trained, empty index, so the row
times what is spread (assigning vectors to lists and adding them, plus shipping and merging
the shards) and the training time is printed beside it. Vectors are the clustered 384-d
content vectors of `bench shortlist`; recall@100 is against exact numpy top-100 at the index's
nprobe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.bench.shortlist import content_vectors, topic_centers
from creatormatch.matching import CreatorIndex, add_ivf_on

QUERIES, K = 200, 100


class ShardedIndexBench:
    """Vectors, queries and their exact top-100, and the trained empty IVF index, made once."""

    def __init__(self, vectors: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        centers = topic_centers(rng)
        self.x = content_vectors(vectors, centers, rng)  # (vectors, 384) float32, unit rows
        self.queries = content_vectors(QUERIES, centers, rng)  # (QUERIES, 384)
        self.truth = np.argsort(-(self.queries @ self.x.T), axis=1)[:, :K]  # (QUERIES, K) rows
        self.labels = np.arange(vectors, dtype=np.int64)
        self.recalls: dict[str, float] = {}  # by run: "1 process", "2 workers"
        self.filled: Any = None
        trained: list[npt.NDArray[np.uint8]] = []
        start = time.perf_counter()
        built = CreatorIndex(kind="ivf").build(
            [f"c{i}" for i in self.labels], self.x, _attributes(vectors), add_ivf=_kept(trained)
        )
        self.build_seconds = time.perf_counter() - start
        self.trained, self.nlist, self.nprobe = trained[0], built.index_.nlist, built.nprobe

    def fill(self, client: Any) -> None:
        """Fill a copy of the trained index here (client None) or on the workers of `client`."""
        index = faiss.deserialize_index(self.trained)
        if client is None:
            index.add_with_ids(self.x, self.labels)
        else:
            add_ivf_on(client)(index, self.labels, self.x)
        self.filled = index

    def recall(self) -> float:
        """Recall@100 of the index filled last, at the nprobe a `CreatorIndex` searches with."""
        params = faiss.SearchParametersIVF(nprobe=self.nprobe)  # type: ignore[call-arg]
        _, found = self.filled.search(self.queries, K, params=params)
        hits = [len(set(f) & set(t)) for f, t in zip(found, self.truth, strict=True)]
        return float(np.sum(hits) / self.truth.size)


def _kept(trained: list[npt.NDArray[np.uint8]]) -> Callable[..., None]:
    """An add that keeps the trained, empty index it is handed (serialized), then adds here."""

    def add(index: Any, labels: npt.NDArray[np.int64], x: npt.NDArray[np.float32]) -> None:
        trained.append(faiss.serialize_index(index))
        index.add_with_ids(x, labels)

    return add


def _attributes(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"platform": ["instagram"] * n, "country": ["US"] * n, "language": ["en"] * n,
         "followers": np.full(n, 10_000)}
    )  # fmt: skip
