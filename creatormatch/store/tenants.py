"""API keys and what belongs to a tenant: hashed keys, saved shortlists and campaign outcomes.

One SQLite file under the home (`tenants.db`). A key reads `cm_<key id>_<secret>`; only the
sha256 of the whole key is stored, and it is compared in constant time. The key id is public (it
names the key in `keys list` and `keys revoke`) and lets a lookup find the one row to compare.
Creators are a shared catalog; briefs, shortlists and outcomes are kept per tenant, and another
tenant asking for them gets NotFound, as if they did not exist.

A key has a scope (docs/decisions/0012): a `read` key may do everything for its own tenant
(shortlists, outcomes, scoring) and read the shared catalog; a `write` key may also create,
overwrite and delete creators in it. New keys are `read` unless asked otherwise; keys made before
scopes existed keep the `write` access they had.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creatormatch.core import Home, InvalidInput, NotFound
from creatormatch.features import CampaignOutcome

PREFIX = "cm"
READ, WRITE = "read", "write"
SCOPES = (READ, WRITE)
TENANT_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_KEY_COLUMNS = "key_id, tenant, created_at, revoked_at, scope"  # ApiKey's fields, in order
# Compared against when a key id is unknown, so a miss costs what a hit costs.
_DUMMY = hashlib.sha256(b"no such key").hexdigest()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    revoked_at TEXT,
    scope TEXT NOT NULL DEFAULT 'write'
);
CREATE TABLE IF NOT EXISTS shortlists (
    shortlist_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    brief TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS tenant_outcomes (
    tenant TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (tenant, campaign_id, creator_id)
);
"""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    tenant: str
    created_at: str
    revoked_at: str | None
    scope: str


@dataclass(frozen=True)
class SavedShortlist:
    shortlist_id: str
    brief: dict[str, Any]
    result: dict[str, Any]
    created_at: str


def store_path(home: Home) -> Path:
    return home.root / "tenants.db"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def check_tenant(tenant: str) -> str:
    if not re.fullmatch(TENANT_PATTERN, tenant):
        raise InvalidInput(
            f"expected a tenant name of letters, digits, '_', '.', '-' (1-64), got {tenant!r}"
        )
    return tenant


def _key_id_of(key: str) -> str | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1]:
        return None
    return parts[1]


class TenantStore:
    """A handle on `tenants.db`, safe to share between threads (one lock around the connection)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # Commits reach the WAL without an fsync each; a power cut may lose the last few
            # saved shortlists, never corrupt the file: enough for a record of answers given.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._add_scopes()

    @classmethod
    def of(cls, home: Home) -> TenantStore:
        return cls(store_path(home.ensure()))

    def _add_scopes(self) -> None:
        """Give a `tenants.db` from before key scopes its `scope` column: its keys keep `write`."""
        self._db.execute("BEGIN IMMEDIATE")  # two processes opening it at once add it once
        try:
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(api_keys)")}
            if "scope" not in columns:
                self._db.execute(
                    "ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'write'"
                )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # keys ------------------------------------------------------------------------------------

    def create_key(self, tenant: str, *, scope: str = READ) -> tuple[ApiKey, str]:
        """A new key for `tenant`: (its record, the key itself, shown once and never stored)."""
        check_tenant(tenant)
        if scope not in SCOPES:
            raise InvalidInput(f"expected a scope from {', '.join(SCOPES)}, got {scope!r}")
        key_id = secrets.token_hex(6)
        key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        self._run(
            "INSERT INTO api_keys (key_id, tenant, key_hash, scope) VALUES (?, ?, ?, ?)",
            (key_id, tenant, _digest(key), scope),
        )
        return self._key(key_id), key

    def _key(self, key_id: str) -> ApiKey:
        rows = self._run(f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE key_id = ?", (key_id,))
        if not rows:
            raise NotFound(f"no API key with id {key_id!r}")
        return ApiKey(*rows[0])

    def revoke(self, key_or_id: str) -> ApiKey:
        """Revoke a key given its id or the key itself; revoking twice is harmless."""
        key_id = _key_id_of(key_or_id) or key_or_id
        self._key(key_id)
        self._run(
            "UPDATE api_keys SET revoked_at = datetime('now') "
            "WHERE key_id = ? AND revoked_at IS NULL",
            (key_id,),
        )
        return self._key(key_id)

    def keys(self) -> list[ApiKey]:
        rows = self._run(f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id")
        return [ApiKey(*row) for row in rows]

    def authenticate(self, key: str) -> ApiKey | None:
        """The live key matching `key`, else None; the hash comparison takes constant time."""
        key_id = _key_id_of(key) or ""
        rows = self._run(
            f"SELECT {_KEY_COLUMNS}, key_hash FROM api_keys WHERE key_id = ?", (key_id,)
        )
        stored = rows[0][-1] if rows else _DUMMY
        matches = hmac.compare_digest(stored.encode(), _digest(key).encode())
        if not rows or not matches or rows[0][3] is not None:
            return None
        return ApiKey(*rows[0][:-1])

    # shortlists ------------------------------------------------------------------------------

    def save_shortlist(self, tenant: str, brief: dict[str, Any], result: dict[str, Any]) -> str:
        shortlist_id = uuid.uuid4().hex
        self._run(
            "INSERT INTO shortlists (shortlist_id, tenant, brief, result) VALUES (?, ?, ?, ?)",
            (shortlist_id, tenant, json.dumps(brief), json.dumps(result)),
        )
        return shortlist_id

    def shortlist(self, tenant: str, shortlist_id: str) -> SavedShortlist:
        rows = self._run(
            "SELECT shortlist_id, brief, result, created_at FROM shortlists "
            "WHERE shortlist_id = ? AND tenant = ?",
            (shortlist_id, tenant),
        )
        if not rows:
            raise NotFound(f"no shortlist {shortlist_id!r}")
        sid, brief, result, created = rows[0]
        return SavedShortlist(sid, json.loads(brief), json.loads(result), created)

    def recent_briefs(self, limit: int) -> list[dict[str, Any]]:
        """The briefs of the last `limit` shortlists served, every tenant's, newest first: what
        `creatormatch monitor` compares with the briefs the models learned from."""
        rows = self._run(
            "SELECT brief FROM shortlists ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,)
        )
        return [json.loads(text) for (text,) in rows]

    # outcomes --------------------------------------------------------------------------------

    def add_outcomes(self, tenant: str, outcomes: Sequence[CampaignOutcome]) -> None:
        rows = [(tenant, x.campaign_id, x.creator_id, x.model_dump_json()) for x in outcomes]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO tenant_outcomes VALUES (?, ?, ?, ?)", rows
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def outcomes(self, tenant: str, campaign_id: str) -> list[CampaignOutcome]:
        rows = self._run(
            "SELECT outcome FROM tenant_outcomes WHERE tenant = ? AND campaign_id = ? "
            "ORDER BY creator_id",
            (tenant, campaign_id),
        )
        if not rows:
            raise NotFound(f"no outcomes for campaign {campaign_id!r}")
        return [CampaignOutcome.model_validate_json(text) for (text,) in rows]
