"""One settings object, read from the environment (prefix `CREATORMATCH_`), and the home layout.

`get_settings()` is for the edges only (the command line's handlers, the app factory, the bench
entry points): they read it once and pass values down; domain code takes what it needs as
parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CREATORMATCH_", extra="ignore")

    home: Path = Path(".creatormatch")
    # "hashing" is a fast deterministic stand-in for benchmarks and tests that are not about
    # embeddings; an index remembers which embedder built it and refuses the other.
    embedder: Literal["minilm", "hashing"] = "minilm"
    mlflow_tracking_uri: str | None = Field(default=None, validation_alias="MLFLOW_TRACKING_URI")
    docs_enabled: bool = False
    # What one client and the whole server may ask for (serving/limits.py): the body cap, a
    # token bucket per API key (`burst` at once, refilled at `rate_per_s`), the requests served
    # at once, and how often the published artifacts are checked for a reload (0: never).
    max_body_bytes: int = Field(default=5_000_000, ge=1)
    rate_per_s: float = Field(default=50.0, gt=0)
    burst: int = Field(default=100, ge=1)
    max_in_flight: int = Field(default=128, ge=1)
    reload_interval_s: float = Field(default=10.0, ge=0)
    # Processes serving requests, and the threads each may give FAISS (OpenMP), LightGBM, BLAS
    # and torch: GIL-bound requests scale with processes, and two processes whose libraries
    # each spawn a thread per core fight over the cores (docs/decisions/0009).
    workers: int = Field(default=1, ge=1)
    library_threads: int = Field(default=1, ge=1)
    # Synchronous routes a process runs at once. They are CPU-bound and hold the GIL, so more
    # threads only take turns at it: 16 clients on 2 workers, 40 threads (anyio's default)
    # gave p99 188 ms at 150/s, 1 thread p99 95 ms at 220/s (docs/decisions/0009).
    request_threads: int = Field(default=1, ge=1)
    # Sign-in on the page (serving/session.py): the session cookie lives `session_ttl_s`, and is
    # Secure (sent over https only) unless turned off for plain http on localhost (tests, demos).
    cookie_secure: bool = True
    session_ttl_s: float = Field(default=8 * 3600.0, gt=0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


@dataclass(frozen=True)
class Home:
    """Where everything of one installation lives: `CREATORMATCH_HOME` or `--home`."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.db"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    def model_dir(self, name: str) -> Path:
        return self.root / "models" / name

    @classmethod
    def of_artifact(cls, directory: Path) -> Home:
        """The home an artifact directory belongs to: `<home>/index` and `<home>/models/<name>`
        are `<home>`'s; any other directory (a test's, a benchmark's) belongs to its parent."""
        parent = directory.parent
        return cls(parent.parent if parent.name == "models" else parent)

    def artifact_dirs(self) -> list[Path]:
        """The index and model directories that exist under this home."""
        models = self.root / "models"
        named = sorted(models.iterdir()) if models.is_dir() else []
        return [path for path in (self.index_dir, *named) if path.is_dir()]

    @property
    def signing_key(self) -> Path:
        """The secret that signs this home's artifact manifests (created once, mode 0600)."""
        return self.root / "signing.key"

    @property
    def limits(self) -> Path:
        """Rate-limit buckets shared by the API's worker processes (SQLite, throwaway state)."""
        return self.root / "limits.db"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def tracking_uri(self, override: str | None = None) -> str:
        return override or f"sqlite:///{(self.root / 'mlflow.db').resolve()}"

    def ensure(self) -> Home:
        self.root.mkdir(parents=True, exist_ok=True)
        return self
