"""The FAISS index derived from the catalog: build, publish, load and check it is current.

A publication records the catalog generation it was built at (`catalog_generation`): the index is
current while the catalog's counter has not moved since. Builds hold the catalog's writer lease
from the first read to the publication, so no creator is stored in between and then left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import MANIFEST, ArtifactError, Home, NotReady
from creatormatch.features import AUDIENCE_DIM, TextEmbedder, catalog_topics, embedded_topics
from creatormatch.matching.distributed_index import add_ivf_on
from creatormatch.matching.index import ITEMS_FILE, CreatorIndex
from creatormatch.matching.vectors import VectorWeights, joint_vectors
from creatormatch.store import Catalog

if TYPE_CHECKING:
    from distributed import Client


def creator_vectors(
    catalog: Catalog, creator_ids: list[str], *, dimension: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """(content (n, dim), audience (n, A), audience known (n,)) for `creator_ids`, in order."""
    hashes = catalog.content_hashes(creator_ids)
    cached = catalog.cached_vectors(hashes.values())
    content = np.zeros((len(creator_ids), dimension), dtype=np.float32)
    for row, creator_id in enumerate(creator_ids):
        vector = cached.get(hashes.get(creator_id, ""))
        if vector is None or vector.shape != (dimension,):
            raise ArtifactError(
                f"no {dimension}-d content vector cached for {creator_id}: re-ingest"
            )
        content[row] = vector
    stored = catalog.audience_vectors(creator_ids)
    audience = np.zeros((len(creator_ids), AUDIENCE_DIM), dtype=np.float32)
    known = np.zeros(len(creator_ids), dtype=bool)
    for row, creator_id in enumerate(creator_ids):
        if creator_id in stored:
            audience[row], known[row] = stored[creator_id], True
    return content, audience, known


def build_index(
    home: Home,
    catalog: Catalog,
    embedder: TextEmbedder,
    *,
    kind: str = "auto",
    client: Client | None = None,
) -> dict[str, Any]:
    """Rebuild the index from every creator in the catalog and publish it; return its manifest.

    With `client`, an IVF index's vectors are added on the Dask workers behind it (the same
    index: matching/distributed_index.py). The catalog's topic anchors and mean content vector
    are computed with it."""
    with catalog.lease():
        attributes = catalog.attributes()
        if attributes.empty:
            raise NotReady("the catalog holds no creators: nothing to index")
        ids = list(attributes.index)
        content, audience, known = creator_vectors(catalog, ids, dimension=embedder.dimension)
        vectors = joint_vectors(content, audience, known, weights=VectorWeights())
        add_ivf = None if client is None else add_ivf_on(client)
        index = CreatorIndex(kind=kind)  # type: ignore[arg-type]
        topics = catalog_topics(content, embedded_topics(embedder))
        middle = content.mean(axis=0)
        index.build(ids, vectors, attributes, add_ivf=add_ivf, topics=topics, middle=middle)
        return index.save(home.index_dir, metadata=current_metadata(catalog, embedder.model_id))


def current_metadata(catalog: Catalog, model_id: str) -> dict[str, Any]:
    """What a publication built from the whole catalog as it is now records about it."""
    return {
        "embedding_model": model_id,
        "data_hash": catalog.data_hash(),
        "catalog_generation": catalog.generation(),
    }


def is_current(manifest: dict[str, Any], catalog: Catalog) -> bool:
    """Whether the index of `manifest` reflects every creator record in the catalog now.

    Indexes published before generations were recorded are compared by data hash (a scan)."""
    if "catalog_generation" in manifest:
        return bool(manifest["catalog_generation"] == catalog.generation())
    return bool(manifest.get("data_hash") == catalog.data_hash())


@dataclass(frozen=True)
class Published:
    """What is published in a home's index directory, read without loading the FAISS file.

    `manifest` is None when there is no manifest (never built, or a publication was cut short);
    `ids` is None when the item list cannot be read (`problem` says why)."""

    manifest: dict[str, Any] | None
    ids: frozenset[str] | None
    problem: str | None = None


def published_ids(home: Home) -> Published:
    """The creator ids of the published index: its manifest and item list, cheaply."""
    directory = home.index_dir
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        return Published(None, None, f"no {MANIFEST} in {directory}")
    except (OSError, ValueError) as error:
        return Published(None, None, f"unreadable {directory / MANIFEST}: {error}")
    try:
        items = pd.read_parquet(directory / ITEMS_FILE, columns=["creator_id"])
    except (OSError, ValueError) as error:
        return Published(manifest, None, f"unreadable {directory / ITEMS_FILE}: {error}")
    return Published(manifest, frozenset(items["creator_id"].astype(str)))


def load_index(
    home: Home, catalog: Catalog, embedder: TextEmbedder
) -> tuple[CreatorIndex, dict[str, Any]]:
    """The published index, refused if it was built with another embedding model."""
    if not (home.index_dir / "manifest.json").is_file():
        raise NotReady(f"no index in {home.root}: run `creatormatch ingest FILE` first")
    index = CreatorIndex.load(home.index_dir)
    manifest = index.manifest_
    if manifest.get("embedding_model") != embedder.model_id:
        raise ArtifactError(
            f"the index was built with embeddings {manifest.get('embedding_model')!r}, "
            f"this process embeds with {embedder.model_id!r}: re-ingest or change the embedder"
        )
    return index, manifest
