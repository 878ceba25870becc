"""The catalog: SQLite in WAL mode, the service's source of truth.

It holds the raw creator records, their engineered features, an embedding cache keyed by content
hash, fraud labels and campaign outcomes. The FAISS index is derived from it and can always be
rebuilt. Each write is one transaction, so a crash loses at most the batch in flight.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features.records import CampaignOutcome, CreatorRecord, FraudLabel

# The lists that make a record heavy; a profile is the record without them.
HEAVY_FIELDS = {"posts", "follower_series", "comments", "follower_sample", "commenter_sample"}


@dataclass(frozen=True)
class StoredCreator:
    """What the catalog keeps of one creator; `audience` is None when the audience is unknown."""

    record: CreatorRecord
    record_hash: str
    content_hash: str
    features: dict[str, float]
    audience: npt.NDArray[np.float32] | None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS creators (
    creator_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    profile TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    features TEXT NOT NULL,
    audience BLOB,
    handle TEXT,
    platform TEXT,
    country TEXT,
    language TEXT,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS embeddings (
    content_hash TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS fraud_labels (
    creator_id TEXT PRIMARY KEY,
    is_fraud INTEGER NOT NULL,
    archetype TEXT
);
CREATE TABLE IF NOT EXISTS fraud_scores (
    creator_id TEXT PRIMARY KEY,
    probability REAL NOT NULL,
    band TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_outcomes (
    owner TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (owner, campaign_id, creator_id)
);
"""
# Catalogs written before outcomes had an owner kept them in `outcomes`: they become the local
# owner's ("") on first open.
_MIGRATE_OUTCOMES = """
INSERT OR IGNORE INTO campaign_outcomes
    SELECT '', campaign_id, creator_id, outcome FROM outcomes;
DROP TABLE outcomes;
"""


class Catalog:
    """A handle on `catalog.db`; cheap to open, safe to share between threads for reads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'outcomes'").fetchone():
            self._db.executescript(f"BEGIN IMMEDIATE; {_MIGRATE_OUTCOMES} COMMIT;")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # creators -------------------------------------------------------------------------------

    def stored_hashes(self, creator_ids: Sequence[str]) -> dict[str, str]:
        """creator_id → hash of the record stored now, for the ids that exist."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(creator_ids), 900):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT creator_id, record_hash FROM creators WHERE creator_id IN ({marks})",
                chunk,
            )
            found.update(dict(rows.fetchall()))
        return found

    def upsert_creators(self, rows: Sequence[StoredCreator]) -> None:
        """Store creators with their hashes, features and audience vector, in one transaction."""
        values = [
            (
                row.record.creator_id,
                row.record.model_dump_json(exclude_none=True),
                row.record.model_dump_json(exclude_none=True, exclude=HEAVY_FIELDS),
                row.record_hash,
                row.content_hash,
                _features_json(row.features),
                None if row.audience is None else row.audience.astype(np.float32).tobytes(),
                row.record.handle,
                row.record.platform,
                row.record.country,
                row.record.language,
            )
            for row in rows
        ]
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO creators "
                "(creator_id, record, profile, record_hash, content_hash, features, audience, "
                "handle, platform, country, language) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(creator_id) DO UPDATE SET "
                "record=excluded.record, profile=excluded.profile, "
                "record_hash=excluded.record_hash, "
                "content_hash=excluded.content_hash, features=excluded.features, "
                "audience=excluded.audience, handle=excluded.handle, "
                "platform=excluded.platform, country=excluded.country, "
                "language=excluded.language, updated_at=datetime('now')",
                values,
            )

    def update_features(self, features: pd.DataFrame) -> None:
        rows = [
            (_features_json(cast("dict[str, float]", row.to_dict())), str(creator_id))
            for creator_id, row in features.iterrows()
        ]
        with self.transaction() as db:
            db.executemany("UPDATE creators SET features = ? WHERE creator_id = ?", rows)

    def delete_creators(self, creator_ids: Sequence[str]) -> int:
        ids = [(c,) for c in creator_ids]
        with self.transaction() as db:
            cursor = db.executemany("DELETE FROM creators WHERE creator_id = ?", ids)
            db.executemany("DELETE FROM fraud_scores WHERE creator_id = ?", ids)
        return cursor.rowcount

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM creators").fetchone()[0])

    def creator_ids(self) -> list[str]:
        rows = self._db.execute("SELECT creator_id FROM creators ORDER BY creator_id")
        return [row[0] for row in rows]

    def records(self, creator_ids: Sequence[str] | None = None) -> list[CreatorRecord]:
        rows = self._select("record", creator_ids)
        return [CreatorRecord.model_validate_json(text) for _, text in rows]

    def profiles(self, creator_ids: Sequence[str]) -> list[CreatorRecord]:
        """Records without posts, series and samples: cheap to read for a thousand candidates."""
        rows = self._select("profile", creator_ids)
        return [CreatorRecord.model_validate_json(text) for _, text in rows]

    def features(self, creator_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Engineered features, one row per creator, indexed by creator_id (NaN kept)."""
        rows = self._select("features", creator_ids)
        frame = pd.DataFrame.from_records(
            [json.loads(text) for _, text in rows], index=[cid for cid, _ in rows]
        )
        frame.index.name = "creator_id"
        return frame.astype("float64")

    def content_hashes(self, creator_ids: Sequence[str] | None = None) -> dict[str, str]:
        return dict(self._select("content_hash", creator_ids))

    def audience_vectors(self, creator_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """creator_id → audience vector, for the creators whose audience is known."""
        rows = self._select("audience", creator_ids)
        return {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in rows if blob}

    def attributes(self) -> pd.DataFrame:
        """Filterable columns of every creator, indexed by creator_id, in id order."""
        frame = pd.read_sql_query(
            "SELECT creator_id, handle, platform, country, language, "
            "json_extract(features, '$.followers') AS followers, "
            "json_extract(features, '$.engagement_rate') AS engagement_rate "
            "FROM creators ORDER BY creator_id",
            self._db,
        )
        return frame.set_index("creator_id")

    def candidate_rows(
        self,
    ) -> Iterator[tuple[str, str, str | None, str | None, str | None, str | None, bytes | None]]:
        """(creator_id, features JSON, language, country, categories JSON, audience JSON,
        content vector bytes) of every creator, in id order: what a shortlist reads, in one pass."""
        yield from self._db.execute(
            "SELECT c.creator_id, c.features, c.language, c.country, "
            "json_extract(c.profile, '$.categories'), json_extract(c.profile, '$.audience'), "
            "e.vector FROM creators AS c LEFT JOIN embeddings AS e USING (content_hash) "
            "ORDER BY c.creator_id"
        )  # fmt: skip

    def data_hash(self) -> str:
        """sha256 over (creator_id, record hash) of every creator: what an index was built from."""
        digest = hashlib.sha256()
        for creator_id, value in self._db.execute(
            "SELECT creator_id, record_hash FROM creators ORDER BY creator_id"
        ):
            digest.update(f"{creator_id}\t{value}\n".encode())
        return digest.hexdigest()

    def _select(self, column: str, creator_ids: Sequence[str] | None) -> list[tuple[str, Any]]:
        """(creator_id, value of `column`) rows: text for most columns, bytes for BLOBs."""
        if creator_ids is None:
            query = f"SELECT creator_id, {column} FROM creators ORDER BY creator_id"
            return list(self._db.execute(query).fetchall())
        found: dict[str, Any] = {}
        for chunk in _chunks(list(creator_ids), 900):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT creator_id, {column} FROM creators WHERE creator_id IN ({marks})"
            found.update(dict(self._db.execute(query, chunk).fetchall()))
        return [(cid, found[cid]) for cid in creator_ids if cid in found]

    # embeddings -----------------------------------------------------------------------------

    def cached_vectors(self, hashes: Iterable[str]) -> dict[str, npt.NDArray[np.float32]]:
        found: dict[str, npt.NDArray[np.float32]] = {}
        for chunk in _chunks(sorted(set(hashes)), 900):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT content_hash, vector FROM embeddings WHERE content_hash IN ({marks})",
                chunk,
            )
            found.update((h, np.frombuffer(blob, dtype=np.float32)) for h, blob in rows)
        return found

    def cache_vectors(self, hashes: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        rows = [(h, v.astype(np.float32).tobytes()) for h, v in zip(hashes, vectors, strict=True)]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)", rows)

    # labels and outcomes --------------------------------------------------------------------

    def upsert_labels(self, labels: Sequence[FraudLabel]) -> None:
        rows = [(x.creator_id, int(x.is_fraud), x.archetype) for x in labels]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO fraud_labels VALUES (?, ?, ?)", rows)

    def labels(self) -> pd.DataFrame:
        frame = pd.read_sql_query(
            "SELECT creator_id, is_fraud, archetype FROM fraud_labels ORDER BY creator_id", self._db
        )
        return frame.set_index("creator_id")

    def store_fraud_scores(self, scores: Sequence[tuple[str, float, str, str]]) -> None:
        """(creator_id, probability, band, report JSON) rows from the current fraud model."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO fraud_scores VALUES (?, ?, ?, ?)", scores)

    def fraud_scores(self, creator_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(creator_ids), 900):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT creator_id, report FROM fraud_scores WHERE creator_id IN ({marks})", chunk
            )
            found.update((cid, json.loads(text)) for cid, text in rows)
        return found

    def fraud_probabilities(self) -> dict[str, float]:
        """creator_id → fraud probability of every scored creator."""
        rows = self._db.execute("SELECT creator_id, probability FROM fraud_scores")
        return {creator_id: float(p) for creator_id, p in rows}

    def upsert_outcomes(self, outcomes: Sequence[CampaignOutcome], *, owner: str = "") -> None:
        """Keep outcomes for training; `owner` is the API tenant that sent them ("" for the CLI),
        so two tenants' campaigns with the same id never overwrite each other."""
        rows = [(owner, x.campaign_id, x.creator_id, x.model_dump_json()) for x in outcomes]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO campaign_outcomes VALUES (?, ?, ?, ?)", rows)

    def outcomes(self) -> list[CampaignOutcome]:
        """Every owner's outcomes; a tenant's campaign and brand ids are prefixed `tenant/` so
        training keeps its campaigns apart from another tenant's with the same id."""
        rows = self._db.execute(
            "SELECT owner, outcome FROM campaign_outcomes ORDER BY owner, campaign_id, creator_id"
        )
        return [_owned(owner, CampaignOutcome.model_validate_json(text)) for owner, text in rows]


def _owned(owner: str, outcome: CampaignOutcome) -> CampaignOutcome:
    if not owner:
        return outcome
    return outcome.model_copy(
        update={
            "campaign_id": f"{owner}/{outcome.campaign_id}",
            "brand_id": f"{owner}/{outcome.brand_id}",
        }
    )


def _features_json(features: dict[str, float]) -> str:
    """JSON with null for NaN: SQLite's JSON functions reject NaN, and null reads back as NaN."""
    return json.dumps({key: None if value != value else value for key, value in features.items()})


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
