"""Atomic publication of artifacts with a manifest, and verified loading.

A published artifact is a directory holding data files and a `manifest.json` that records each
file's sha256 plus free metadata (dimension, counts, model id, data hash). Files are written to a
temporary name, fsynced and moved with `os.replace`; the manifest is written last, so a reader
that finds a manifest finds complete files. Loaders call `verify` before reading anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from creatormatch.core.errors import ArtifactError, IntegrityError

MANIFEST = "manifest.json"
Loaded = TypeVar("Loaded")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(directory: Path, files: dict[str, bytes], metadata: dict[str, Any]) -> dict[str, Any]:
    """Write `files` into `directory`, then the manifest naming their hashes; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).unlink(missing_ok=True)
    hashes = {}
    for name, data in files.items():
        write_atomic(directory / name, data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    manifest = {**metadata, "files": hashes}
    write_atomic(directory / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return manifest


def verify(directory: Path) -> dict[str, Any]:
    """Return the manifest of `directory` after checking every file against its sha256."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ArtifactError(f"no {MANIFEST} in {directory}: nothing was published there")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ArtifactError(f"unreadable manifest {manifest_path}: {error}") from error
    for name, expected in manifest.get("files", {}).items():
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"{path} is named in the manifest but missing")
        actual = sha256_file(path)
        if actual != expected:
            raise IntegrityError(
                f"{path}: sha256 {actual[:12]}… but manifest says {expected[:12]}…"
            )
    return manifest


def load_published(
    load: Callable[[Path], tuple[Loaded, dict[str, Any]]], directory: Path
) -> tuple[Loaded, dict[str, Any]] | tuple[None, None]:
    """`load(directory)` (an artifact and its manifest), or (None, None) if nothing was published
    there yet; an artifact that is published but cannot be read is an ArtifactError, not absent."""
    if not (directory / MANIFEST).is_file():
        return None, None
    try:
        return load(directory)
    except ArtifactError:
        raise
    except (OSError, ValueError, KeyError) as error:
        raise ArtifactError(f"cannot load the artifact in {directory}: {error}") from error
