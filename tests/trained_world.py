"""A small synthetic world ingested and trained by `train_all`, with its training snapshot: what
the drift monitor and the model reports are tested on. Built once per test session (a second
call with the same session finds it), so tests that change it work on a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home
from creatormatch.features import load_embedder
from creatormatch.training import trained_home, write_training_snapshot

EMBEDDER = load_embedder("hashing")
CREATORS, SEED = 300, 3  # the smallest world whose outcomes leave enough to train on
NO_ACCOUNT_DATA = Path("/nonexistent/account-data")  # the account model is not needed here


def _write_world(out: Path) -> Path:
    argv = ["world", "--creators", str(CREATORS), "--seed", str(SEED), "--out", str(out)]
    assert main([*argv, "--no-progress", "--workers", "1"]) == 0
    return out


def trained_world(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The trained home; its world's files are in `<home>/world/`."""
    root = tmp_path_factory.getbasetemp() / "trained-world"
    home = trained_home(root, _write_world, embedder=EMBEDDER, account_data=NO_ACCOUNT_DATA)
    write_training_snapshot(home, embedder=EMBEDDER)
    return home
