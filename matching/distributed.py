"""Work on a Dask cluster: chunks processed on the workers, their results used here, in order.

Dask is an optional extra (`pip install creatormatch[scale]`) and is imported only inside the
functions that need it. `--workers N` starts a `LocalCluster` of N single-threaded worker
processes; `--scheduler ADDRESS` joins a running cluster whose workers can read the home (the
same path, or a shared file system). A worker loads what it needs (models, the embedder) once,
on its first chunk, and keeps it for later chunks (`worker_cached`; models are keyed by their
manifests' hashes, so a model published meanwhile is loaded afresh). The driver keeps at most
WINDOW chunks per worker in flight and takes results in input order, so memory is bounded and
the output is the single-machine one (tests/test_scale.py).

Where the workers see the input file and the output's folder (a LocalCluster, or a cluster on a
shared file system), a local JSONL (fraud) or CSV (accounts) is not read here at all: workers
read their own byte ranges of whole rows (`line_ranges`) and write their output as part files,
and the driver only appends those (docs/decisions/0029). Otherwise the driver reads the file
and sends each chunk.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from creatormatch.core import MANIFEST, Home, InvalidInput
from creatormatch.matching.batch import (
    Kind,
    Rendered,
    ScoreSummary,
    input_chunks,
    load_scorer,
    rendered,
)
from creatormatch.matching.chunked_files import ChunkWriter, Format, input_file, write_part
from creatormatch.matching.line_ranges import LineRange, line_ranges, range_chunk
from creatormatch.matching.sources import Source

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
WINDOW = 2  # chunks in flight per worker: one in work, one queued behind it
# Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which stops glibc sliding its mmap
# threshold up: every buffer over 128 KiB is then mapped and unmapped anew, and MiniLM embeds
# 1.5x slower. Pinned at the ceiling it would slide to, 32 MiB (docs/decisions/0029).
MMAP_THRESHOLD = 32 * 2**20
_cache: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def worker_cached(key: tuple[Any, ...], load: Callable[[], T]) -> T:
    """`load()`, run once per worker process for each `key`."""
    with _lock:
        if key not in _cache:
            _cache[key] = load()
        return _cache[key]


def workers_of(client: Client) -> int:
    return max(len(client.scheduler_info()["workers"]), 1)


def submit(client: Client, function: Callable[..., Any], *args: Any, data: Any) -> Future:
    """`function(*args, data)` on a worker; `data` scattered to it, not embedded in the task (a
    chunk is megabytes, a task should be bytes)."""
    (scattered,) = client.scatter([data], direct=True, hash=False)
    return client.submit(function, *args, scattered, pure=False)


def in_order(client: Client, futures: Iterable[Future]) -> Iterator[Any]:
    """The results of `futures` in their order, with at most WINDOW per worker submitted ahead
    (the iterable submits one future per step)."""
    window = WINDOW * workers_of(client)
    pending: deque[Future] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def models_token(home: Home) -> str:
    """A hash of the published models' manifests: changes whenever a model is republished."""
    digest = hashlib.sha256()
    for name in ("fraud", "account"):
        manifest = home.model_dir(name) / MANIFEST
        digest.update(manifest.read_bytes() if manifest.is_file() else b"-")
    return digest.hexdigest()


def score_on_worker(kind: Kind, root: str, token: str, fmt: Format, chunk: Any) -> Rendered:
    """Score `chunk` with this process's scorer for the home at `root`, loaded once, and render
    it for the output: the writer only appends."""
    scorer = worker_cached(
        ("scorer", kind, root, token), lambda: load_scorer(kind, Home(Path(root)))
    )
    return rendered(scorer(chunk), kind, fmt)


def score_range_on_worker(
    kind: Kind, root: str, token: str, fmt: Format, part: LineRange, target: str
) -> tuple[Path, ScoreSummary]:
    """Read the byte range `part`, score and render it, and write it as the part file `target`."""
    output, summary = score_on_worker(kind, root, token, fmt, range_chunk(part))
    write_part(output, Path(target))
    return Path(target), summary


def scored_on_cluster(
    client: Client, kind: Kind, home: Home, source: Source, size: int, writer: ChunkWriter
) -> Iterator[Rendered | tuple[Path, ScoreSummary]]:
    """Each chunk of `size` rows of `source` scored on the cluster behind `client` and rendered
    for `writer`, in input order: as part files where the workers can read `source` and write
    beside the output, else as chunks read here and sent."""
    root, token, fmt = str(home.root.resolve()), models_token(home), writer.kind
    ranges = _ranges(client, kind, source, size)
    if ranges is not None and _seen_by_workers(client, writer.parts()):
        parts = (writer.parts() / f"{k:07d}" for k in range(len(ranges)))
        return in_order(
            client,
            (
                client.submit(score_range_on_worker, kind, root, token, fmt, r, str(p), pure=False)
                for r, p in zip(ranges, parts, strict=True)
            ),
        )
    chunks = input_chunks(kind, source, size)
    futures = (submit(client, score_on_worker, kind, root, token, fmt, data=c) for c in chunks)
    return in_order(client, futures)


def _ranges(client: Client, kind: Kind, source: Source, size: int) -> list[LineRange] | None:
    """Byte ranges of a local JSONL of records (fraud) or CSV of accounts that every worker
    can read; None for any other input."""
    if not isinstance(source, Path) or not _seen_by_workers(client, source):
        return None
    fmt = input_file(source)
    if (kind, fmt) == ("fraud", "jsonl"):
        return line_ranges(source, "jsonl", size)
    if (kind, fmt) == ("accounts", "csv"):
        return line_ranges(source, "csv", size)
    return None


def _seen_by_workers(client: Client, path: Path) -> bool:
    """Whether every worker sees `path` as this process does (same size and modification time):
    a LocalCluster, or a shared file system."""
    here = _stat(str(path.resolve()))
    return set(client.run(_stat, str(path.resolve())).values()) == {here}


def _stat(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def dask_client(*, workers: int | None, scheduler: str | None) -> AbstractContextManager[Client]:
    """A client of a new LocalCluster (`workers` processes, one thread each) or of the running
    scheduler at `scheduler`; InvalidInput naming the flag when dask is not installed."""
    flag = "--scheduler" if scheduler is not None else "--workers"
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise InvalidInput(
            f"{flag} needs Dask: pip install 'creatormatch[scale]' (no module {error.name!r})"
        ) from error
    if scheduler is not None:
        return Client(scheduler)
    import dask

    environ = "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_"
    with dask.config.set({environ: MMAP_THRESHOLD}):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    return _Owned(Client(cluster), cluster)


class _Owned(AbstractContextManager["Client"]):
    """A client that closes its LocalCluster with it."""

    def __init__(self, client: Client, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Client:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()
