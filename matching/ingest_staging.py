"""The staging folder of a distributed ingest: partitions prepared on workers, and a ledger of the
ones merged into the catalog.

    <home>/staging/ingest-<run key>/
        part-00042-<rows key>.parquet   partition 42 as a worker prepared it: the catalog's
                                        values of each valid record, the vectors it embedded,
                                        and (in the file's metadata) the rows read and rejected
        part-00042.merged.json          the ledger entry, written once partition 42 is merged

The run key names the input (its absolute path or URL), the embedding model, the pipeline version
and the partition size, so running the same ingest again finds the folder. The rows key hashes
the partition's input rows: a partition of a file that changed since is prepared afresh, never
read from a stale file. Every file is written under a temporary name and renamed, so a killed
process leaves a whole file or none (docs/decisions/0024).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from creatormatch.core import Home
from creatormatch.features import Rejection

# The values of `store.creator_row`, in its order.
ROW_COLUMNS = (
    "creator_id", "record", "profile", "record_hash", "content_hash", "features", "audience",
    "handle", "platform", "country", "language", "terms",
)  # fmt: skip
ID = ROW_COLUMNS.index("creator_id")
RECORD_HASH = ROW_COLUMNS.index("record_hash")
CONTENT_HASH = ROW_COLUMNS.index("content_hash")
ROW_SCHEMA = pa.schema(
    [(name, pa.binary() if name == "audience" else pa.string()) for name in ROW_COLUMNS]
    + [("vector", pa.list_(pa.float32()))]
)
META = b"creatormatch.partition"


def staging_folder(home: Home, source: str, *, model_id: str, version: int, size: int) -> Path:
    run = json.dumps([source, model_id, version, size])
    # Absolute: workers write there, wherever they were started.
    return (
        home.root.resolve() / "staging" / f"ingest-{hashlib.sha256(run.encode()).hexdigest()[:16]}"
    )


def rows_key(rows: list[tuple[int, Any]]) -> str:
    """A hash of a partition's input rows: (line, JSONL text or parsed object)."""
    digest = hashlib.sha256()
    for line, raw in rows:
        text = raw if isinstance(raw, str) else json.dumps(raw, sort_keys=True, default=str)
        digest.update(f"{line}\x00{text}\x00".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Partition:
    """Where partition `number` of an ingest, whose input rows hash to `key`, is staged."""

    folder: Path
    number: int
    key: str

    @property
    def prepared(self) -> Path:
        return self.folder / f"part-{self.number:05d}-{self.key[:16]}.parquet"

    @property
    def ledger(self) -> Path:
        return self.folder / f"part-{self.number:05d}.merged.json"


@dataclass(frozen=True)
class Prepared:
    """A partition's content: `creator_row` values of its valid records, in input order, and the
    vectors a worker embedded for it (content hash → (dim,) float32)."""

    read: int
    rejections: list[Rejection]
    rows: list[tuple[Any, ...]]
    vectors: dict[str, npt.NDArray[np.float32]]
    seconds: dict[str, float]  # worker seconds per stage


def write_prepared(path: Path, part: Prepared) -> None:
    """Write `part` to `path` atomically; each vector goes with the first row of its text."""
    columns: list[list[Any]] = [list(c) for c in zip(*part.rows, strict=True)] or [
        [] for _ in ROW_COLUMNS
    ]
    hashes = columns[CONTENT_HASH]
    first = {h: i for i, h in reversed(list(enumerate(hashes)))}
    vectors = [None] * len(hashes)
    for h, vector in part.vectors.items():
        vectors[first[h]] = vector
    meta = {"read": part.read, "rejections": _rejections_json(part.rejections),
            "seconds": part.seconds}  # fmt: skip
    table = pa.table([*columns, vectors], schema=ROW_SCHEMA.with_metadata({META: json.dumps(meta)}))
    _atomically(path, lambda tmp: _write_parquet(table, tmp))


def read_prepared(path: Path) -> Prepared:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[META])
    columns = [table.column(name).to_pylist() for name in ROW_COLUMNS]
    hashes = table.column("content_hash").to_pylist()
    vectors = {
        h: np.asarray(v, dtype=np.float32)
        for h, v in zip(hashes, table.column("vector").to_pylist(), strict=True)
        if v is not None
    }
    return Prepared(
        read=meta["read"],
        rejections=_rejections_of(meta["rejections"]),
        rows=list(zip(*columns, strict=True)),
        vectors=vectors,
        seconds=meta["seconds"],
    )


@dataclass(frozen=True)
class Merged:
    """A ledger entry: what merging one partition did, all a resumed run needs of it."""

    key: str
    read: int
    rejections: list[Rejection]
    ids: list[str]
    changed: list[str]
    embedded: int


def record_merged(partition: Partition, merged: Merged) -> None:
    entry = {**asdict(merged), "rejections": _rejections_json(merged.rejections)}
    _atomically(partition.ledger, lambda tmp: tmp.write_text(json.dumps(entry)))


def merged_entry(partition: Partition) -> Merged | None:
    """The ledger entry of `partition` if it was merged from the same input rows."""
    try:
        entry = json.loads(partition.ledger.read_text())
    except FileNotFoundError:
        return None
    if entry["key"] != partition.key:
        return None
    return Merged(**{**entry, "rejections": _rejections_of(entry["rejections"])})


def _rejections_json(rejections: list[Rejection]) -> list[list[Any]]:
    return [[r.line, r.creator_id, list(r.problems)] for r in rejections]


def _rejections_of(rows: list[list[Any]]) -> list[Rejection]:
    return [Rejection(line, creator_id, tuple(problems)) for line, creator_id, problems in rows]


def _write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)


def _atomically(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a temporary file beside `path`, flush it to disk, then rename it to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
