"""Keep the home's published models in step with the MLflow `champion` aliases.

`creatormatch train` publishes a model in the home and registers it as champion in one go. An ML
engineer who moves an alias later (`creatormatch models promote`, or the MLflow UI) changes only
the registry. `sync_champions` copies the champion version's files into the home: manifest last,
so readers see either the old model or the new one. A registry may be shared by several homes,
so a download is checked against its checksums only and is signed by `publish` with the key of
the home it lands in. The server's watcher calls it and then reloads as for any new artifact: it
verifies the files and runs the canary, and if either fails it keeps the old model.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from creatormatch.core import Home, NotFound, publish, verify, write_atomic

MODELS = ("account", "fraud", "conversion", "reach")


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
            # A corrupt download never reaches the home; its signature is another home's, or
            # this one's from when it was trained: `publish` signs it for this home.
            manifest = verify(source, signed=False)
            files = {f: (source / f).read_bytes() for f in manifest["files"]}
            metadata = {k: v for k, v in manifest.items() if k != "files"}
            publish(home.model_dir(name), files, metadata)
        mark_published(home, name, wanted)
        copied.append(f"{name} v{wanted}")
    return copied
