"""Named shortlists: the work items a tenant saves, reopens, edits, shares and reports on.

Each keeps its brief, the ranked result as last computed (every item with the predicted
conversions it was listed with), the creators pinned and removed by hand, and optionally the
campaign it was booked for (the campaign report compares its promises with the outcomes). The
store holds JSON and knows nothing of ranking: the service re-ranks and hands the new result in.

A share link is a random token; only its sha256 is kept, sharing again replaces it (the old
link stops working), and it opens the shortlist only for its own tenant.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from creatormatch.core import NotFound
from creatormatch.store.workspace import Workspace

_COLUMNS = (
    "saved_id, name, brief, result, pinned, removed, campaign_id, created_by, created_at, "
    "updated_at, share_hash IS NOT NULL"
)


@dataclass(frozen=True)
class NamedShortlist:
    saved_id: str
    name: str
    brief: dict[str, Any]
    result: dict[str, Any]
    pinned: list[str]
    removed: list[str]
    campaign_id: str | None
    created_by: str
    created_at: str
    updated_at: str
    shared: bool

    @classmethod
    def of_row(cls, row: tuple[Any, ...]) -> NamedShortlist:
        sid, name, brief, result, pinned, removed, campaign, by, created, updated, shared = row
        return cls(
            sid, name, json.loads(brief), json.loads(result), json.loads(pinned),
            json.loads(removed), campaign, by, created, updated, bool(shared),
        )  # fmt: skip


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NamedShortlists:
    def __init__(self, workspace: Workspace) -> None:
        self._db = workspace

    def save(
        self,
        tenant: str,
        *,
        name: str,
        brief: dict[str, Any],
        result: dict[str, Any],
        created_by: str,
        campaign_id: str | None = None,
    ) -> NamedShortlist:
        saved_id = uuid.uuid4().hex
        self._db.run(
            "INSERT INTO named_shortlists "
            "(saved_id, tenant, name, brief, result, campaign_id, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (saved_id, tenant, name, json.dumps(brief), json.dumps(result), campaign_id,
             created_by),
        )  # fmt: skip
        return self.get(tenant, saved_id)

    def get(self, tenant: str, saved_id: str) -> NamedShortlist:
        """The tenant's shortlist; another tenant's is NotFound, as if it did not exist."""
        rows = self._db.run(
            f"SELECT {_COLUMNS} FROM named_shortlists WHERE saved_id = ? AND tenant = ?",
            (saved_id, tenant),
        )
        if not rows:
            raise NotFound(f"no saved shortlist {saved_id!r}")
        return NamedShortlist.of_row(rows[0])

    def listing(self, tenant: str) -> list[NamedShortlist]:
        """The tenant's shortlists, the most recently changed first."""
        rows = self._db.run(
            f"SELECT {_COLUMNS} FROM named_shortlists WHERE tenant = ? "
            "ORDER BY updated_at DESC, rowid DESC",
            (tenant,),
        )
        return [NamedShortlist.of_row(row) for row in rows]

    def update(
        self,
        tenant: str,
        saved_id: str,
        *,
        name: str,
        result: dict[str, Any],
        pinned: list[str],
        removed: list[str],
        campaign_id: str | None,
    ) -> NamedShortlist:
        self.get(tenant, saved_id)
        self._db.run(
            "UPDATE named_shortlists SET name = ?, result = ?, pinned = ?, removed = ?, "
            "campaign_id = ?, updated_at = datetime('now') WHERE saved_id = ? AND tenant = ?",
            (name, json.dumps(result), json.dumps(pinned), json.dumps(removed), campaign_id,
             saved_id, tenant),
        )  # fmt: skip
        return self.get(tenant, saved_id)

    def delete(self, tenant: str, saved_id: str) -> None:
        self.get(tenant, saved_id)
        self._db.run(
            "DELETE FROM named_shortlists WHERE saved_id = ? AND tenant = ?", (saved_id, tenant)
        )

    def share(self, tenant: str, saved_id: str) -> str:
        """A new read-only link token for the shortlist (the previous one stops working)."""
        self.get(tenant, saved_id)
        token = secrets.token_urlsafe(24)
        self._db.run(
            "UPDATE named_shortlists SET share_hash = ? WHERE saved_id = ? AND tenant = ?",
            (_digest(token), saved_id, tenant),
        )
        return token

    def shared(self, tenant: str, token: str) -> NamedShortlist:
        """The shortlist a share token opens, for a caller of its own tenant only."""
        rows = self._db.run(
            f"SELECT {_COLUMNS} FROM named_shortlists WHERE share_hash = ? AND tenant = ?",
            (_digest(token), tenant),
        )
        if not rows:
            raise NotFound("no shared shortlist for this link in your tenant")
        return NamedShortlist.of_row(rows[0])

    def for_campaign(self, tenant: str, campaign_id: str) -> NamedShortlist | None:
        """The shortlist booked for the campaign (the latest changed, if several are)."""
        rows = self._db.run(
            f"SELECT {_COLUMNS} FROM named_shortlists WHERE tenant = ? AND campaign_id = ? "
            "ORDER BY updated_at DESC, rowid DESC LIMIT 1",
            (tenant, campaign_id),
        )
        return NamedShortlist.of_row(rows[0]) if rows else None
