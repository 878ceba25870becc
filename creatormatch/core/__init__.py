"""The bottom layer: the exception tree, atomic artifacts with signed manifests, settings."""

from creatormatch.core.artifacts import (
    adopt,
    load_published,
    publish,
    sha256_file,
    verify,
    write_atomic,
)
from creatormatch.core.errors import (
    ArtifactError,
    CreatorMatchError,
    Forbidden,
    IntegrityError,
    InvalidInput,
    InvalidRecords,
    NotFitted,
    NotFound,
    NotReady,
    Overloaded,
    PayloadTooLarge,
    RateLimited,
    Throttled,
    Unauthorized,
)
from creatormatch.core.settings import Home, Settings, get_settings

__all__ = [
    "ArtifactError",
    "CreatorMatchError",
    "Forbidden",
    "Home",
    "IntegrityError",
    "InvalidInput",
    "InvalidRecords",
    "NotFitted",
    "NotFound",
    "NotReady",
    "Overloaded",
    "PayloadTooLarge",
    "RateLimited",
    "Settings",
    "Throttled",
    "Unauthorized",
    "adopt",
    "get_settings",
    "load_published",
    "publish",
    "sha256_file",
    "verify",
    "write_atomic",
]
