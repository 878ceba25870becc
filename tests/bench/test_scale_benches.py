"""The scale benchmarks keep their contract: a table, then one JSON line, from real runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creatormatch.cli import main
from tests.batch_home import BatchHome, build_batch_home

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchHome:
    return build_batch_home(tmp_path_factory.mktemp("benches"), creators=60)


def _summary(capsys: pytest.CaptureFixture[str], *header: str) -> dict:
    lines = capsys.readouterr().out.strip().splitlines()
    assert all(any(word in line for line in lines[:-1]) for word in header)
    return json.loads(lines[-1])


def test_bench_fraud_times_the_batch_path_against_the_plain_one(
    batch: BatchHome, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(batch.home.root), "bench", "fraud", "--creators", "300"]) == 0
    summary = _summary(capsys, "plain path (FraudModel.reports)", "TreeSHAP of the")
    assert summary["creators"] == 300 and 0 < summary["flagged_share"] < 1
    assert summary["features_and_scoring_per_s"] > 0 and summary["workers_per_s"] is None


def test_bench_accounts_scores_real_accounts_from_files(
    batch: BatchHome, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(batch.home.root)
    assert main(["--home", home, "bench", "accounts", "--accounts", "3000"]) == 0
    summary = _summary(capsys, "score accounts: CSV → CSV", "Parquet → Parquet")
    assert summary["accounts"] == 3000 and summary["csv_file_per_s"] > 0


def test_bench_ingest_times_every_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--home", str(tmp_path), "bench", "ingest", "--creators", "40",
                 "--embedder", "stand-in"])  # fmt: skip
    assert code == 0
    summary = _summary(capsys, "validate", "catalog write", "second ingest, all unchanged")
    stages = summary["seconds"]
    assert set(stages) == {"validate", "features", "embed", "catalog write", "index add",
                           "scores", "total"}  # fmt: skip
    assert 0 < stages["validate"] < stages["total"] and summary["per_s"] > 0


def test_bench_scale_keeps_the_fastest_of_its_repeated_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["bench", "scale", "--creators", "1000", "--accounts", "2000", "--vectors", "4000",
                 "--repeat", "2"])  # fmt: skip
    assert code == 0
    summary = _summary(capsys, "the fastest of 2 runs each", "recall@100")
    for name, row in summary["per_s"].items():
        for run in ("1 process", "1 worker", "2 workers"):
            walls = row["walls_s"][run]
            assert len(walls) == 2 and all(w > 0 for w in walls)
            assert row[run] == pytest.approx(summary["rows"][name] / min(walls), rel=0.01)
        assert row["ratio"] == pytest.approx(row["2 workers"] / row["1 worker"], rel=0.01)
