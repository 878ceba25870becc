"""Ingest counts are right, a wrong header fails once naming the expected columns, and labels and
outcomes for creators the catalog does not hold are rejected with their count."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home, get_settings
from creatormatch.store import Catalog


@pytest.fixture()
def home(hashing_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    """A private copy of the 90-creator hashing home (c000 … c089), the CLI on the hashing
    embedder."""
    copy = Home(tmp_path / "home")
    shutil.copytree(hashing_home.root, copy.root)
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield copy
    get_settings.cache_clear()
    gc.unfreeze()  # a one-shot command freezes what it loaded


def _cli(home: Home, *argv: str) -> int:
    return main(["--home", str(home.root), *argv])


def test_a_creator_file_of_six_lines_with_three_bad_reads_six_and_rejects_three(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"creator_id": f"new{i}", "bio": f"home workouts {i}", "followers": 5_000})
        for i in range(3)
    ]
    lines += ['{"creator_id": "neg", "followers": -5}', "not json", '{"followers": 3}']
    path = tmp_path / "six.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert _cli(home, "ingest", str(path), "--no-progress") == 1
    captured = capsys.readouterr()
    assert captured.out == "6 read, 3 stored, 0 unchanged, 3 embedded, 3 rejected\n"
    assert captured.err.count("rejected line") == 3


def test_labels_with_a_wrong_header_fail_once_naming_the_expected_columns(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("id,fraud\n" + "".join(f"c{i:03d},1\n" for i in range(50)))
    assert _cli(home, "labels", "ingest", str(path)) == 2
    err = capsys.readouterr().err
    assert err == (
        "creatormatch: error: labels.csv: expected the columns creator_id, is_fraud "
        "(optional: archetype); its header has id, fraud; missing creator_id, is_fraud; "
        "unknown id, fraud\n"
    )
    catalog = Catalog(home.catalog)
    assert catalog.labels().empty
    catalog.close()


def test_outcomes_with_a_wrong_header_fail_once_too(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_text("campaign,creator,conv\nk1,c001,3\nk1,c002,4\n")
    assert _cli(home, "outcomes", "ingest", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "expected the columns campaign_id, brand_id, creator_id, impressions, conversions" in err


def test_labels_for_unknown_creators_are_rejected_with_their_count_and_the_rest_stored(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("creator_id,is_fraud\nc001,1\nghost1,0\nc002,maybe\nghost2,1\nc003,0\n")
    assert _cli(home, "labels", "ingest", str(path)) == 1
    captured = capsys.readouterr()
    assert captured.out == "5 read, 2 stored, 3 rejected (2 not in the catalog, 1 invalid)\n"
    assert "rejected line 3 (ghost1): creator_id: not in the catalog" in captured.err
    catalog = Catalog(home.catalog)
    assert sorted(catalog.labels().index) == ["c001", "c003"]
    catalog.close()


def test_outcomes_beside_a_synthetic_worlds_summary_record_its_seed(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "world.json").write_text(json.dumps({"params": {"seed": 41}}))
    row = {"campaign_id": "k1", "brand_id": "b1", "creator_id": "c001", "impressions": 900,
           "clicks": 20, "conversions": 2}  # fmt: skip
    (tmp_path / "outcomes.jsonl").write_text(json.dumps(row) + "\n")
    assert _cli(home, "outcomes", "ingest", str(tmp_path / "outcomes.jsonl")) == 0
    assert capsys.readouterr().out == "1 read, 1 stored, 0 rejected\n"
    catalog = Catalog(home.catalog)
    assert catalog.world_seed() == 41 and len(catalog.outcomes()) == 1
    catalog.close()
