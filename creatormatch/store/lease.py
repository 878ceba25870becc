"""One writer at a time: an exclusive lock on a file beside the catalog.

Whoever changes the creators of a catalog, or publishes the index derived from them, holds the
lease for the whole read-modify-publish: a CLI ingest and the API's upserts then take turns
instead of publishing indexes that each lack the other's creators. The lock is `flock` on
`<catalog>.lock`: the kernel releases it when its holder exits, even by kill -9, so a crash never
leaves it stuck. It is re-entrant within a thread (an upsert holds it and stores through code that
takes it again); two threads of one process exclude each other like two processes do.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from creatormatch.core import Overloaded

# A full index rebuild of a large catalog can hold the lease for minutes; past this, give up.
WAIT_S = 300.0
_POLL_S = 0.02
_held = threading.local()


def _held_here() -> set[str]:
    if not hasattr(_held, "paths"):
        _held.paths = set()
    paths: set[str] = _held.paths
    return paths


def lease_path(catalog: Path) -> Path:
    return catalog.with_name(catalog.name + ".lock")


@contextmanager
def writer_lease(catalog: Path, *, wait_s: float = WAIT_S) -> Iterator[None]:
    """Hold the writer lease of the catalog at `catalog`; wait up to `wait_s` for it."""
    path = lease_path(catalog)
    key = str(path.resolve())
    held = _held_here()
    if key in held:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait_s)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for whoever waits
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _acquire(fd: int, path: Path, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = path.read_text().strip() or "unknown"
                raise Overloaded(
                    f"another writer (pid {holder}) has held {path} for over {wait_s:.0f} s: "
                    "try again when its ingest or rebuild finishes",
                    retry_after=10.0,
                ) from None
            time.sleep(_POLL_S)
