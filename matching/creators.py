"""Creators as a resource: upsert, read and delete one batch at a time, durably.

An upsert stores records, features and embeddings (ingest), refreshes the fraud reports of the
creators that changed, upserts them into a *copy* of the live index and publishes that copy, all
before it returns. The caller swaps the copy in: searches running on the old index finish on it,
untouched (FAISS indexes are not safe to change while searched).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import faiss

from creatormatch.core import Home, NotFound
from creatormatch.features import CreatorRecord, TextEmbedder
from creatormatch.matching.index import CreatorIndex
from creatormatch.matching.indexing import creator_vectors
from creatormatch.matching.ingest import ingest_records
from creatormatch.matching.vectors import VectorWeights, joint_vectors
from creatormatch.store import Catalog, refresh_scores


@dataclass(frozen=True)
class Upserted:
    stored: list[str]
    unchanged: int
    embedded: int
    index: CreatorIndex
    manifest: dict[str, Any]


@dataclass(frozen=True)
class CreatorView:
    record: CreatorRecord
    features: dict[str, float | None]
    fraud: dict[str, Any] | None


def copy_index(index: CreatorIndex) -> CreatorIndex:
    """An independent copy: the FAISS index through its own serialisation, items copied."""
    twin = copy.copy(index)
    twin.index_ = faiss.deserialize_index(faiss.serialize_index(index.index_))
    twin.items_ = index.items_.copy()
    twin.manifest_ = dict(index.manifest_)
    return twin


def _publish(home: Home, catalog: Catalog, index: CreatorIndex, model_id: str) -> dict[str, Any]:
    return index.save(
        home.index_dir, metadata={"embedding_model": model_id, "data_hash": catalog.data_hash()}
    )


def upsert_creators(
    home: Home,
    catalog: Catalog,
    index: CreatorIndex,
    records: Sequence[CreatorRecord],
    *,
    embedder: TextEmbedder,
) -> Upserted:
    """Store `records` and return the published index that holds them (a copy of `index`)."""
    report = ingest_records(catalog, records, embedder=embedder)
    changed = report.changed_ids
    refresh_scores(home, catalog, changed)
    updated = copy_index(index)
    if changed:
        content, audience, known = creator_vectors(catalog, changed, dimension=embedder.dimension)
        vectors = joint_vectors(content, audience, known, weights=VectorWeights())
        attributes = catalog.attributes().reindex(changed)
        updated.upsert(changed, vectors, attributes)
    manifest = _publish(home, catalog, updated, embedder.model_id) if changed else index.manifest_
    return Upserted(changed, report.unchanged, report.embedded, updated, manifest)


def delete_creator(
    home: Home, catalog: Catalog, index: CreatorIndex, creator_id: str, *, model_id: str
) -> CreatorIndex:
    """Remove a creator from a published copy of the index, then from the catalog."""
    if not catalog.stored_hashes([creator_id]):
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    updated = copy_index(index)
    updated.delete([creator_id])
    catalog.delete_creators([creator_id])
    _publish(home, catalog, updated, model_id)
    return updated


def get_creator(catalog: Catalog, creator_id: str) -> CreatorView:
    """The profile (no posts or samples), engineered features and stored fraud report."""
    profiles = catalog.profiles([creator_id])
    if not profiles:
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    row = catalog.features([creator_id]).iloc[0]
    features = {str(k): None if v != v else float(v) for k, v in row.items()}
    fraud = catalog.fraud_scores([creator_id]).get(creator_id)
    return CreatorView(profiles[0], features, fraud)
