"""Frozen, versioned evaluation sets: the rows a challenger and its champion are both scored on.

`<home>/evalsets/<kind>/v<N>/` holds parquet tables and `evalset.json` (each file's sha256 and a
digest over them, the set's content hash). A version is written once, into a temporary folder
renamed into place, and never changed; training leaves its rows out. A new version is made when
none exists, when asked (`creatormatch train --new-eval-set`), or when the current code cannot
score the old rows (a feature column was added), and that is said in the train output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from creatormatch.core import Home, IntegrityError, InvalidInput, sha256_file

MANIFEST = "evalset.json"
VERSION = re.compile(r"v(\d+)")


@dataclass(frozen=True)
class EvalSet:
    kind: str  # "outcomes" (conversion and reach), "fraud", "account"
    version: int
    digest: str  # sha256 over the tables' sha256
    tables: dict[str, pd.DataFrame]

    @property
    def label(self) -> str:
        """How lineage, `train` and `models compare` name it: "outcomes-eval v1 (sha256 1a2b…)"."""
        return f"{self.kind}-eval v{self.version} (sha256 {self.digest[:12]})"


def _root(home: Home, kind: str) -> Path:
    return home.root / "evalsets" / kind


def _versions(home: Home, kind: str) -> list[int]:
    root = _root(home, kind)
    found = [VERSION.fullmatch(p.name) for p in root.iterdir()] if root.is_dir() else []
    return sorted(int(m.group(1)) for m in found if m)


def _digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256("".join(hashes[name] for name in sorted(hashes)).encode()).hexdigest()


def load_evalset(home: Home, kind: str, version: int) -> EvalSet:
    """Version `version` of `kind`, every table checked against its recorded sha256."""
    folder = _root(home, kind) / f"v{version}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise IntegrityError(f"evaluation set {folder} is unreadable: {error}") from error
    hashes: dict[str, str] = manifest["files"]
    for name, expected in hashes.items():
        if sha256_file(folder / f"{name}.parquet") != expected:
            raise IntegrityError(f"{folder / name}.parquet does not match its recorded sha256")
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in hashes}
    return EvalSet(kind, version, _digest(hashes), tables)


def latest_evalset(home: Home, kind: str) -> EvalSet | None:
    versions = _versions(home, kind)
    return load_evalset(home, kind, versions[-1]) if versions else None


def freeze_evalset(home: Home, kind: str, tables: dict[str, pd.DataFrame]) -> EvalSet:
    """Write `tables` as the next version of `kind`; returns it as read back."""
    root = _root(home, kind)
    root.mkdir(parents=True, exist_ok=True)
    version = (_versions(home, kind) or [0])[-1] + 1
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".v"))
    try:
        hashes = {}
        for name, table in tables.items():
            table.to_parquet(staging / f"{name}.parquet")
            hashes[name] = sha256_file(staging / f"{name}.parquet")
        manifest = {"kind": kind, "version": version, "files": hashes}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(staging, root / f"v{version}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load_evalset(home, kind, version)


def model_columns(X: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """The columns a fitted model reads, in its order: an older model scores newer rows. A
    column the rows lack is InvalidInput naming it (the code changed after they were frozen)."""
    if missing := [name for name in names if name not in X.columns]:
        raise InvalidInput(f"the evaluation rows lack the model's columns {missing[:5]}")
    return X.loc[:, list(names)]
