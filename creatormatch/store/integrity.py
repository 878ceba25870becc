"""Is a catalog file a sound SQLite database? Asked before it is opened; never repaired silently.

A zero-byte file, a truncated one, a garbage header or damaged pages are all refused with the
file's name and what to do: SQLite would otherwise re-create an empty catalog over a zero-byte
file, or fail later inside some query with "database disk image is malformed".
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from creatormatch.core import ArtifactError

# Lines of a failed check worth showing; the rest is the same story page after page.
SHOWN = 5


def catalog_problems(path: Path, *, full: bool = False) -> list[str]:
    """What `PRAGMA quick_check` (`integrity_check` with `full`) finds wrong with the existing
    SQLite file at `path`; [] when it is sound."""
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.is_file() and wal.stat().st_size > 0):
        return ["an empty file (0 bytes), not a database"]
    pragma = "integrity_check" if full else "quick_check"
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            rows = db.execute(f"PRAGMA {pragma}({SHOWN})").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    found = [line for (text,) in rows for line in str(text).splitlines()]
    return [] if found == ["ok"] else found


def refuse_damaged(path: Path, problems: list[str], *, check: str = "quick_check") -> ArtifactError:
    """The error that names a damaged catalog and what to do about it."""
    shown = "; ".join(problems[:SHOWN])
    return ArtifactError(
        f"the catalog {path} is damaged (PRAGMA {check}: {shown}); it was left as it is, "
        "neither opened nor re-created. Restore it from a backup, or move it aside and "
        "rebuild it with `creatormatch ingest FILE` (and `labels ingest`, `outcomes ingest`); "
        "`creatormatch doctor` checks it in full"
    )
