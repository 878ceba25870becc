"""`creatormatch score fraud|accounts`: files in, the plain path's scores out, any size."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from creatormatch.cli import main
from creatormatch.core import load_published
from creatormatch.features import CreatorRecord, fields_used, read_records, validated_accounts
from creatormatch.models import AccountModel, FraudModel, score_accounts
from creatormatch.store import QUALITY_COLUMNS, quality_frame
from tests.batch_home import BatchHome, assert_same_scores, build_batch_home, read_scores


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchHome:
    return build_batch_home(tmp_path_factory.mktemp("batch"))


def _score(batch: BatchHome, kind: str, source: Path, target: Path, *extra: str) -> int:
    home = str(batch.home.root)
    return main(["--home", home, "score", kind, "--input", str(source), "--output", str(target),
                 *extra])  # fmt: skip


def _plain_fraud(batch: BatchHome) -> pd.DataFrame:
    """What the API's route computes for the same records (store.quality_frame + reports)."""
    records = read_records(batch.creators, CreatorRecord)
    account = load_published(AccountModel.load, batch.home.model_dir("account"))[0]
    fraud = load_published(FraudModel.load, batch.home.model_dir("fraud"))[0]
    assert account is not None and fraud is not None
    quality = quality_frame(records.records, account).reindex(columns=list(QUALITY_COLUMNS))
    reports = fraud.reports(records.records, quality=quality)
    return pd.DataFrame(
        {
            "line": records.lines,
            "creator_id": [r.creator_id for r in records.records],
            "probability": [r.probability for r in reports],
            "band": [r.band for r in reports],
            "reasons": [[reason.text for reason in r.reasons] for r in reports],
        }
    )


def test_fraud_scores_of_a_file_equal_the_plain_path_and_bad_lines_keep_their_error(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scores.jsonl"
    assert _score(batch, "fraud", batch.creators, out) == 1  # some lines are not records
    scored = read_scores(out)
    good = scored[scored["error"].isna()].reset_index(drop=True)
    assert_same_scores(good.drop(columns=["error"]), _plain_fraud(batch), key="creator_id")
    errors = scored[scored["error"].notna()]
    assert errors["line"].tolist() == [4, 5]
    assert errors["error"].iloc[0].startswith("not JSON")
    assert "followers" in errors["error"].iloc[1] and errors["creator_id"].iloc[1] == "neg"
    assert good.loc[good["band"] == "low", "reasons"].map(len).eq(0).all()
    assert good.loc[good["band"] == "high", "reasons"].map(len).gt(0).all()
    assert (
        good["creator_id"].iloc[-1] == "bare" and good["band"].iloc[-1] == "insufficient_evidence"
    )
    assert "2 rows could not be scored" in capsys.readouterr().err


def test_fraud_output_is_the_same_in_every_format_and_chunk_size(
    batch: BatchHome, tmp_path: Path
) -> None:
    expected = read_scores(_write_once(batch, tmp_path, "fraud.jsonl"))
    for name, extra in (("chunked.jsonl", ["--chunk", "7"]), ("f.csv", []), ("f.parquet", [])):
        assert _score(batch, "fraud", batch.creators, tmp_path / name, *extra) == 1
        assert_same_scores(read_scores(tmp_path / name), expected, key="line")


def _write_once(batch: BatchHome, tmp_path: Path, name: str) -> Path:
    assert _score(batch, "fraud", batch.creators, tmp_path / name) == 1
    return tmp_path / name


def test_account_scores_equal_score_accounts_with_each_rows_own_fields(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "accounts.csv"
    batch.accounts.to_csv(source, index=False)
    assert _score(batch, "accounts", source, tmp_path / "out.csv", "--chunk", "50") == 1
    got = read_scores(tmp_path / "out.csv")
    text = pd.read_csv(source, dtype=str, keep_default_na=False)
    model = load_published(AccountModel.load, batch.home.model_dir("account"))[0]
    assert model is not None
    plain = score_accounts(text, model).frame
    expected = pd.DataFrame(
        {
            "line": range(2, len(text) + 2),
            "username": text["username"],
            "probability": plain["fake_probability"],
            "band": plain["risk_band"].astype(object).where(plain["risk_band"].notna(), None),
            "error": plain["error"].astype(object).where(plain["error"].notna(), None),
        }
    )
    assert_same_scores(got.drop(columns=["fields_used"]), expected, key="username")
    for i in range(len(text)):
        clean, problems = validated_accounts(text.iloc[[i]])
        own = fields_used(clean) if problems.iloc[0] == "" else []
        assert got["fields_used"].iloc[i] == own, text["username"].iloc[i]
    assert got["error"].notna().sum() == 3  # "empty" has a username: its length is a field
    assert "fields used: username, followers" in capsys.readouterr().out


def test_typed_parquet_accounts_score_as_their_csv_text(batch: BatchHome, tmp_path: Path) -> None:
    typed = batch.accounts.iloc[:-4].infer_objects()  # the real rows: numbers, not text
    typed.to_parquet(tmp_path / "in.parquet")
    typed.to_csv(tmp_path / "in.csv", index=False)
    assert _score(batch, "accounts", tmp_path / "in.parquet", tmp_path / "a.jsonl") == 0
    assert _score(batch, "accounts", tmp_path / "in.csv", tmp_path / "b.jsonl") == 0
    a, b = read_scores(tmp_path / "a.jsonl"), read_scores(tmp_path / "b.jsonl")
    assert_same_scores(a.drop(columns=["line"]), b.drop(columns=["line"]), key="username")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fraud", "--input", "missing.jsonl", "--output", "o.jsonl"], "--input: no such file"),
        (["fraud", "--input", "IN", "--output", "o.xlsx"], "--output: expected a .jsonl"),
        (["accounts", "--input", "in.txt", "--output", "o.csv"], "--input: expected a .jsonl"),
    ],
)
def test_bad_paths_exit_2_naming_the_flag(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str], args, message
) -> None:
    args = [str(batch.creators) if a == "IN" else str(tmp_path / a) if "." in a else a
            for a in args]  # fmt: skip
    assert main(["--home", str(batch.home.root), "score", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_home_without_a_fraud_model_says_which_command_makes_one(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--home", str(tmp_path / "empty"), "score", "fraud", "--input",
                 str(batch.creators), "--output", str(tmp_path / "o.jsonl")])  # fmt: skip
    assert code == 2 and "run `creatormatch train` first" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_a_run_that_fails_midway_leaves_the_old_output_untouched(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "accounts.jsonl", tmp_path / "out.csv"
    rows = [json.dumps({"username": f"a{i}", "followers": i}) for i in range(5)]
    source.write_text("\n".join([*rows, "[1, 2]"]) + "\n")  # line 6 is not an object
    target.write_text("the previous run\n")
    assert _score(batch, "accounts", source, target, "--chunk", "2") == 2
    assert "--input line 6: expected a JSON object per line" in capsys.readouterr().err
    assert target.read_text() == "the previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl", "out.csv"]


def test_workers_without_dask_installed_exit_2_naming_the_flag_and_the_extra(
    batch: BatchHome, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the scale extra were absent
    code = _score(batch, "fraud", batch.creators, tmp_path / "o.jsonl", "--workers", "2")
    err = capsys.readouterr().err
    assert code == 2 and "--workers needs Dask: pip install 'creatormatch[scale]'" in err
