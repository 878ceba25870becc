"""Lineage is content, never a path; evaluation sets are frozen, versioned and verified."""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import Home, IntegrityError
from creatormatch.training import code_version, freeze_evalset, latest_evalset, rows_hash


def test_the_data_hash_depends_on_the_rows_and_nothing_else() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, np.nan]})
    target = np.array([1.0, 0.0])
    first = rows_hash(frame, target)
    assert first == rows_hash(frame.copy(), target.copy())
    assert first != rows_hash(frame.assign(b=[3.0, 4.0]), target)
    assert first != rows_hash(frame.rename(columns={"b": "c"}), target)
    assert first != rows_hash(frame, target[::-1].copy())
    assert len(first) == 64 and "/" not in first


def test_the_code_version_is_the_package_version_and_the_commit_when_git_is_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    version = metadata.version("creatormatch")
    if shutil.which("git"):
        assert code_version().startswith(f"{version}+g")
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the PATH: still a version
    assert code_version() == version


def test_an_evaluation_set_reads_back_as_frozen_and_each_freeze_is_a_new_version(
    tmp_path: Path,
) -> None:
    home = Home(tmp_path / "home").ensure()
    assert latest_evalset(home, "outcomes") is None
    rows = pd.DataFrame({"conversions": [1.0, 0.0], "campaign_id": ["k1", "k2"]})
    first = freeze_evalset(home, "outcomes", {"rows": rows})
    assert (first.version, first.label) == (1, f"outcomes-eval v1 (sha256 {first.digest[:12]})")
    read = latest_evalset(home, "outcomes")
    assert read is not None and read.digest == first.digest
    pd.testing.assert_frame_equal(read.tables["rows"], rows)
    second = freeze_evalset(home, "outcomes", {"rows": rows.iloc[:1]})
    assert second.version == 2 and second.digest != first.digest
    latest = latest_evalset(home, "outcomes")
    assert latest is not None and latest.version == 2


def test_a_tampered_evaluation_set_is_refused(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    freeze_evalset(home, "fraud", {"labels": pd.DataFrame({"is_fraud": [1, 0]})})
    pd.DataFrame({"is_fraud": [0, 0]}).to_parquet(home.root / "evalsets/fraud/v1/labels.parquet")
    with pytest.raises(IntegrityError, match="does not match its recorded sha256"):
        latest_evalset(home, "fraud")
