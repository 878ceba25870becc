"""Batch scoring on a Dask cluster: chunks scored on the workers, written by one writer.

Dask is an optional extra (`pip install creatormatch[scale]`) and is imported only here, inside
the functions that need it. `--workers N` starts a `LocalCluster` of N single-threaded worker
processes; `--scheduler ADDRESS` joins a running cluster whose workers can read the home (the
same path, or a shared file system). Each worker loads the published models once, on its first
chunk, and keeps them for later chunks of the same models (keyed by their manifests' hashes, so
a model published meanwhile is loaded afresh). The driver keeps at most WINDOW chunks per worker
in flight and yields results in input order, so memory is bounded and the output is the
single-machine one (tests/test_scale.py).
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from creatormatch.core import MANIFEST, Home, InvalidInput
from creatormatch.matching.batch import ChunkScorer, Kind, load_scorer

if TYPE_CHECKING:
    from distributed import Client

WINDOW = 2  # chunks in flight per worker: one scoring, one queued behind it
_scorers: dict[tuple[str, str, str], ChunkScorer] = {}
_lock = threading.Lock()


def models_token(home: Home) -> str:
    """A hash of the published models' manifests: changes whenever a model is republished."""
    digest = hashlib.sha256()
    for name in ("fraud", "account"):
        manifest = home.model_dir(name) / MANIFEST
        digest.update(manifest.read_bytes() if manifest.is_file() else b"-")
    return digest.hexdigest()


def score_on_worker(kind: Kind, root: str, token: str, chunk: Any) -> pd.DataFrame:
    """Score `chunk` with this process's scorer for the home at `root`, loaded once."""
    key = (kind, root, token)
    with _lock:
        scorer = _scorers.get(key)
        if scorer is None:
            scorer = _scorers[key] = load_scorer(kind, Home(Path(root)))
    return scorer(chunk)


def scored_in_order(
    client: Client, kind: Kind, home: Home, chunks: Iterator[Any]
) -> Iterator[pd.DataFrame]:
    """Each chunk scored on the cluster behind `client`, in the order of `chunks`."""
    workers = max(len(client.scheduler_info()["workers"]), 1)
    root, token = str(home.root.resolve()), models_token(home)
    pending: deque[Any] = deque()
    for chunk in chunks:
        # Scattered, not embedded in the task: a chunk is megabytes, a task should be bytes.
        (data,) = client.scatter([chunk], direct=True, hash=False)
        pending.append(client.submit(score_on_worker, kind, root, token, data, pure=False))
        if len(pending) >= WINDOW * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


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
