"""Work on a Dask cluster: chunks processed on the workers, their results used here, in order.

Dask is an optional extra (`pip install creatormatch[scale]`) and is imported only inside the
functions that need it. `--workers N` starts a `LocalCluster` of N single-threaded worker
processes; `--scheduler ADDRESS` joins a running cluster whose workers can read the home (the
same path, or a shared file system). A worker loads what it needs (models, the embedder) once,
on its first chunk, and keeps it for later chunks (`worker_cached`; models are keyed by their
manifests' hashes, so a model published meanwhile is loaded afresh). The driver keeps at most
WINDOW chunks per worker in flight and takes results in input order, so memory is bounded and
the output is the single-machine one (tests/test_scale.py).
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from creatormatch.core import MANIFEST, Home, InvalidInput
from creatormatch.matching.batch import Kind, Rendered, load_scorer, rendered
from creatormatch.matching.chunked_files import Format

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


def scored_in_order(
    client: Client, kind: Kind, home: Home, fmt: Format, chunks: Iterator[Any]
) -> Iterator[Rendered]:
    """Each chunk scored on the cluster behind `client` and rendered as `fmt`, in input order."""
    root, token = str(home.root.resolve()), models_token(home)
    futures = (submit(client, score_on_worker, kind, root, token, fmt, data=c) for c in chunks)
    return in_order(client, futures)


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
