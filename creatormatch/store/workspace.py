"""The workspace's handle on `tenants.db`: one SQLite connection shared by threads, behind a lock.

Users, sessions and named shortlists (`store/users.py`, `store/shortlists.py`) share it; the
tables are created on open (`store/schema.py`). The API keys' `TenantStore` keeps its own
connection to the same file: SQLite in WAL mode lets both write, one transaction at a time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from creatormatch.core import Home
from creatormatch.store.schema import migrate_workspace
from creatormatch.store.tenants import store_path


class Workspace:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            migrate_workspace(self._db)

    @classmethod
    def of(cls, home: Home) -> Workspace:
        return cls(store_path(home.ensure()))

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside BEGIN IMMEDIATE: read-modify-write without another writer."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
