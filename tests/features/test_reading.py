import json
from pathlib import Path

import pandas as pd
import pytest

from creatormatch.core import InvalidInput
from creatormatch.features import CreatorRecord, FraudLabel, read_records


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def test_minimal_record_with_id_text_and_followers_is_valid(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.jsonl", [json.dumps({"creator_id": "a", "bio": "yoga", "followers": 5})]
    )
    batch = read_records(path)
    assert [r.creator_id for r in batch.records] == ["a"]
    assert batch.records[0].following is None
    assert batch.rejections == []


def test_bad_records_are_reported_with_line_field_and_expectation(tmp_path: Path) -> None:
    lines = [
        json.dumps({"creator_id": "ok", "followers": 10}),
        json.dumps({"creator_id": "neg", "followers": -3}),
        json.dumps({"followers": 3}),
        "{not json",
        json.dumps({"creator_id": "typed", "followers": "many"}),
    ]
    batch = read_records(_write(tmp_path / "c.jsonl", lines))
    assert [r.creator_id for r in batch.records] == ["ok"]
    by_line = {r.line: str(r) for r in batch.rejections}
    assert set(by_line) == {2, 3, 4, 5}
    assert "followers" in by_line[2] and "greater than or equal to 0" in by_line[2]
    assert "creator_id" in by_line[3] and "Field required" in by_line[3]
    assert "not JSON" in by_line[4]
    assert "followers" in by_line[5] and "'many'" in by_line[5]


def test_unknown_field_is_rejected_rather_than_silently_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [json.dumps({"creator_id": "a", "folowers": 5})])
    (rejection,) = read_records(path).rejections
    assert "folowers" in str(rejection)


def test_parquet_and_csv_read_like_jsonl(tmp_path: Path) -> None:
    pd.DataFrame({"creator_id": ["a", "b"], "followers": [1, None]}).to_parquet(
        tmp_path / "c.parquet"
    )
    records = read_records(tmp_path / "c.parquet", CreatorRecord).records
    assert [(r.creator_id, r.followers) for r in records] == [("a", 1), ("b", None)]
    _write(tmp_path / "l.csv", ["creator_id,is_fraud,archetype", "a,1,bought_likes", "b,0,"])
    labels = read_records(tmp_path / "l.csv", FraudLabel).records
    assert [(x.creator_id, x.is_fraud, x.archetype) for x in labels] == [
        ("a", True, "bought_likes"),
        ("b", False, None),
    ]


def test_unsupported_file_type_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "c.xlsx").write_text("x")
    with pytest.raises(InvalidInput, match=r"expected a \.jsonl, \.csv or \.parquet file"):
        read_records(tmp_path / "c.xlsx")
