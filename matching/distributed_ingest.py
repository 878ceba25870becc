"""`creatormatch ingest FILE --workers N`: validation, features and embeddings on Dask workers,
the catalog written here by its one writer, and a run that was cut short resumed where it ended.

The input is read here in partitions of CHUNK rows. Each goes to a worker, which validates it and
computes what the catalog stores of each record (`stored_creators`, `creator_row`: the functions
of a single-machine ingest) and keeps the result. Here its content hashes are checked against the
catalog's vector cache; the worker embeds the texts that have no vector (its embedder loaded
once) and writes the partition, rows and new vectors, as Parquet to the staging folder
(matching/ingest_staging.py). Here again, partition by partition in input order, the records
that changed are stored with their vectors, and the partition goes into the ledger. While one
partition is merged, later ones are prepared on the other workers.

A re-run of the same input skips the partitions the ledger holds (no validation, no embedding:
their counts and rejections come from the ledger), merges the ones already prepared, and
prepares the rest. The staging folder is removed once the run is complete. Scores and the index
follow as after any ingest (`finish_ingest`).
"""

from __future__ import annotations

import shutil
import time
from collections import deque
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

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
from creatormatch.matching.distributed import WINDOW, submit, worker_cached, workers_of
from creatormatch.matching.ingest import (
    CHUNK,
    PIPELINE_VERSION,
    IngestReport,
    finish_ingest,
    record_hash,
    stored_creators,
)
from creatormatch.matching.ingest_staging import (
    CONTENT_HASH,
    ID,
    RECORD_HASH,
    Merged,
    Partition,
    Prepared,
    merged_entry,
    read_prepared,
    record_merged,
    rows_key,
    staging_folder,
    write_prepared,
)
from creatormatch.matching.sources import Source, input_source, local_file, source_name
from creatormatch.store import Catalog, creator_row

if TYPE_CHECKING:
    from distributed import Client, Future

RETRIES = 2  # times a partition is prepared again after its worker died


@dataclass(frozen=True)
class PreparedChunk:
    """One partition as a worker prepared it, before embedding; it stays on the worker."""

    read: int
    rejections: list[Rejection]
    rows: list[tuple[Any, ...]]  # `creator_row` values of the valid records
    texts: list[str]  # the content text of each row
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
    stored, texts = stored_creators(records, [record_hash(r) for r in records], model_id)
    seconds = {"validate": validated - start, "features": time.perf_counter() - validated}
    return PreparedChunk(len(chunk), rejections, [creator_row(s) for s in stored], texts, seconds)


def content_hashes_of(chunk: PreparedChunk) -> list[str]:
    return [row[CONTENT_HASH] for row in chunk.rows]


def write_on_worker(
    kind: EmbedderKind, model_id: str, chunk: PreparedChunk, todo: list[str], target: str
) -> None:
    """Embed the texts of the content hashes `todo` and write the partition to `target`."""
    start = time.perf_counter()
    text_of = dict(zip(content_hashes_of(chunk), chunk.texts, strict=True))
    vectors = embed_on_worker(kind, model_id, [text_of[h] for h in todo]) if todo else []
    seconds = {**chunk.seconds, "embed": time.perf_counter() - start}
    prepared = Prepared(
        chunk.read, chunk.rejections, chunk.rows, dict(zip(todo, vectors, strict=True)), seconds
    )
    write_prepared(Path(target), prepared)


def embed_on_worker(kind: EmbedderKind, model_id: str, texts: list[str]) -> Any:
    """(len(texts), dim) float32 vectors from this process's embedder of `kind`, loaded once."""
    embedder = worker_cached(("embedder", kind), lambda: load_embedder(kind))
    if embedder.model_id != model_id:
        raise InvalidInput(f"the workers embed with {embedder.model_id!r}, expected {model_id!r}")
    return embedder.encode(texts)


@dataclass
class ClusterIngestReport(IngestReport):
    partitions: int = 0
    resumed: int = 0  # merged by an earlier run: skipped
    reused: int = 0  # prepared by an earlier run: merged without work on the workers
    prepared: int = 0  # prepared on the workers by this run

    def summary(self) -> str:
        if not (self.resumed or self.reused):
            return super().summary()
        return (
            f"{super().summary()}; resumed: {self.resumed} of {self.partitions} partitions "
            f"already merged, {self.reused} already prepared"
        )

    def add(self, merged: Merged) -> None:
        """Count a merged partition: what it read, rejected, stored and embedded."""
        self.read += merged.read
        self.rejections += merged.rejections
        self.read_ids += merged.ids
        self.changed_ids += merged.changed
        self.stored += len(merged.changed)
        self.unchanged += len(merged.ids) - len(merged.changed)
        self.embedded += merged.embedded


@dataclass
class _Step:
    partition: Partition
    rows: list[tuple[int, Any]]  # its input rows, kept until it is merged
    prepared: Future | None = None  # the PreparedChunk, kept on its worker
    hashes: Future | None = None  # its content hashes, wanted here
    written: Future | None = None  # the partition file, once written


class _Run:
    """One ingest's pipeline: partitions prepared ahead on the workers, merged here in order."""

    def __init__(
        self, client: Client, catalog: Catalog, folder: Path, kind: EmbedderKind, model_id: str
    ) -> None:
        self.client, self.catalog, self.folder = client, catalog, folder
        self.kind, self.model_id = kind, model_id
        self.report = ClusterIngestReport()

    def run(self, chunks: Iterable[list[tuple[int, Any]]]) -> ClusterIngestReport:
        workers = workers_of(self.client)
        preparing: deque[_Step] = deque()
        writing: deque[_Step] = deque()
        resuming = True  # the ledger's partitions are skipped up to the first one it lacks
        for number, rows in enumerate(chunks):
            partition = Partition(self.folder, number, rows_key(rows))
            self.report.partitions += 1
            if resuming and (entry := merged_entry(partition)) is not None:
                self.report.resumed += 1
                self.report.add(entry)
                continue
            resuming = False
            preparing.append(self._start(partition, rows))
            if len(preparing) >= WINDOW * workers:
                writing.append(self._embed(preparing.popleft()))
            while len(writing) > workers:
                self._merge(writing.popleft())
        while preparing:
            writing.append(self._embed(preparing.popleft()))
        while writing:
            self._merge(writing.popleft())
        return self.report

    def _start(self, partition: Partition, rows: list[tuple[int, Any]]) -> _Step:
        step = _Step(partition, rows)
        if partition.prepared.is_file():
            self.report.reused += 1
        else:
            self._prepare(step)
        return step

    def _prepare(self, step: _Step) -> None:
        self.report.prepared += 1
        step.prepared = submit(self.client, prepare_on_worker, self.model_id, data=step.rows)
        step.hashes = self.client.submit(content_hashes_of, step.prepared, pure=False)
        step.written = None

    def _embed(self, step: _Step) -> _Step:
        from distributed.client import FutureCancelledError

        with suppress(FutureCancelledError):  # its worker died: `_written` prepares it again
            self._write(step)
        return step

    def _written(self, step: _Step) -> None:
        """Wait for the partition file. A worker that dies takes the chunks scattered to it
        (Dask cannot recompute those): their partitions are prepared again, up to RETRIES
        times, on the workers left or the one its nanny restarts."""
        from distributed.client import FutureCancelledError

        for attempt in range(RETRIES + 1):
            try:
                self._write(step)
                if step.written is not None:
                    step.written.result()
                return
            except FutureCancelledError:
                if attempt == RETRIES:
                    raise
                self._prepare(step)

    def _write(self, step: _Step) -> None:
        """Have the worker embed the texts the catalog has no vector of, and write the file."""
        if step.hashes is None:
            return
        hashes: list[str] = step.hashes.result()
        cached = self.catalog.cached_vectors(hashes)
        todo = [h for h in dict.fromkeys(hashes) if h not in cached]
        target = str(step.partition.prepared)
        step.written = self.client.submit(
            write_on_worker, self.kind, self.model_id, step.prepared, todo, target, pure=False
        )
        step.prepared = step.hashes = None

    def _merge(self, step: _Step) -> None:
        """Store the changed records of a partition with their vectors, then ledger it."""
        self._written(step)
        part = read_prepared(step.partition.prepared)
        with self.report.times.stage("catalog write"):
            ids = [row[ID] for row in part.rows]
            stored = self.catalog.stored_hashes(ids)
            changed = [row for row in part.rows if stored.get(row[ID]) != row[RECORD_HASH]]
            cached = self.catalog.cached_vectors(part.vectors)
            new = {h: v for h, v in part.vectors.items() if h not in cached}
            if new:  # before the rows: a row is never stored without its vector
                self.catalog.cache_vectors(list(new), np.stack(list(new.values())))
            self.catalog.upsert_rows(changed)
        changed_ids = [row[ID] for row in changed]
        merged = Merged(
            step.partition.key, part.read, part.rejections, ids, changed_ids, len(part.vectors)
        )
        record_merged(step.partition, merged)
        step.partition.prepared.unlink()
        self.report.add(merged)
        for stage, seconds in part.seconds.items():
            self.report.times.seconds[stage] += seconds


def ingest_on_cluster(
    client: Client,
    home: Home,
    source: Source,
    *,
    embedder: TextEmbedder,
    kind: EmbedderKind,
    rows: int = CHUNK,
) -> ClusterIngestReport:
    """`ingest_file` with the work on the cluster behind `client`, in partitions of `rows` input
    rows, resuming an earlier run of the same input that was cut short; `embedder` (of `kind`)
    names the vectors and builds the index here, the workers load their own of the same kind."""
    source = input_source(source, flag="FILE")
    model_id = embedder.model_id
    folder = staging_folder(
        home, source_name(source), model_id=model_id, version=PIPELINE_VERSION, size=rows
    )
    catalog = Catalog(home.ensure().catalog)
    try:
        with local_file(source, flag="FILE") as path:
            run = _Run(client, catalog, folder, kind, model_id)
            report = run.run(row_chunks(path, rows, parse=False))
            report.read_ids = list(dict.fromkeys(report.read_ids))
            report.changed_ids = list(dict.fromkeys(report.changed_ids))
            finish_ingest(home, catalog, path, embedder, report, client=client)
    finally:
        catalog.close()
    shutil.rmtree(folder, ignore_errors=True)
    return report
