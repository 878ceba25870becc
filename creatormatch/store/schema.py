"""What a catalog file holds: its tables and triggers, how a new one is made, how an old one is
brought up to date (on every open; each step is a no-op once done). Also the workspace tables
that `tenants.db` gains the same way (users, sessions, named shortlists)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path

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
    updated_at TEXT NOT NULL DEFAULT (datetime('now')),
    terms TEXT
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
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS creators_inserted AFTER INSERT ON creators
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS creators_changed AFTER UPDATE OF record_hash ON creators
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS creators_deleted AFTER DELETE ON creators
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
-- A fraud report belongs to the record it was computed from: a new record drops it, so a crash
-- before the new one is scored leaves a missing score (found, redone), never an outdated one.
CREATE TRIGGER IF NOT EXISTS fraud_score_outdated AFTER UPDATE OF record_hash ON creators
    BEGIN DELETE FROM fraud_scores WHERE creator_id = NEW.creator_id; END;
"""
# Catalogs written before outcomes had an owner kept them in `outcomes`: they become the local
# owner's ("") on first open.
_MIGRATE_OUTCOMES = """
INSERT OR IGNORE INTO campaign_outcomes
    SELECT '', campaign_id, creator_id, outcome FROM outcomes;
DROP TABLE outcomes;
"""


def migrate(db: sqlite3.Connection) -> None:
    """Create what is missing; move outcomes of catalogs older than outcome owners; give
    creators from before indexed terms a `terms` column (NULL: read from their posts)."""
    db.executescript(_SCHEMA)
    if not _has_terms(db):
        try:
            db.execute("ALTER TABLE creators ADD COLUMN terms TEXT")
        except sqlite3.OperationalError:
            if not _has_terms(db):  # else another process added it first
                raise
    if not db.execute("SELECT 1 FROM meta WHERE key = 'generation'").fetchone():
        db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', 0)")
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'outcomes'").fetchone():
        db.executescript(f"BEGIN IMMEDIATE; {_MIGRATE_OUTCOMES} COMMIT;")


def _has_terms(db: sqlite3.Connection) -> bool:
    return "terms" in {row[1] for row in db.execute("PRAGMA table_info(creators)")}


def create(path: Path) -> None:
    """A new catalog, made aside and linked into place if `path` is still free: a crash while
    creating never leaves a zero-byte catalog behind (one is refused as damaged)."""
    made = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        with closing(sqlite3.connect(made, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            migrate(db)
        with made.open("rb") as handle:
            os.fsync(handle.fileno())
        with suppress(FileExistsError):  # another process made it first: theirs is the one
            os.link(made, path)
    finally:
        for leftover in (
            made,
            made.with_name(made.name + "-wal"),
            made.with_name(made.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)


# The page's workspace, kept in `tenants.db` beside the API keys: users who sign in, their
# sessions (only hashes of the tokens), and the shortlists a tenant names and saves.
_WORKSPACE = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    csrf_hash TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_of_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS named_shortlists (
    saved_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    brief TEXT NOT NULL,
    result TEXT NOT NULL,
    pinned TEXT NOT NULL DEFAULT '[]',
    removed TEXT NOT NULL DEFAULT '[]',
    campaign_id TEXT,
    share_hash TEXT UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS named_shortlists_of_tenant ON named_shortlists (tenant, campaign_id);
"""


def migrate_workspace(db: sqlite3.Connection) -> None:
    """Create the workspace tables of a `tenants.db` that lacks them (older ones do)."""
    db.executescript(_WORKSPACE)
