"""`creatormatch ingest FILE --workers N`: validation, features and embeddings on Dask workers,
the catalog written here by its one writer.

Each chunk of input lines goes to a worker, which validates it and computes what the catalog
stores of each record (`stored_creators`, `creator_row`: the functions of a single-machine
ingest). Here, chunk by chunk in input order: which records changed (their hashes against the
catalog), which content texts have no cached vector; those go to a worker to be embedded (the
embedder loaded once per worker), come back, are cached, and the chunk is stored in one
transaction. While a chunk is embedded, later chunks are validated and embedded on the other
workers. Scores and the index follow as after any ingest (`finish_ingest`).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from creatormatch.core import Home, InvalidInput
from creatormatch.features import (
    CreatorRecord,
    EmbedderKind,
    Rejection,
    TextEmbedder,
    load_embedder,
    parse_json_line,
    parse_record,
)
from creatormatch.matching.chunked_files import row_chunks
from creatormatch.matching.distributed import in_order, submit, worker_cached, workers_of
from creatormatch.matching.ingest import (
    CHUNK,
    IngestReport,
    finish_ingest,
    record_hash,
    stored_creators,
)
from creatormatch.store import Catalog, creator_row

if TYPE_CHECKING:
    from distributed import Client, Future


@dataclass(frozen=True)
class PreparedChunk:
    """One chunk as a worker prepared it: the catalog's values of each valid record."""

    read: int
    rejections: list[Rejection]
    ids: list[str]
    record_hashes: list[str]
    content_hashes: list[str]
    texts: list[str]
    rows: list[tuple[Any, ...]]  # `creator_row` values
    seconds: dict[str, float]  # worker seconds per stage


def prepare_on_worker(model_id: str, chunk: list[tuple[int, Any]]) -> PreparedChunk:
    """Validate a chunk of (line, JSON text or object) and compute what the catalog keeps."""
    start = time.perf_counter()
    records: list[CreatorRecord] = []
    rejections: list[Rejection] = []
    for line, raw in chunk:
        parsed = parse_json_line(line, raw) if isinstance(raw, str) else raw
        parsed = (
            parsed if isinstance(parsed, Rejection) else parse_record(parsed, line, CreatorRecord)
        )
        (rejections if isinstance(parsed, Rejection) else records).append(parsed)  # type: ignore[arg-type]
    validated = time.perf_counter()
    hashes = [record_hash(r) for r in records]
    stored, texts = stored_creators(records, hashes, model_id)
    rows = [creator_row(row) for row in stored]
    return PreparedChunk(
        read=len(chunk),
        rejections=rejections,
        ids=[r.creator_id for r in records],
        record_hashes=hashes,
        content_hashes=[row.content_hash for row in stored],
        texts=texts,
        rows=rows,
        seconds={"validate": validated - start, "features": time.perf_counter() - validated},
    )


def embed_on_worker(kind: EmbedderKind, model_id: str, texts: list[str]) -> npt.NDArray[np.float32]:
    """(len(texts), dim) vectors from this process's embedder of `kind`, loaded once."""
    embedder = worker_cached(("embedder", kind), lambda: load_embedder(kind))
    if embedder.model_id != model_id:
        raise InvalidInput(f"the workers embed with {embedder.model_id!r}, expected {model_id!r}")
    return embedder.encode(texts)


@dataclass
class _Pending:
    chunk: PreparedChunk
    changed: list[int]  # positions of the records to store
    todo: list[str] = field(default_factory=list)  # content hashes to embed
    vectors: Future | None = None


def _plan(catalog: Catalog, chunk: PreparedChunk) -> _Pending:
    """Which records of `chunk` changed, and which of their texts have no cached vector."""
    stored = catalog.stored_hashes(chunk.ids)
    changed = [
        i for i, (cid, h) in enumerate(zip(chunk.ids, chunk.record_hashes, strict=True))
        if stored.get(cid) != h
    ]  # fmt: skip
    wanted = {chunk.content_hashes[i]: chunk.texts[i] for i in changed}
    cached = catalog.cached_vectors(wanted)
    return _Pending(chunk, changed, [h for h in wanted if h not in cached])


def _store(catalog: Catalog, pending: _Pending, report: IngestReport) -> None:
    chunk = pending.chunk
    with report.times.stage("embed"):
        vectors = None if pending.vectors is None else pending.vectors.result()
    with report.times.stage("catalog write"):
        if vectors is not None:
            catalog.cache_vectors(pending.todo, vectors)
        catalog.upsert_rows([chunk.rows[i] for i in pending.changed])
    report.stored += len(pending.changed)
    report.embedded += len(pending.todo)
    report.unchanged += len(chunk.ids) - len(pending.changed)
    report.changed_ids += [chunk.ids[i] for i in pending.changed]


def ingest_on_cluster(
    client: Client, home: Home, path: Path, *, embedder: TextEmbedder, kind: EmbedderKind
) -> IngestReport:
    """`ingest_file` with the work on the cluster behind `client`; `embedder` (of `kind`) names
    the vectors and builds the index here, the workers load their own of the same kind."""
    report = IngestReport()
    model_id = embedder.model_id
    catalog = Catalog(home.ensure().catalog)
    try:
        chunks = row_chunks(path, CHUNK, parse=False)
        prepared = in_order(
            client, (submit(client, prepare_on_worker, model_id, data=c) for c in chunks)
        )
        pending: deque[_Pending] = deque()
        for chunk in prepared:
            report.read += chunk.read
            report.rejections += chunk.rejections
            report.read_ids += chunk.ids
            for stage, seconds in chunk.seconds.items():
                report.times.seconds[stage] += seconds
            step = _plan(catalog, chunk)
            if step.todo:
                text_of = dict(zip(chunk.content_hashes, chunk.texts, strict=True))
                texts = [text_of[h] for h in step.todo]
                step.vectors = submit(client, embed_on_worker, kind, model_id, data=texts)
            pending.append(step)
            while len(pending) > workers_of(client):
                _store(catalog, pending.popleft(), report)
        while pending:
            _store(catalog, pending.popleft(), report)
        report.read_ids = list(dict.fromkeys(report.read_ids))
        report.changed_ids = list(dict.fromkeys(report.changed_ids))
        finish_ingest(home, catalog, path, embedder, report)
    finally:
        catalog.close()
    return report
