"""The catalog: SQLite in WAL mode, the service's source of truth.

It holds the raw creator records, their engineered features, an embedding cache keyed by content
hash, fraud labels and campaign outcomes. The FAISS index is derived from it and can always be
rebuilt. Each write is one transaction, so a crash loses at most the batch in flight.

Every change to the creators (insert, delete, a new record hash) bumps a generation counter in the
same transaction (SQLite triggers): an index that records the generation it was built at is
current exactly while the counter has not moved. Writers of creators hold the writer lease
(`store/lease.py`). A damaged or empty catalog file is refused when opened (`store/integrity.py`),
and features that are not finite are refused before they reach SQLite's JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import ArtifactError, InvalidInput
from creatormatch.features import (
    CampaignOutcome,
    ContentTerms,
    CreatorRecord,
    FraudLabel,
    content_terms,
)
from creatormatch.store.integrity import catalog_problems, refuse_damaged
from creatormatch.store.lease import writer_lease
from creatormatch.store.schema import create, migrate

# The lists that make a record heavy; a profile is the record without them.
HEAVY_FIELDS = {"posts", "follower_series", "comments", "follower_sample", "commenter_sample"}
# The profile with the record's posts put back, assembled by SQLite's JSON functions in C.
PROFILE_AND_POSTS = "json_set(profile, '$.posts', json_extract(record, '$.posts'))"


@dataclass(frozen=True)
class StoredCreator:
    """What the catalog keeps of one creator; `audience` is None when the audience is unknown."""

    record: CreatorRecord
    record_hash: str
    content_hash: str
    features: dict[str, float]
    audience: npt.NDArray[np.float32] | None


def creator_row(row: StoredCreator) -> tuple[Any, ...]:
    """The values the catalog stores for one creator, JSON included: built where the record is
    (a Dask worker of a distributed ingest), stored by `Catalog.upsert_rows`."""
    record = row.record
    return (
        record.creator_id,
        record.model_dump_json(exclude_none=True),
        record.model_dump_json(exclude_none=True, exclude=HEAVY_FIELDS),
        row.record_hash,
        row.content_hash,
        _features_json(row.features, record.creator_id),
        None if row.audience is None else row.audience.astype(np.float32).tobytes(),
        record.handle,
        record.platform,
        record.country,
        record.language,
        content_terms(record).to_json(),
    )


class Catalog:
    """A handle on `catalog.db`; cheap to open, safe to share between threads for reads.

    An existing file is checked first (`PRAGMA quick_check`) and refused if damaged or empty
    (ArtifactError); a missing one is created.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            create(path)
        problems = catalog_problems(path)
        if problems:
            raise refuse_damaged(path, problems)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        migrate(self._db)

    def close(self) -> None:
        self._db.close()

    def lease(self) -> AbstractContextManager[None]:
        """The writer lease: hold it around a read-modify-publish of the creators' index."""
        return writer_lease(self.path)

    def generation(self) -> int:
        """How many changes the creators have seen (inserts, deletes, new record hashes)."""
        return int(
            self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def world_seed(self) -> int | None:
        """The seed of the synthetic world the data came from (recorded by ingest when the file
        sits beside its world.json); None for real data."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'world_seed'").fetchone()
        return None if row is None else int(row[0])

    def record_world_seed(self, seed: int) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('world_seed', ?)", (seed,))

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
        self.upsert_rows([creator_row(row) for row in rows])

    def upsert_rows(self, values: Sequence[tuple[Any, ...]]) -> None:
        """Store creators given as `creator_row` values, in one transaction."""
        with self.lease(), self.transaction() as db:
            db.executemany(
                "INSERT INTO creators "
                "(creator_id, record, profile, record_hash, content_hash, features, audience, "
                "handle, platform, country, language, terms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(creator_id) DO UPDATE SET "
                "record=excluded.record, profile=excluded.profile, "
                "record_hash=excluded.record_hash, "
                "content_hash=excluded.content_hash, features=excluded.features, "
                "audience=excluded.audience, handle=excluded.handle, "
                "platform=excluded.platform, country=excluded.country, "
                "language=excluded.language, terms=excluded.terms, updated_at=datetime('now')",
                values,
            )

    def update_features(
        self, features: pd.DataFrame, *, hashes: Mapping[str, str] | None = None
    ) -> None:
        """Set the columns of `features` (one row per creator id) in each creator's stored
        features, keeping the other keys; with `hashes`, only where the stored record still has
        that hash, so a score computed from a record replaced meanwhile is dropped, not kept."""
        columns = [str(column) for column in features.columns]
        paths = ", ".join(f"'$.\"{column}\"', ?" for column in columns)
        query = f"UPDATE creators SET features = json_set(features, {paths}) WHERE creator_id = ?"
        rows = []
        for creator_id, row in features.iterrows():
            values = json.loads(
                _features_json(cast("dict[str, float]", row.to_dict()), str(creator_id))
            )
            rows.append([*(values[c] for c in columns), str(creator_id)])
            if hashes is not None:
                rows[-1].append(hashes.get(str(creator_id)))
        with self.transaction() as db:
            db.executemany(query + (" AND record_hash = ?" if hashes is not None else ""), rows)

    def delete_creators(self, creator_ids: Sequence[str]) -> int:
        ids = [(c,) for c in creator_ids]
        with self.lease(), self.transaction() as db:
            cursor = db.executemany("DELETE FROM creators WHERE creator_id = ?", ids)
            db.executemany("DELETE FROM fraud_scores WHERE creator_id = ?", ids)
        return cursor.rowcount

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM creators").fetchone()[0])

    def creator_ids(self) -> list[str]:
        rows = self._db.execute("SELECT creator_id FROM creators ORDER BY creator_id")
        return [row[0] for row in rows]

    def records(self, creator_ids: Sequence[str] | None = None) -> list[CreatorRecord]:
        return self._records("record", creator_ids)

    def readable(self, creator_ids: Sequence[str]) -> list[CreatorRecord]:
        """Records with their posts but without follower series, comments and samples: all a
        shortlist quotes from and a lookalike brief is made of. For a demo creator (17 kB) the
        20 of a shortlist read in 2.1-4.6 ms instead of 17.6-19.1 ms with `records`, which
        validates every comment and follower day (docs/decisions/0025)."""
        return self._records(PROFILE_AND_POSTS, creator_ids)

    def quotable(self, creator_ids: Sequence[str]) -> list[tuple[CreatorRecord, ContentTerms]]:
        """Profiles with the topic words of their content: all a shortlist item is made of. A
        creator stored before terms were indexed has its terms read from its posts."""
        profiles = dict(self._select("profile", creator_ids))
        stored = dict(self._select("terms", list(profiles)))
        read = {
            record.creator_id: content_terms(record)
            for record in self.readable([cid for cid in profiles if stored.get(cid) is None])
        }
        return [
            (
                CreatorRecord.model_validate_json(profiles[cid]),
                read[cid] if cid in read else ContentTerms.from_json(stored[cid]),
            )
            for cid in profiles
            if cid in read or stored.get(cid) is not None  # not deleted meanwhile
        ]

    def profiles(self, creator_ids: Sequence[str]) -> list[CreatorRecord]:
        """Records without posts, series and samples: cheap to read for a thousand candidates."""
        return self._records("profile", creator_ids)

    def _records(self, column: str, creator_ids: Sequence[str] | None) -> list[CreatorRecord]:
        """Records validated from the JSON that `column` (a column or an expression) holds."""
        return [
            CreatorRecord.model_validate_json(text) for _, text in self._select(column, creator_ids)
        ]

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
        query = (
            "SELECT creator_id, handle, platform, country, language, "
            "json_extract(features, '$.followers') AS followers, "
            "json_extract(features, '$.engagement_rate') AS engagement_rate "
            "FROM creators ORDER BY creator_id"
        )
        try:
            frame = pd.read_sql_query(query, self._db)
        except (sqlite3.OperationalError, pd.errors.DatabaseError) as error:
            bad = self.malformed_ids()
            if not bad:
                raise
            raise ArtifactError(
                f"{len(bad)} creator(s) in {self.path} have malformed features JSON "
                f"({', '.join(bad[:5])}): run `creatormatch doctor --repair`"
            ) from error
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

    def store_fraud_scores(
        self,
        scores: Sequence[tuple[str, float, str, str]],
        *,
        hashes: Mapping[str, str] | None = None,
    ) -> None:
        """(creator_id, probability, band, report JSON) rows from the current fraud model; a
        creator deleted meanwhile gets none, nor (with `hashes`, the record hashes the reports
        were computed from) one whose record was replaced meanwhile."""
        same = "" if hashes is None else " AND record_hash = ?5"
        rows = [(*row, None if hashes is None else hashes.get(row[0])) for row in scores]
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO fraud_scores SELECT ?1, ?2, ?3, ?4 "
                f"WHERE EXISTS (SELECT 1 FROM creators WHERE creator_id = ?1{same})",
                rows if hashes is not None else [row[:4] for row in rows],
            )

    def fraud_scores(self, creator_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(creator_ids), 900):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT creator_id, report FROM fraud_scores WHERE creator_id IN ({marks})", chunk
            )
            found.update((cid, json.loads(text)) for cid, text in rows)
        return found

    def fraud_scored_ids(self) -> set[str]:
        """Every creator with a stored fraud report (deleted ones included, if any linger)."""
        return {row[0] for row in self._db.execute("SELECT creator_id FROM fraud_scores")}

    def quality_scored_ids(self) -> set[str]:
        """Creators whose audience quality was scored (the key is there, null without a sample)."""
        rows = self._db.execute(
            "SELECT creator_id FROM creators WHERE CASE WHEN json_valid(features) "
            "THEN json_type(features, '$.audience_fake_share') END IS NOT NULL"
        )
        return {row[0] for row in rows}

    def malformed_ids(self) -> list[str]:
        """Creators whose stored features are not valid JSON (SQLite's JSON functions fail)."""
        rows = self._db.execute(
            "SELECT creator_id FROM creators WHERE NOT json_valid(features) ORDER BY creator_id"
        )
        return [row[0] for row in rows]

    def delete_fraud_scores(self, creator_ids: Sequence[str]) -> None:
        with self.transaction() as db:
            db.executemany(
                "DELETE FROM fraud_scores WHERE creator_id = ?", [(c,) for c in creator_ids]
            )

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


def _features_json(features: dict[str, float], creator_id: str) -> str:
    """JSON with null for NaN: SQLite's JSON functions reject NaN, and null reads back as NaN.

    An infinite value is refused: written as `Infinity` it would make the row malformed JSON, and
    every later `json_extract` over the table (each ingest, each upsert) would fail.
    """
    for key, value in features.items():
        if isinstance(value, float | np.floating) and math.isinf(value):
            raise InvalidInput(
                f"feature {key!r} of creator {creator_id!r} is {value}: expected a finite number"
            )
    data = {key: None if value != value else value for key, value in features.items()}
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError as error:  # a non-finite number somewhere the loop above did not look
        raise InvalidInput(f"features of creator {creator_id!r}: {error}") from error


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
