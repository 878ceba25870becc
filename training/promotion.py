"""Keep the home's published models in step with the MLflow `champion` aliases.

`creatormatch train` registers each model it fits as `challenger`, and publishes it in the home
as champion only when it passes its gates (challenger.py). An ML engineer who moves an alias
later (`creatormatch models promote`, or the MLflow UI) changes only the registry.
`sync_champions` copies the champion version's files into the home: manifest last, so readers
see either the old model or the new one. A registry may be shared by several homes, so a
download is checked against its checksums only and is signed by `publish` with the key of the
home it lands in. The server's watcher calls it and then reloads as for any new artifact: it
verifies the files and runs the canary, and if either fails it keeps the old model.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from creatormatch.core import Home, NotFound, publish, verify, write_atomic

MODELS = ("account", "fraud", "conversion", "reach")


def artifact_id(manifest: dict[str, Any]) -> str:
    """The short id GET /v1/models shows as an artifact's `version`: the first 12 hex digits of
    its first file's sha256; `models list` shows it beside the registry version it belongs to."""
    files = sorted(manifest.get("files", {}).items())
    return files[0][1][:12] if files else "unknown"


def _record(home: Home, name: str) -> Path:
    # Beside the model directory, not in it: the directory is what MLflow stores for a version.
    return home.root / "models" / f"{name}.registered.json"


def published_version(home: Home, name: str) -> int | None:
    """The registry version the home's copy of `name` came from; None when unknown."""
    try:
        return int(json.loads(_record(home, name).read_text())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def mark_published(home: Home, name: str, version: int) -> None:
    write_atomic(_record(home, name), json.dumps({"version": version}).encode())


def sync_champions(home: Home, *, tracking_uri: str | None = None) -> list[str]:
    """Publish every champion the home does not hold yet; returns 'name vN' for each one copied.

    `tracking_uri` names the registry; None is the home's own (`<home>/mlflow.db`).
    """
    from creatormatch.training.registry import champion, download

    if tracking_uri is None and not (home.root / "mlflow.db").is_file():
        return []  # no registry yet: nothing was ever trained here
    copied = []
    for name in MODELS:
        try:
            wanted = champion(home, name, tracking_uri=tracking_uri).version
        except NotFound:
            continue
        if published_version(home, name) == wanted:
            continue
        with tempfile.TemporaryDirectory(dir=home.ensure().root) as tmp:
            source = download(home, name, wanted, Path(tmp), tracking_uri=tracking_uri)
            publish_version(home, name, source, wanted)
        copied.append(f"{name} v{wanted}")
    return copied


def copy_verified(source: Path, destination: Path, **metadata: Any) -> None:
    """Publish the files of `source` at `destination`, signed there, with `metadata` added.

    A corrupt copy never lands; the signature of `source` is another home's (a shared
    registry), a staging folder's, or this home's from when it was trained: only its files are
    checked, and `publish` signs them for the home `destination` belongs to.
    """
    manifest = verify(source, signed=False)
    files = {f: (source / f).read_bytes() for f in manifest["files"]}
    kept = {k: v for k, v in manifest.items() if k != "files"}
    publish(destination, files, kept | metadata)


def publish_version(home: Home, name: str, source: Path, version: int) -> None:
    """Serve registry version `version` of `name` (its files in `source`) from the home; the
    manifest says which version it is (`registry_version`), as `models list` numbers it."""
    copy_verified(source, home.model_dir(name), registry_version=version)
    mark_published(home, name, version)
