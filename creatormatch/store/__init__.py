"""What the service keeps: the creator catalog (SQLite) with its derived scores, and tenants."""

from creatormatch.store.catalog import Catalog, StoredCreator
from creatormatch.store.integrity import catalog_problems, refuse_damaged
from creatormatch.store.lease import writer_lease
from creatormatch.store.scoring import (
    QUALITY_COLUMNS,
    fraud_reports,
    missing_scores,
    quality_frame,
    refresh_scores,
)
from creatormatch.store.tenants import (
    READ,
    SCOPES,
    WRITE,
    ApiKey,
    SavedShortlist,
    TenantStore,
    store_path,
)

__all__ = [
    "QUALITY_COLUMNS",
    "READ",
    "SCOPES",
    "WRITE",
    "ApiKey",
    "Catalog",
    "SavedShortlist",
    "StoredCreator",
    "TenantStore",
    "catalog_problems",
    "fraud_reports",
    "missing_scores",
    "quality_frame",
    "refresh_scores",
    "refuse_damaged",
    "store_path",
    "writer_lease",
]
