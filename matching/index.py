"""CreatorIndex: FAISS inner-product search over joint creator vectors, with filters inside.

Every creator gets a stable int64 label (its FAISS id) the first time it is added; an upsert
gives the new vector a fresh label. Kinds (see docs/decisions/0001-index-type.md):

- flat: `IndexIDMap2(IndexFlatIP)`, exact; `remove_ids` deletes.
- ivf: `IndexIVFFlat` trained once at build; upserts are added to the trained lists (rebuild after
  the data drifts); a Hashtable direct map lets `remove_ids` delete.
- hnsw: `IndexHNSWFlat`, whose graph cannot remove: deleted labels stay in the graph as
  tombstones, excluded from every search by the selector; a rebuild compacts them.

Beside the vectors, an index may carry its catalog's topic anchors (`topics_`, features.topics)
and the mean of its creators' content vectors (`middle_`, which creators are read without):
computed at build like the IVF lists, kept by upserts until the next build.

Filters become an `IDSelectorBitmap` inside the search, so a filtered search returns k results
whenever k creators match. Where an approximate search still returns fewer, or (HNSW) the
selection is so small that the graph search loses recall, that search is done exactly.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, Self

import faiss  # its bundled stub lacks some classes and keyword arguments: see type: ignore
import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import ArtifactError, InvalidInput, NotFitted, publish, verify
from creatormatch.matching.filters import FilterColumns, Filters, attribute_frame

Kind = Literal["auto", "flat", "ivf", "hnsw"]
Labels = npt.NDArray[np.int64]
# Fills a trained, empty IVF index with (labels (n,), vectors (n, dim)), in place, as one
# `add_with_ids` would: `matching.distributed_index.add_ivf_on` adds shards on Dask workers.
IvfAdd = Callable[[Any, Labels, npt.NDArray[np.float32]], None]

# HNSW: selections of at most this share of the index are searched exactly. Measured at 100k
# (docs/decisions/0001-index-type.md): with a selector, HNSW recall@10 falls to 0.79 at 2 %
# selectivity and 0.50 at 1 %, and even with efSearch scaled by 1 / share recall@100 is only
# 0.95 at 5-10 %, while an exact scan of a 10 % selection takes ~16 ms.
HNSW_EXACT_SHARE = 0.10
INDEX_FILE = "index.faiss"
ITEMS_FILE = "items.parquet"
TOPICS_FILE = "topics.npy"
MIDDLE_FILE = "middle.npy"
FORMAT = 1
_RESERVED = {"kind", "dimension", "count", "ntotal", "next_label", "format", "params", "files"}


class Selection(NamedTuple):
    """A search's filter as FAISS reads it (IDSelectorBitmap), and how many labels it keeps."""

    bitmap: npt.NDArray[np.uint8]  # (ceil(labels / 8),) one bit per label, little-endian
    kept: int


class Hit(NamedTuple):
    id: str
    score: float


class CreatorIndex:
    """Build once, upsert and delete in place, search with filters, save and load verified."""

    def __init__(
        self,
        *,
        kind: Kind = "auto",
        exact_threshold: int = 50_000,
        nlist: int | None = None,
        nprobe: int = 32,
        hnsw_m: int = 32,
        ef_construction: int = 200,
        ef_search: int = 128,
    ) -> None:
        self.kind = kind
        self.exact_threshold = exact_threshold
        self.nlist = nlist
        self.nprobe = nprobe
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _PARAMS}

    # -- building ---------------------------------------------------------------------------

    def build(
        self,
        ids: Sequence[str],
        vectors: npt.NDArray[np.float32],
        attributes: pd.DataFrame,
        *,
        add_ivf: IvfAdd | None = None,
        topics: npt.NDArray[np.float32] | None = None,
        middle: npt.NDArray[np.float32] | None = None,
    ) -> Self:
        """Index `ids`; an IVF index is trained here and filled by `add_ivf` when given (flat
        and HNSW are always filled here: docs/decisions/0022-sharded-ivf-on-dask.md). `topics`:
        the catalog's (topics, content dim) topic anchors, `middle` its (content dim,) mean
        content vector, both kept with the index."""
        n = len(ids)
        if n == 0:
            raise InvalidInput("expected at least one creator to index, got none")
        if vectors.ndim != 2:
            raise InvalidInput(f"expected (n, dim) float32 vectors, got shape {vectors.shape}")
        self.dim_ = int(vectors.shape[1])
        x = self._checked(vectors, n)
        self.kind_ = self._resolve_kind(n)
        self.index_: Any = self._new_index(x)
        self.items_ = pd.DataFrame()
        self.filter_columns_ = FilterColumns.empty()
        self.next_label_ = 0
        self.manifest_: dict[str, Any] = {}
        self.topics_, self.middle_ = topics, middle
        self._add(ids, x, attributes, add_ivf=add_ivf)
        return self

    def _resolve_kind(self, n: int) -> str:
        if self.kind == "auto":
            return "flat" if n < self.exact_threshold else "ivf"
        if self.kind not in ("flat", "ivf", "hnsw"):
            raise InvalidInput(f"expected kind auto, flat, ivf or hnsw, got {self.kind!r}")
        return self.kind

    def _new_index(self, x: npt.NDArray[np.float32]) -> Any:
        d = self.dim_
        index: Any
        if self.kind_ == "flat":
            return faiss.IndexIDMap2(faiss.IndexFlatIP(d))
        if self.kind_ == "hnsw":
            index = faiss.IndexHNSWFlat(d, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            return index
        nlist = self.nlist or _default_nlist(len(x))
        if nlist > len(x):
            raise InvalidInput(f"expected nlist <= {len(x)} vectors to train on, got {nlist}")
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(x)
        # A hashtable direct map lets remove_ids find an id in the lists.
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
        return index

    def _checked(self, vectors: npt.NDArray[np.float32], n: int) -> npt.NDArray[np.float32]:
        if vectors.ndim != 2 or vectors.shape[1] != self.dim_ or vectors.dtype != np.float32:
            got = f"({vectors.shape[0]}, {', '.join(map(str, vectors.shape[1:]))}) {vectors.dtype}"
            raise InvalidInput(f"expected (n, {self.dim_}) float32, got {got}")
        if vectors.shape[0] != n:
            raise InvalidInput(f"expected {n} vectors (one per id), got {vectors.shape[0]}")
        if not np.isfinite(vectors).all():
            raise InvalidInput("expected finite vectors, got NaN or infinite values")
        return np.ascontiguousarray(vectors)

    def _add(
        self,
        ids: Sequence[str],
        x: npt.NDArray[np.float32],
        attributes: pd.DataFrame,
        *,
        add_ivf: IvfAdd | None = None,
    ) -> None:
        if len(set(ids)) != len(ids):
            raise InvalidInput(f"expected unique ids, got {len(ids) - len(set(ids))} duplicate(s)")
        frame = attribute_frame(ids, attributes)
        labels = np.arange(self.next_label_, self.next_label_ + len(ids), dtype=np.int64)
        frame.index = pd.Index(labels, name="label")
        if self.kind_ == "hnsw":  # HNSW numbers vectors by insertion order: that is the label
            self.index_.add(x)
        elif self.kind_ == "ivf" and add_ivf is not None:
            add_ivf(self.index_, labels, x)
        else:
            self.index_.add_with_ids(x, labels)
        self.items_ = frame if self.items_.empty else pd.concat([self.items_, frame])
        self.filter_columns_ = self.filter_columns_.appended(frame)
        self.next_label_ += len(ids)

    # -- changing ---------------------------------------------------------------------------

    def upsert(
        self, ids: Sequence[str], vectors: npt.NDArray[np.float32], attributes: pd.DataFrame
    ) -> Self:
        """Replace the vectors and attributes of known ids and add the new ones, in place."""
        self._check_fitted()
        x = self._checked(vectors, len(ids))
        self._remove(self._labels_of(ids))
        self._add(ids, x, attributes)
        return self

    def delete(self, ids: Sequence[str]) -> int:
        """Remove `ids` from the index; unknown ids are ignored. Returns how many were removed."""
        self._check_fitted()
        labels = self._labels_of(ids)
        self._remove(labels)
        return len(labels)

    def _labels_of(self, ids: Sequence[str]) -> Labels:
        return self.filter_columns_.labels(ids)

    def _remove(self, labels: Labels) -> None:
        if len(labels) == 0:
            return
        if self.kind_ != "hnsw":
            self.index_.remove_ids(labels)
        self.items_ = self.items_.drop(index=pd.Index(labels))
        self.filter_columns_ = self.filter_columns_.removed(labels)

    # -- searching --------------------------------------------------------------------------

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.items_)

    def search(
        self, queries: npt.NDArray[np.float32], k: int, *, filters: Filters | None = None
    ) -> list[list[Hit]]:
        """Top-k hits (id, inner product), best first, for each query row of (q, dim) or (dim,)."""
        return self._hits(*self.search_labels(queries, k, filters=filters))

    def search_labels(
        self, queries: npt.NDArray[np.float32], k: int, *, filters: Filters | None = None
    ) -> tuple[npt.NDArray[np.float32], Labels]:
        """`search` as FAISS answers it: (q, k) scores and labels, best first, -1 padded.

        For callers that join hits to arrays by label (`ids_of` names them): mapping 2,000
        labels to ids and back to rows cost ~2 ms of a shortlist.
        """
        self._check_fitted()
        x = queries[None, :] if queries.ndim == 1 else queries  # (q, dim)
        x = self._checked(x, len(x))
        if k < 1:
            raise InvalidInput(f"expected k >= 1, got {k}")
        selected = self._selection(filters)
        k = min(k, len(self.items_) if selected is None else selected.kept)
        if k == 0:
            return np.zeros((len(x), 0), dtype=np.float32), np.zeros((len(x), 0), dtype=np.int64)
        share = 1.0 if selected is None else selected.kept / self.index_.ntotal
        exact = self.kind_ == "flat" or (self.kind_ == "hnsw" and share <= HNSW_EXACT_SHARE)
        scores, labels = self._search(x, selected, k, share=share, exact=exact)
        short = (labels >= 0).sum(axis=1) < k  # an approximate search found too few matches
        if short.any():
            scores[short], labels[short] = self._search(
                x[short], selected, k, share=share, exact=True
            )
        return scores, labels

    def ids_of(self, labels: Labels) -> list[str]:
        """The creator id of each (live) label."""
        return self.filter_columns_.ids[labels].tolist()

    def _selection(self, filters: Filters | None) -> Selection | None:
        """The labels a search may return; None when that is every label in the index."""
        tombstones = len(self.items_) < self.index_.ntotal
        if (filters is None or filters.is_empty) and not tombstones:
            return None
        keep = self.filter_columns_.mask(filters or Filters())  # (labels,) bool
        return Selection(np.packbits(keep, bitorder="little"), int(np.count_nonzero(keep)))

    def _search(
        self,
        x: npt.NDArray[np.float32],
        selected: Selection | None,
        k: int,
        *,
        share: float,
        exact: bool,
    ) -> tuple[npt.NDArray[np.float32], Labels]:
        """FAISS search restricted to `selected`; effort grows as 1 / share of the index selected.

        Scaling nprobe (IVF) and efSearch (HNSW) by 1 / share keeps the number of selected
        candidates an approximate search scores about what it scores unfiltered. Exact IVF
        probes every list; exact HNSW scans its flat storage, whose positions are the labels.
        """
        bitmap = None if selected is None else selected.bitmap
        selector = (
            None if bitmap is None else faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
        )
        index: Any = self.index_
        params: Any
        if self.kind_ == "ivf":
            nprobe = index.nlist if exact else min(index.nlist, math.ceil(self.nprobe / share))
            params = faiss.SearchParametersIVF(nprobe=nprobe, sel=selector)  # type: ignore[call-arg]
        elif self.kind_ == "hnsw" and not exact:
            ef = math.ceil(max(self.ef_search, k) / share)
            params = faiss.SearchParametersHNSW(efSearch=ef, sel=selector)  # type: ignore[attr-defined]
        else:
            index = faiss.downcast_index(index.storage) if self.kind_ == "hnsw" else index
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, labels = index.search(x, k, params=params)
        del selector, bitmap  # the selector reads the bitmap during the search: keep both alive
        return scores, labels

    def _hits(self, scores: npt.NDArray[np.float32], labels: Labels) -> list[list[Hit]]:
        """The one place that drops FAISS's -1 padding and maps labels back to creator ids."""
        names = self.filter_columns_.ids  # (labels,) creator_id
        results = []
        for row_scores, row_labels in zip(scores, labels, strict=True):
            keep = row_labels >= 0
            pairs = zip(names[row_labels[keep]].tolist(), row_scores[keep].tolist(), strict=True)
            results.append(list(map(Hit._make, pairs)))
        return results

    def _check_fitted(self) -> None:
        if not hasattr(self, "index_"):
            raise NotFitted("the creator index is not built: call build() or CreatorIndex.load()")

    # -- persistence ------------------------------------------------------------------------

    def save(self, directory: Path, *, metadata: dict[str, Any]) -> dict[str, Any]:
        """Publish atomically with a manifest (hashes, kind, dimension, count, `metadata`)."""
        self._check_fitted()
        clash = _RESERVED & set(metadata)
        if clash:
            raise InvalidInput(f"metadata keys {sorted(clash)} are reserved for the index manifest")
        items = io.BytesIO()
        self.items_.reset_index().to_parquet(items, index=False)
        files = {
            INDEX_FILE: faiss.serialize_index(self.index_).tobytes(),
            ITEMS_FILE: items.getvalue(),
        }
        for name, array in ((TOPICS_FILE, self.topics_), (MIDDLE_FILE, self.middle_)):
            if array is not None:
                saved = io.BytesIO()
                np.save(saved, array, allow_pickle=False)
                files[name] = saved.getvalue()
        own = {
            "kind": self.kind_,
            "dimension": self.dim_,
            "count": len(self.items_),
            "ntotal": int(self.index_.ntotal),
            "next_label": self.next_label_,
            "format": FORMAT,
            "params": self.get_params(),
        }
        self.manifest_ = publish(directory, files, {**metadata, **own})
        return self.manifest_

    @classmethod
    def load(cls, directory: Path) -> Self:
        """The index published in `directory`; refused (IntegrityError) if a file was altered."""
        manifest = verify(directory)
        if manifest.get("format") != FORMAT:
            raise ArtifactError(f"expected index format {FORMAT}, got {manifest.get('format')!r}")
        index = cls(**manifest["params"])
        raw = np.frombuffer((directory / INDEX_FILE).read_bytes(), dtype=np.uint8)
        index.index_ = faiss.deserialize_index(raw)
        index.items_ = pd.read_parquet(directory / ITEMS_FILE).set_index("label")
        index.filter_columns_ = FilterColumns.empty().appended(index.items_)
        index.kind_, index.dim_ = manifest["kind"], int(manifest["dimension"])
        index.next_label_, index.manifest_ = int(manifest["next_label"]), manifest
        published = manifest.get("files", {})
        index.topics_, index.middle_ = (
            np.load(directory / name, allow_pickle=False) if name in published else None
            for name in (TOPICS_FILE, MIDDLE_FILE)
        )
        if index.index_.d != index.dim_ or len(index.items_) != manifest["count"]:
            raise ArtifactError(
                f"expected {manifest['count']} items of dimension {index.dim_} in {directory}, "
                f"got {len(index.items_)} of dimension {index.index_.d}"
            )
        return index


_PARAMS = ("kind", "exact_threshold", "nlist", "nprobe", "hnsw_m", "ef_construction", "ef_search")


def _default_nlist(n: int) -> int:
    """About 4·√n lists, with at least 39 training vectors per list (FAISS's minimum)."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))
