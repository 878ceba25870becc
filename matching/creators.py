"""Creators as a resource: upsert, read and delete one batch at a time, durably.

An upsert stores records, features and embeddings (ingest), refreshes the fraud reports of the
creators that changed, upserts them into a *copy* of the live index and publishes that copy, all
before it returns. The caller swaps the copy in: searches running on the old index finish on it,
untouched (FAISS indexes are not safe to change while searched).

Another process (a CLI ingest) may write the same catalog and publish the index too. Every write
holds the catalog's writer lease from the first read to the publication, starts from the latest
published index rather than the caller's, and makes the index hold exactly the catalog's
creators: a publication never drops a creator it did not mean to drop, whoever stored it. If the
catalog changed in ways the index may not reflect (another writer's records, not yet rebuilt),
the publication keeps the older `catalog_generation`, so the next ingest or `doctor` rebuilds.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import faiss

from creatormatch.core import MANIFEST, ArtifactError, Home, NotFound
from creatormatch.features import AUDIENCE_DIM, CreatorRecord, TextEmbedder
from creatormatch.matching.index import CreatorIndex
from creatormatch.matching.indexing import creator_vectors, current_metadata, is_current
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


def latest_index(home: Home, index: CreatorIndex, *, model_id: str) -> CreatorIndex:
    """The published index if another writer published since `index` was, else `index`.

    Call it holding the writer lease. Without a manifest (a publication cut short) `index` is
    the newest complete one there is.
    """
    try:
        on_disk = json.loads((home.index_dir / MANIFEST).read_text())
    except FileNotFoundError:
        return index
    except (OSError, ValueError):
        on_disk = {}  # unreadable: loading it says why
    if isinstance(on_disk, dict) and on_disk.get("files") == index.manifest_.get("files"):
        return index
    try:
        published = CreatorIndex.load(home.index_dir)
    except ArtifactError:
        raise
    except (RuntimeError, OSError, ValueError, KeyError) as error:  # FAISS raises RuntimeError
        raise ArtifactError(
            f"the index published in {home.index_dir} cannot be read ({error}): "
            "run `creatormatch doctor --repair`"
        ) from error
    if published.manifest_.get("embedding_model") != model_id:
        raise ArtifactError(
            f"the index in {home.index_dir} was built with embeddings "
            f"{published.manifest_.get('embedding_model')!r}, this process embeds with "
            f"{model_id!r}: re-ingest or change the embedder"
        )
    return published


def reconcile(
    home: Home,
    catalog: Catalog,
    base: CreatorIndex,
    changed: Sequence[str],
    *,
    model_id: str,
    current: bool,
) -> CreatorIndex:
    """A published copy of `base` holding exactly the catalog's creators, `changed` re-read;
    `base` itself when nothing differs. `current`: `base` reflected the catalog before the
    caller's own writes (so the copy reflects it now). Call it holding the writer lease."""
    stored = set(catalog.creator_ids())
    held = set(base.items_["creator_id"])
    add = sorted((stored - held) | (set(changed) & stored))
    drop = sorted(held - stored)
    if not add and not drop:
        return base
    updated = copy_index(base)
    updated.delete(drop)
    if add:
        dimension = base.dim_ - AUDIENCE_DIM  # joint vectors: content, then audience
        content, audience, known = creator_vectors(catalog, add, dimension=dimension)
        vectors = joint_vectors(content, audience, known, weights=VectorWeights())
        updated.upsert(add, vectors, catalog.attributes().reindex(add))
    if current:
        metadata = current_metadata(catalog, model_id)
    else:  # others' records may be stale in it: keep what `base` was built from
        kept = ("data_hash", "catalog_generation")
        metadata = {"embedding_model": model_id} | {
            k: v for k, v in base.manifest_.items() if k in kept
        }
    updated.save(home.index_dir, metadata=metadata)
    return updated


def upsert_creators(
    home: Home,
    catalog: Catalog,
    index: CreatorIndex,
    records: Sequence[CreatorRecord],
    *,
    embedder: TextEmbedder,
) -> Upserted:
    """Store `records` and return the published index that holds them (a copy of the latest
    published index, or of `index` when it is the latest)."""
    with catalog.lease():
        base = latest_index(home, index, model_id=embedder.model_id)
        current = is_current(base.manifest_, catalog)
        report = ingest_records(catalog, records, embedder=embedder)
        changed = report.changed_ids
        refresh_scores(home, catalog, changed)
        updated = reconcile(
            home, catalog, base, changed, model_id=embedder.model_id, current=current
        )
    return Upserted(changed, report.unchanged, report.embedded, updated, updated.manifest_)


def delete_creator(
    home: Home, catalog: Catalog, index: CreatorIndex, creator_id: str, *, model_id: str
) -> CreatorIndex:
    """Remove a creator from the catalog, then from a published copy of the index."""
    with catalog.lease():
        if not catalog.stored_hashes([creator_id]):
            raise NotFound(f"no creator {creator_id!r} in the catalog")
        base = latest_index(home, index, model_id=model_id)
        current = is_current(base.manifest_, catalog)
        catalog.delete_creators([creator_id])
        return reconcile(home, catalog, base, [], model_id=model_id, current=current)


def get_creator(catalog: Catalog, creator_id: str) -> CreatorView:
    """The profile (no posts or samples), engineered features and stored fraud report."""
    profiles = catalog.profiles([creator_id])
    if not profiles:
        raise NotFound(f"no creator {creator_id!r} in the catalog")
    row = catalog.features([creator_id]).iloc[0]
    features = {str(k): None if v != v else float(v) for k, v in row.items()}
    fraud = catalog.fraud_scores([creator_id]).get(creator_id)
    return CreatorView(profiles[0], features, fraud)
