"""Ingest: validated records → features, embeddings and audience vectors in the catalog.

Unchanged records (same record hash) cost nothing; changed records whose text did not change reuse
their cached embedding (same content hash). Records are stored in chunks, each one transaction, so
a crash loses at most the chunk in flight and never what was stored before.

What comes after storing (scores, the index) is checked, not assumed: an ingest cut short by a
crash, or overtaken by another writer, stored records whose scores or index entry never came. A
file ingest therefore scores every creator it reads that lacks a score and rebuilds the index
when a creator it reads is missing from it or the index is older than the catalog, and says so.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from creatormatch.core import Home
from creatormatch.features import (
    CreatorRecord,
    Rejection,
    TextEmbedder,
    audience_vectors,
    content_hash,
    content_text,
    read_records,
    tabular_frame,
)
from creatormatch.matching.indexing import build_index, is_current, published_ids
from creatormatch.matching.side_tables import world_seed
from creatormatch.store import Catalog, StoredCreator, missing_scores, refresh_scores

if TYPE_CHECKING:
    from distributed import Client

CHUNK = 512


STAGES = ("validate", "features", "embed", "catalog write", "index add", "scores")


@dataclass
class StageTimes:
    """Wall seconds spent in each stage of an ingest (`creatormatch bench ingest` prints them)."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start


@dataclass
class IngestReport:
    read: int = 0  # rows read, the rejected ones included
    stored: int = 0
    unchanged: int = 0
    embedded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    read_ids: list[str] = field(default_factory=list)
    # What an earlier run left undone and this one finished.
    unindexed: int = 0
    unscored: int = 0
    index_rebuilt: str | None = None
    times: StageTimes = field(default_factory=StageTimes)

    def summary(self) -> str:
        line = (
            f"{self.read} read, {self.stored} stored, {self.unchanged} unchanged, "
            f"{self.embedded} embedded, {len(self.rejections)} rejected"
        )
        redone = [
            *([f"{self.unindexed} missing from the index"] if self.unindexed else []),
            *([f"{self.unscored} without scores"] if self.unscored else []),
            *([f"index rebuilt ({self.index_rebuilt})"] if self.index_rebuilt else []),
        ]
        return line + ("; redone: " + ", ".join(redone) if redone else "")


# Bumped whenever features or the creator text change: re-ingesting the same file then
# re-featurises every record (and re-embeds the ones whose text changed) instead of keeping
# what an older version computed. 2: hashtags split into words (docs/decisions/0006). 3: split
# by word frequencies, and the topic words indexed for the reasons (0027, 0028).
PIPELINE_VERSION = 3


def record_hash(record: CreatorRecord) -> str:
    """What decides whether a record is stored again: its content and the pipeline version."""
    data = f"{PIPELINE_VERSION}\x00{record.model_dump_json(exclude_none=True)}"
    return hashlib.sha256(data.encode()).hexdigest()


def _vectors_for(
    catalog: Catalog, texts: Sequence[str], hashes: Sequence[str], embedder: TextEmbedder
) -> int:
    """Embed the texts whose hash is not cached yet and cache them; return how many."""
    cached = catalog.cached_vectors(hashes)
    todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    if todo:
        vectors = embedder.encode(list(todo.values()))  # (n_new, dim) float32
        catalog.cache_vectors(list(todo), vectors)
    return len(todo)


def stored_creators(
    records: Sequence[CreatorRecord], record_hashes: Sequence[str], model_id: str
) -> tuple[list[StoredCreator], list[str]]:
    """What the catalog keeps of each record (features, audience vector, hashes), and the
    content text each is embedded from; pure, so it runs where the records are (a worker)."""
    texts = [content_text(r) for r in records]
    hashes = [content_hash(t, model_id) for t in texts]
    features = cast("list[dict[str, float]]", tabular_frame(records).to_dict("records"))
    audience, known = audience_vectors([r.audience for r in records])
    rows = [
        StoredCreator(r, record, h, f, _known(a, k))
        for r, record, h, f, a, k in zip(
            records, record_hashes, hashes, features, audience, known, strict=True
        )
    ]
    return rows, texts


def _store_chunk(
    catalog: Catalog,
    records: list[CreatorRecord],
    record_hashes: list[str],
    embedder: TextEmbedder,
    times: StageTimes,
) -> int:
    with times.stage("features"):
        rows, texts = stored_creators(records, record_hashes, embedder.model_id)
    with times.stage("embed"):
        embedded = _vectors_for(catalog, texts, [r.content_hash for r in rows], embedder)
    with times.stage("catalog write"):
        catalog.upsert_creators(rows)
    return embedded


def _known(vector: npt.NDArray[np.float32], known: bool) -> npt.NDArray[np.float32] | None:
    return vector if known else None


def ingest_records(
    catalog: Catalog,
    records: Sequence[CreatorRecord],
    *,
    embedder: TextEmbedder,
    progress: bool = False,
    times: StageTimes | None = None,
) -> IngestReport:
    """Store what changed among `records`; the last record of a duplicated id wins."""
    report = IngestReport(read=len(records), times=times or StageTimes())
    latest = {r.creator_id: r for r in records}
    with report.times.stage("features"):
        stored = catalog.stored_hashes(list(latest))
        hashes = {cid: record_hash(r) for cid, r in latest.items()}
        changed = [r for cid, r in latest.items() if stored.get(cid) != hashes[cid]]
    report.unchanged = len(latest) - len(changed)
    with tqdm(total=len(changed), unit="creator", disable=not progress, desc="ingest") as bar:
        for start in range(0, len(changed), CHUNK):
            chunk = changed[start : start + CHUNK]
            chunk_hashes = [hashes[r.creator_id] for r in chunk]
            report.embedded += _store_chunk(catalog, chunk, chunk_hashes, embedder, report.times)
            report.stored += len(chunk)
            bar.update(len(chunk))
    report.changed_ids = [r.creator_id for r in changed]
    report.read_ids = list(latest)
    return report


def store_again(catalog: Catalog, records: Sequence[CreatorRecord], embedder: TextEmbedder) -> int:
    """Store `records` whatever their hash says (features, audience and hashes recomputed): for
    rows whose stored form is damaged. Returns how many texts had to be embedded."""
    embedded = 0
    for start in range(0, len(records), CHUNK):
        chunk = list(records[start : start + CHUNK])
        hashes = [record_hash(r) for r in chunk]
        embedded += _store_chunk(catalog, chunk, hashes, embedder, StageTimes())
    return embedded


def ingest_file(
    home: Home, path: Path, *, embedder: TextEmbedder, progress: bool = True
) -> IngestReport:
    """Validate `path`, store what changed, score what changed or has no score, and re-index
    when anything changed or the index lacks a creator read or is older than the catalog."""
    times = StageTimes()
    with times.stage("validate"):
        batch = read_records(path, CreatorRecord)
    catalog = Catalog(home.ensure().catalog)
    try:
        report = ingest_records(
            catalog, batch.records, embedder=embedder, progress=progress, times=times
        )
        report.read, report.rejections = batch.read, batch.rejections
        finish_ingest(home, catalog, path, embedder, report)
    finally:
        catalog.close()
    return report


def finish_ingest(
    home: Home,
    catalog: Catalog,
    path: Path,
    embedder: TextEmbedder,
    report: IngestReport,
    *,
    client: Client | None = None,
) -> None:
    """What follows storing the records of `path`: the world seed, scores and the index (an IVF
    index's vectors added on the workers of `client` when given)."""
    if (seed := world_seed(path)) is not None:
        catalog.record_world_seed(seed)
    with report.times.stage("scores"):
        _finish_scores(home, catalog, report)
    with report.times.stage("index add"):
        _finish_index(home, catalog, embedder, report, client)


def _finish_scores(home: Home, catalog: Catalog, report: IngestReport) -> None:
    """Score the changed creators, and those read whose score an earlier run never stored."""
    missing = missing_scores(home, catalog, report.read_ids).values()
    unscored = set().union(*missing) - set(report.changed_ids)
    report.unscored = len(unscored)
    refresh_scores(home, catalog, [*report.changed_ids, *sorted(unscored)])


def _finish_index(
    home: Home,
    catalog: Catalog,
    embedder: TextEmbedder,
    report: IngestReport,
    client: Client | None,
) -> None:
    """Rebuild the index if anything was stored, or it lacks a creator read, or is stale."""
    published = published_ids(home)
    if published.ids is not None:  # what was just stored is not indexed yet, as expected
        report.unindexed = len(set(report.read_ids) - set(report.changed_ids) - published.ids)
    if report.stored or report.unindexed:
        build_index(home, catalog, embedder, client=client)
    elif published.manifest is None or published.ids is None:
        report.index_rebuilt = published.problem if home.index_dir.is_dir() else None
        build_index(home, catalog, embedder, client=client)
    elif not is_current(published.manifest, catalog):
        report.index_rebuilt = "older than the catalog"
        build_index(home, catalog, embedder, client=client)
