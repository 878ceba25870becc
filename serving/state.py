"""What the running service holds: one verified snapshot of artifacts, swapped atomically.

A request reads `state.require()` once and works on that snapshot to the end, so a reload or an
upsert that swaps in a new snapshot never changes what a request in flight sees. A new snapshot
is loaded (signatures and hashes verified), made to answer a canary shortlist, and only then
swapped in; if anything fails, whatever it raised, the old one keeps serving and the failure is
kept in `reload_error` until a later publication loads.

The watcher (`serving.app.watch`) calls `check` every few seconds, and nothing it meets stops it.
An artifact directory without a manifest (a publication in progress, or one killed between
removing the old manifest and writing the new) is listed in `missing`; the other artifacts
still reload, and a model whose manifest is missing keeps the copy loaded before it. Without an
index nothing can be loaded, so while the index's manifest is missing the watcher only waits.
Messages kept for the API name the home `$CREATORMATCH_HOME` and no other host path; the log has
them whole.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from creatormatch.core import CreatorMatchError, Home, NotReady, Settings, load_published
from creatormatch.features import Brief, TextEmbedder, load_embedder
from creatormatch.matching import NO_ACCOUNT, Bundle, CreatorIndex, load_bundle, shortlist
from creatormatch.models import AccountModel
from creatormatch.store import Catalog, NamedShortlists, TenantStore, UserStore, Workspace
from creatormatch.training import artifact_id, sync_champions

log = logging.getLogger("creatormatch.serving")

CANARY = Brief(text="fitness creator sharing home workouts and healthy recipes", k=1)
ARTIFACTS = ("index", "conversion", "fraud", "reach", "account")
ABSENT = "-"  # the stamp of an artifact never published (no directory)
# An absolute path not inside the home: shown by its last part only.
_HOST_PATH = re.compile(r"(?<![\w.$~-])/(?:[^\s/'\"`:;,()]+/)*([^\s/'\"`:;,()]*)")


def _manifest_path(home: Home, artifact: str) -> Any:
    directory = home.index_dir if artifact == "index" else home.model_dir(artifact)
    return directory / "manifest.json"


@dataclass(frozen=True)
class Published:
    """What the home holds now: a sha256 of each artifact's manifest, and the artifacts whose
    directory exists without one."""

    stamps: dict[str, str]
    missing: tuple[str, ...]

    def present(self) -> dict[str, str]:
        """The stamps of the artifacts that are not missing: what a reload would load."""
        return {name: s for name, s in self.stamps.items() if name not in self.missing}


def published(home: Home) -> Published:
    stamps, missing = {}, []
    for artifact in ARTIFACTS:
        path = _manifest_path(home, artifact)
        try:
            stamps[artifact] = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            stamps[artifact] = ABSENT
            if path.parent.is_dir():
                missing.append(artifact)
    return Published(stamps, tuple(missing))


def public(message: str, home: Home) -> str:
    """`message` without host paths: the home reads `$CREATORMATCH_HOME`, any other absolute
    path only its last part."""
    message = message.replace(str(home.root.resolve()), "$CREATORMATCH_HOME")
    return _HOST_PATH.sub(lambda match: match.group(1), message)


def describe(error: BaseException) -> str:
    """One line for an error: ours say what went wrong; others also need their type."""
    if isinstance(error, CreatorMatchError):
        return str(error)
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Snapshot:
    """One consistent set of artifacts: never changed, only replaced."""

    bundle: Bundle
    account: AccountModel | None
    account_manifest: dict[str, Any] | None
    # artifact → sha256 of the manifest this snapshot serves (ABSENT: none)
    stamps: dict[str, str]
    loaded_at: float = field(default_factory=time.time)

    @property
    def degraded(self) -> list[str]:
        """The bundle's notes, and the account model's, which only the server uses."""
        return self.bundle.degraded + ([NO_ACCOUNT] if self.account is None else [])

    def versions(self) -> dict[str, str]:
        """artifact → version: the first 12 hex digits of its manifest's first file hash."""
        manifests = dict(self.bundle.manifests)
        if self.account_manifest:
            manifests["account"] = self.account_manifest
        return {name: artifact_id(m) for name, m in manifests.items()}


def load_snapshot(
    home: Home, embedder: TextEmbedder, *, previous: Snapshot | None = None
) -> Snapshot:
    """Load and verify every artifact, then prove they answer: a canary shortlist must pass.

    A model whose manifest is missing keeps the copy `previous` served, if it had one.
    """
    now = published(home)
    bundle = load_bundle(home, embedder=embedder)
    account, manifest = load_published(AccountModel.load, home.model_dir("account"))
    stamps = dict(now.stamps)
    if previous is not None:
        account, manifest = _keep_missing(bundle, (account, manifest), previous, now.missing)
        stamps.update({name: previous.stamps[name] for name in now.missing})
    shortlist(bundle, CANARY)
    return Snapshot(bundle, account, manifest, stamps)


def _keep_missing(
    bundle: Bundle,
    account: tuple[AccountModel | None, dict[str, Any] | None],
    previous: Snapshot,
    missing: tuple[str, ...],
) -> tuple[AccountModel | None, dict[str, Any] | None]:
    """Give the fresh `bundle` (not served yet) the missing models `previous` had; return the
    account model and manifest to serve."""
    old = previous.bundle
    if "conversion" in missing and bundle.conversion is None:
        bundle.conversion = old.conversion
    if "fraud" in missing and bundle.fraud is None:
        bundle.fraud = old.fraud
    if "reach" in missing and bundle.reach is None:
        bundle.use_reach(old.reach)
    for name in set(missing) & set(old.manifests):
        bundle.manifests.setdefault(name, old.manifests[name])
    if "account" in missing and account[0] is None:
        return previous.account, previous.account_manifest
    return account


class ServiceState:
    def __init__(
        self,
        settings: Settings,
        embedder: TextEmbedder,
        tenants: TenantStore,
        workspace: Workspace,
    ) -> None:
        self.settings, self.home, self.embedder = settings, Home(settings.home.resolve()), embedder
        self.tenants, self.workspace = tenants, workspace
        self.users, self.named = UserStore(workspace), NamedShortlists(workspace)
        self.snapshot: Snapshot | None = None
        self.problem: str | None = "not loaded yet"
        # What failed in the background, by source ("reload", "registry", "watch"); replaced
        # whole, never changed in place, as request threads read it.
        self.failures: dict[str, str] = {}
        self.missing: tuple[str, ...] = ()
        self._refused: dict[str, str] | None = None  # the stamps a reload last failed on
        # Writers (upsert, delete, reload) take turns; readers never wait for them.
        self.write_lock = threading.Lock()
        self._writer: Catalog | None = None

    @classmethod
    def start(cls, settings: Settings) -> ServiceState:
        home = Home(settings.home).ensure()
        embedder = load_embedder(settings.embedder)
        state = cls(settings, embedder, TenantStore.of(home), Workspace.of(home))
        state.reload()
        return state

    @property
    def reload_error(self) -> str | None:
        """Why the artifacts served are not the ones published (None: they are)."""
        return "; ".join(self.failures.values()) or None

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

    def _failed(self, source: str, message: str | None) -> None:
        """Keep (or with None, clear) the failure of `source`, without host paths."""
        failures = {name: text for name, text in self.failures.items() if name != source}
        if message is not None:
            failures[source] = public(message, self.home)
        self.failures = failures

    def reload(self) -> bool:
        """Load, verify and canary the published artifacts; swap them in only if all pass.

        Any exception counts as a refusal: a corrupt FAISS header raises RuntimeError.
        """
        with self.write_lock:
            now = published(self.home)
            self.missing = now.missing
            try:
                snapshot = load_snapshot(self.home, self.embedder, previous=self.snapshot)
            except Exception as error:
                expected = isinstance(error, CreatorMatchError)
                log.error("reload refused, still serving the previous artifacts: %s",
                          describe(error), exc_info=not expected)  # fmt: skip
                self._failed("reload", describe(error))
                self._refused = now.present()
                if self.snapshot is None:
                    self.problem = self.failures["reload"]
                return False
            self.snapshot, self.problem, self._refused = snapshot, None, None
            self._failed("reload", None)
            return True

    def follow_registry(self) -> None:
        """Publish champions moved in MLflow since the last look; `stale` then sees them."""
        try:
            tracking_uri = self.settings.mlflow_tracking_uri
            for copied in sync_champions(self.home, tracking_uri=tracking_uri):
                log.info("published %s from the registry", copied)
        except Exception as error:  # the registry is another service: it must not stop the watcher
            log.error("cannot follow the model registry: %s", describe(error))
            self._failed("registry", f"model registry: {describe(error)}")
            return
        self._failed("registry", None)

    def stale(self) -> bool:
        """Whether the published artifacts differ from the ones served now (and from the ones
        a reload last failed on: those are not tried again until they change)."""
        now = published(self.home)
        self.missing = now.missing
        if "index" in now.missing:
            return False  # nothing loads without an index: wait for its manifest
        wanted = now.present()
        snapshot = self.snapshot
        if snapshot is not None and wanted == {k: snapshot.stamps[k] for k in wanted}:
            if wanted != self._refused:  # what failed was replaced by what is served
                self._failed("reload", None)
                self._refused = None
            return False
        return wanted != self._refused

    def check(self) -> str | None:
        """One look at the home for the watcher: follow the registry, reload if stale.

        Returns "swapped" or "refused" after a reload, "error" when the look itself failed, None
        when nothing changed. Never raises: the watcher must outlive anything it finds.
        """
        try:
            self.follow_registry()
            outcome = None
            if self.stale():
                outcome = "swapped" if self.reload() else "refused"
        except Exception as error:
            log.exception("the artifact watcher failed; it looks again at its next turn")
            self._failed("watch", f"artifact watcher: {describe(error)}")
            return "error"
        self._failed("watch", None)
        return outcome

    def swap_index(self, index: CreatorIndex, manifest: dict[str, Any]) -> Snapshot:
        """Serve `index` (published by the caller, who holds `write_lock`) from now on."""
        old = self.require()
        bundle = replace(
            old.bundle, index=index, manifests={**old.bundle.manifests, "index": manifest}
        )
        stamps = {**old.stamps, "index": published(self.home).stamps["index"]}
        self.snapshot = replace(old, bundle=bundle, stamps=stamps)
        return self.snapshot

    def close(self) -> None:
        if self.snapshot is not None:
            self.snapshot.bundle.catalog.close()
        if self._writer is not None:
            self._writer.close()
        self.tenants.close()
        self.workspace.close()
