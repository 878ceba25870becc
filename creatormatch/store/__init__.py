"""What the service keeps: the creator catalog (SQLite) with its derived scores, and tenants."""

from creatormatch.store.catalog import Catalog, StoredCreator
from creatormatch.store.tenants import ApiKey, SavedShortlist, TenantStore

__all__ = ["ApiKey", "Catalog", "SavedShortlist", "StoredCreator", "TenantStore"]
