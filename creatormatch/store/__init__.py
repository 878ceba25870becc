"""What the service keeps: the creator catalog (SQLite) with its derived scores, and tenants."""

from creatormatch.store.catalog import Catalog, StoredCreator
from creatormatch.store.scoring import QUALITY_COLUMNS, fraud_reports, quality_frame, refresh_scores
from creatormatch.store.tenants import ApiKey, SavedShortlist, TenantStore, store_path

__all__ = [
    "QUALITY_COLUMNS",
    "ApiKey",
    "Catalog",
    "SavedShortlist",
    "StoredCreator",
    "TenantStore",
    "fraud_reports",
    "quality_frame",
    "refresh_scores",
    "store_path",
]
