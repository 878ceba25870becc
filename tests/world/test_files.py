import json
from pathlib import Path

import pandas as pd
import pytest

from creatormatch.cli import main
from creatormatch.features import Brief, CampaignOutcome, CreatorRecord
from creatormatch.world import ARCHETYPES, WorldParams, generate_world, write_world

NAMES = ("creators.jsonl", "fraud_labels.csv", "briefs.jsonl", "outcomes.jsonl", "world.json")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    params = WorldParams(n_creators=300, seed=3, n_brands=5)
    first = write_world(generate_world(params), tmp_path / "a", progress=False)
    second = write_world(generate_world(params), tmp_path / "b", progress=False, workers=2)
    for name in NAMES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    a = write_world(
        generate_world(WorldParams(n_creators=100, seed=1)), tmp_path / "a", progress=False
    )
    b = write_world(
        generate_world(WorldParams(n_creators=100, seed=2)), tmp_path / "b", progress=False
    )
    assert (a / "creators.jsonl").read_bytes() != (b / "creators.jsonl").read_bytes()


def test_every_creator_line_validates_as_a_creator_record(small_dir: Path) -> None:
    lines = (small_dir / "creators.jsonl").read_text(encoding="utf-8").splitlines()
    records = [CreatorRecord.model_validate_json(line) for line in lines]
    assert len(records) == 2_000
    assert len({r.creator_id for r in records}) == 2_000
    assert all(8 <= len(r.posts) <= 12 and r.follower_series for r in records)
    assert all(30 <= len(r.follower_sample or []) <= 50 for r in records)
    missing_audience = sum(r.audience is None for r in records) / len(records)
    assert 0.15 < missing_audience < 0.25
    assert 0.05 < sum(r.price_per_post is None for r in records) / len(records) < 0.25


def test_side_files_validate_against_their_contracts(small_dir: Path) -> None:
    outcomes = [
        CampaignOutcome.model_validate_json(x) for x in _lines(small_dir / "outcomes.jsonl")
    ]
    briefs = [json.loads(x) for x in _lines(small_dir / "briefs.jsonl")]
    assert len(briefs) == 30 and all(Brief.model_validate(b["brief"]).countries for b in briefs)
    sizes = pd.Series([o.campaign_id for o in outcomes]).value_counts()
    assert sizes.between(10, 40).all()
    assert all(o.brief is not None and o.conversions <= (o.clicks or 0) for o in outcomes)
    labels = pd.read_csv(small_dir / "fraud_labels.csv")
    assert list(labels.columns) == ["creator_id", "is_fraud", "archetype"]
    assert set(labels["archetype"]) <= set(ARCHETYPES)
    summary = json.loads((small_dir / "world.json").read_text())
    assert summary["params"]["seed"] == 5 and sum(summary["tiers"].values()) == 2_000


@pytest.mark.slow
def test_parquet_format_holds_the_same_records(small_world, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = write_world(small_world, tmp_path, format="parquet", progress=False)
    rows = pq.read_table(out / "creators.parquet").to_pylist()
    first = CreatorRecord.model_validate({k: v for k, v in rows[0].items() if v is not None})
    assert len(rows) == 2_000 and first.creator_id == "c0000001"


def test_unknown_format_is_refused(small_world, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected format 'jsonl' or 'parquet', got 'csv'"):
        write_world(small_world, tmp_path, format="csv", progress=False)  # type: ignore[arg-type]


def test_cli_writes_a_world_at_reduced_intensity(tmp_path: Path, capsys) -> None:
    code = main(["world", "--creators", "60", "--seed", "4", "--out", str(tmp_path), "--brands",
                 "3", "--intensity", "0.25", "--workers", "1", "--no-progress"])  # fmt: skip
    assert code == 0
    assert all((tmp_path / name).exists() for name in NAMES)
    assert json.loads((tmp_path / "world.json").read_text())["params"]["fraud_intensity"] == 0.25
    assert "60 creators" in capsys.readouterr().out
