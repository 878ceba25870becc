"""Where a model version came from: what it learned from, which code, which world, which parent.

Recorded with every registered version (MLflow tags `lineage.*`) and in the manifest the home
serves (`lineage`), so `creatormatch models list` and `GET /v1/models` say the same thing.
Hashes are of content, never of a path: the same rows give the same hash on any machine.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

PACKAGE = "creatormatch"


@dataclass(frozen=True)
class Lineage:
    data_hash: str  # sha256 of the training rows (features and targets)
    code_version: str  # "0.1.0+g1a2b3c4d5e6f", "+dirty" for uncommitted changes
    world_seed: int | None  # the synthetic world the data came from; None for real data
    parent: int | None  # the champion version when this one was trained
    eval_set: str  # "outcomes-eval v1 (sha256 …)"

    def tags(self) -> dict[str, str]:
        return {f"lineage.{key}": "-" if v is None else str(v) for key, v in asdict(self).items()}

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


def rows_hash(*parts: pd.DataFrame | pd.Series | npt.NDArray[np.generic]) -> str:
    """sha256 over the values (and column names) of frames and arrays, in order."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame | pd.Series):
            names = list(part.columns) if isinstance(part, pd.DataFrame) else [part.name]
            digest.update(repr([str(name) for name in names]).encode())
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        else:
            digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


def _git_describe(directory: Path) -> str | None:
    """`<sha>` or `<sha>-dirty` of the checkout holding `directory`; None without git or a
    checkout (an installed wheel)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def code_version() -> str:
    """The package version, and the git commit when running from a checkout."""
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        version = "unknown"
    described = _git_describe(Path(__file__).resolve().parent)
    return f"{version}+g{described}" if described else version
