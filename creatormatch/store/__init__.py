"""What the service keeps: the creator catalog (SQLite) with its derived scores, tenants, and
the page's workspace (users, sessions, named shortlists)."""

from creatormatch.store.catalog import Catalog, StoredCreator, creator_row
from creatormatch.store.integrity import catalog_problems, refuse_damaged
from creatormatch.store.lease import writer_lease
from creatormatch.store.passwords import hash_password, verify_password
from creatormatch.store.scoring import (
    QUALITY_COLUMNS,
    fraud_reports,
    missing_scores,
    quality_frame,
    refresh_scores,
)
from creatormatch.store.shortlists import NamedShortlist, NamedShortlists
from creatormatch.store.tenants import (
    READ,
    SCOPES,
    WRITE,
    ApiKey,
    SavedShortlist,
    TenantStore,
    check_tenant,
    store_path,
)
from creatormatch.store.users import (
    MAX_PASSWORD,
    Session,
    SignedIn,
    User,
    UserStore,
    check_email,
    check_password,
)
from creatormatch.store.workspace import Workspace

__all__ = [
    "MAX_PASSWORD",
    "QUALITY_COLUMNS",
    "READ",
    "SCOPES",
    "WRITE",
    "ApiKey",
    "Catalog",
    "NamedShortlist",
    "NamedShortlists",
    "SavedShortlist",
    "Session",
    "SignedIn",
    "StoredCreator",
    "TenantStore",
    "User",
    "UserStore",
    "Workspace",
    "catalog_problems",
    "check_email",
    "check_password",
    "check_tenant",
    "creator_row",
    "fraud_reports",
    "hash_password",
    "missing_scores",
    "quality_frame",
    "refresh_scores",
    "refuse_damaged",
    "store_path",
    "verify_password",
    "writer_lease",
]
