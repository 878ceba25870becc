"""Atomic publication of artifacts with a signed manifest, and verified loading.

A published artifact is a directory holding data files and a `manifest.json` that records each
file's sha256 plus free metadata (dimension, counts, model id, data hash). Files are written to a
temporary name, fsynced and moved with `os.replace`; the manifest is written last, so a reader
that finds a manifest finds complete files. Loaders call `verify` before reading anything.

A checksum alone proves nothing to someone who can rewrite it, so the manifest also carries an
HMAC-SHA256 `signature` keyed by a secret of the artifact's home (`Home.signing_key`: 32 random
bytes, mode 0600, created once by the first publication). A manifest without one, or with one
made by another key, is refused (docs/decisions/0012); `adopt` signs artifacts an operator
vouches for, and copies from elsewhere (an MLflow download) are checked with `signed=False`,
then published, which signs them for the home they land in.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from creatormatch.core.errors import ArtifactError, IntegrityError
from creatormatch.core.settings import Home

MANIFEST = "manifest.json"
SIGNATURE = "signature"
KEY_BYTES = 32
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


def signing_key(home: Home, *, create: bool = False) -> bytes | None:
    """The home's signing secret; with `create`, made first if the home has none yet.

    It is written to a private temporary file (mode 0600) and hard-linked into place, so two
    processes publishing at once end with one key, and no reader ever sees half of one.
    """
    path = home.signing_key
    if not path.is_file():
        if not create:
            return None
        _create_key(path)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise IntegrityError(f"{path}: expected a {KEY_BYTES}-byte key, got {len(key)} bytes")
    return key


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _signature(key: bytes, manifest: dict[str, Any]) -> str:
    # The manifest as it reads back from JSON, in one canonical spelling.
    canonical = json.dumps(json.loads(json.dumps(manifest)), sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    """Sign `manifest` with the key of the home `directory` belongs to, then write it."""
    key = signing_key(Home.of_artifact(directory), create=True)
    assert key is not None
    signed = {**manifest, SIGNATURE: _signature(key, manifest)}
    write_atomic(directory / MANIFEST, json.dumps(signed, indent=2, sort_keys=True).encode())


def publish(directory: Path, files: dict[str, bytes], metadata: dict[str, Any]) -> dict[str, Any]:
    """Write `files` into `directory`, then the signed manifest naming their hashes; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).unlink(missing_ok=True)
    hashes = {}
    for name, data in files.items():
        write_atomic(directory / name, data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    manifest = {**{k: v for k, v in metadata.items() if k != SIGNATURE}, "files": hashes}
    _write_manifest(directory, manifest)
    return manifest


def verify(directory: Path, *, signed: bool = True) -> dict[str, Any]:
    """Return the manifest of `directory` (without its signature) after checking its signature
    against the home's key and every file against its sha256.

    `signed=False` checks the files only: for a copy from elsewhere (a registry download) that
    is published, and so signed, in this home before anything loads it.
    """
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ArtifactError(f"no {MANIFEST} in {directory}: nothing was published there")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ArtifactError(f"unreadable manifest {manifest_path}: {error}") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
        raise ArtifactError(f"{manifest_path}: expected a JSON object naming its files")
    signature = manifest.pop(SIGNATURE, None)
    if signed:
        _check_signature(manifest_path, manifest, signature)
    for name, expected in manifest.get("files", {}).items():
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"{path} is named in the manifest but missing")
        actual = sha256_file(path)
        if actual != expected:
            raise IntegrityError(
                f"{path}: sha256 {actual[:12]}… but manifest says {str(expected)[:12]}…"
            )
    return manifest


REPUBLISH = (
    "re-publish it in this home (`creatormatch train` for models; for the index, "
    "`creatormatch ingest FILE` after removing index/manifest.json), or, only if you know these "
    "files are this home's own, sign them with `creatormatch keys sign-artifacts`"
)


def _check_signature(path: Path, manifest: dict[str, Any], signature: object) -> None:
    home = Home.of_artifact(path.parent)
    if not isinstance(signature, str):
        raise IntegrityError(
            f"{path} is not signed (published before artifacts were signed, or altered): "
            + REPUBLISH
        )
    key = signing_key(home)
    if key is None:
        raise IntegrityError(
            f"{path} is signed but its home has no signing key ({home.signing_key}): "
            "it was copied from another home or the key was removed; " + REPUBLISH
        )
    if not hmac.compare_digest(signature, _signature(key, manifest)):
        raise IntegrityError(
            f"{path}: the signature does not match this home's key (the manifest was altered, "
            "or signed by another home): refusing it; " + REPUBLISH
        )


def adopt(home: Home) -> list[Path]:
    """Sign every artifact of `home` whose files match their manifest; return their directories.

    For a home published before artifacts were signed, or artifacts copied from another home:
    the operator vouches for the files, this checks they are the ones the manifest names.
    """
    adopted = []
    for directory in home.artifact_dirs():
        if (directory / MANIFEST).is_file():
            _write_manifest(directory, verify(directory, signed=False))
            adopted.append(directory)
    return adopted


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
