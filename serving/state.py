"""What the running service holds: one verified snapshot of artifacts, swapped atomically.

A request reads `state.require()` once and works on that snapshot to the end, so a reload or an
upsert that swaps in a new snapshot never changes what a request in flight sees. A new snapshot
is loaded (hashes verified), made to answer a canary shortlist, and only then swapped in; if it
fails, the old one keeps serving and the failure is kept in `reload_error`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from creatormatch.core import CreatorMatchError, Home, NotReady, Settings, load_published
from creatormatch.features import Brief, TextEmbedder, load_embedder
from creatormatch.matching import Bundle, CreatorIndex, load_bundle, shortlist
from creatormatch.models import AccountModel
from creatormatch.store import Catalog, TenantStore
from creatormatch.training import sync_champions

log = logging.getLogger("creatormatch.serving")

CANARY = Brief(text="fitness creator sharing home workouts and healthy recipes", k=1)
ARTIFACTS = ("index", "conversion", "fraud", "account")


def _manifest_path(home: Home, artifact: str) -> Any:
    directory = home.index_dir if artifact == "index" else home.model_dir(artifact)
    return directory / "manifest.json"


def fingerprint(home: Home) -> str | None:
    """sha256 over the published manifests; None while one is being republished.

    `publish` removes a manifest first and writes it last, so a directory without one is a
    publication in progress: not a state to load.
    """
    digest = hashlib.sha256()
    for artifact in ARTIFACTS:
        path = _manifest_path(home, artifact)
        if path.parent.is_dir() and not path.is_file():
            return None
        digest.update(artifact.encode() + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """One consistent set of artifacts: never changed, only replaced."""

    bundle: Bundle
    account: AccountModel | None
    account_manifest: dict[str, Any] | None
    fingerprint: str | None
    loaded_at: float = field(default_factory=time.time)

    def versions(self) -> dict[str, str]:
        """artifact → version: the first 12 hex digits of its manifest's first file hash."""
        manifests = dict(self.bundle.manifests)
        if self.account_manifest:
            manifests["account"] = self.account_manifest
        return {
            name: next(iter(sorted(m.get("files", {}).items())), ("", "unknown"))[1][:12]
            for name, m in manifests.items()
        }


def load_snapshot(home: Home, embedder: TextEmbedder) -> Snapshot:
    """Load and verify every artifact, then prove they answer: a canary shortlist must pass."""
    stamp = fingerprint(home)
    bundle = load_bundle(home, embedder=embedder)
    account, manifest = load_published(AccountModel.load, home.model_dir("account"))
    shortlist(bundle, CANARY)
    return Snapshot(bundle, account, manifest, stamp)


class ServiceState:
    def __init__(self, settings: Settings, embedder: TextEmbedder, tenants: TenantStore) -> None:
        self.settings, self.home, self.embedder = settings, Home(settings.home), embedder
        self.tenants = tenants
        self.snapshot: Snapshot | None = None
        self.problem: str | None = "not loaded yet"
        self.reload_error: str | None = None
        # Writers (upsert, delete, reload) take turns; readers never wait for them.
        self.write_lock = threading.Lock()
        self._writer: Catalog | None = None

    @classmethod
    def start(cls, settings: Settings) -> ServiceState:
        home = Home(settings.home).ensure()
        state = cls(settings, load_embedder(settings.embedder), TenantStore.of(home))
        state.reload()
        return state

    def require(self) -> Snapshot:
        snapshot = self.snapshot
        if snapshot is None:
            raise NotReady(f"the service is not ready: {self.problem}")
        return snapshot

    def writer(self) -> Catalog:
        """The catalog connection writes go through (separate from the readers' one)."""
        if self._writer is None:
            self._writer = Catalog(self.home.catalog)
        return self._writer

    def reload(self) -> bool:
        """Load, verify and canary the published artifacts; swap them in only if all pass."""
        with self.write_lock:
            try:
                snapshot = load_snapshot(self.home, self.embedder)
            except CreatorMatchError as error:
                log.error("reload refused, still serving the previous artifacts: %s", error)
                if self.snapshot is None:
                    self.problem = str(error)
                self.reload_error = str(error)
                return False
            self.snapshot, self.problem, self.reload_error = snapshot, None, None
            return True

    def follow_registry(self) -> None:
        """Publish champions moved in MLflow since the last look; `stale` then sees them."""
        try:
            tracking_uri = self.settings.mlflow_tracking_uri
            for copied in sync_champions(self.home, tracking_uri=tracking_uri):
                log.info("published %s from the registry", copied)
        except Exception as error:  # the registry is another service: it must not stop the watcher
            log.error("cannot follow the model registry: %s", error)
            self.reload_error = f"model registry: {error}"

    def stale(self) -> bool:
        """Whether the published artifacts differ from the ones served now."""
        now = fingerprint(self.home)
        snapshot = self.snapshot
        return now is not None and (snapshot is None or snapshot.fingerprint != now)

    def swap_index(self, index: CreatorIndex, manifest: dict[str, Any]) -> Snapshot:
        """Serve `index` (published by the caller, who holds `write_lock`) from now on."""
        old = self.require()
        bundle = replace(
            old.bundle, index=index, manifests={**old.bundle.manifests, "index": manifest}
        )
        self.snapshot = replace(old, bundle=bundle, fingerprint=fingerprint(self.home))
        return self.snapshot

    def close(self) -> None:
        if self.snapshot is not None:
            self.snapshot.bundle.catalog.close()
        if self._writer is not None:
            self._writer.close()
        self.tenants.close()
