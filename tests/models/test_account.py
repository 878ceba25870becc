"""The account model on the real public sets: cross-set quality, robustness, round-trip, CLI."""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import creatormatch.training as training
from creatormatch.cli import accounts as accounts_cli
from creatormatch.core import ArtifactError, IntegrityError, NotReady, publish
from creatormatch.features import CORE_FIELDS, FEATURES
from creatormatch.models import AccountModel, score_accounts
from creatormatch.training import (
    MISSING,
    account_metrics,
    blank_groups,
    features_and_labels,
    heuristic_scores,
    load_sets,
    train_account_model,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"public account data absent: {DATA}")
ROC, PR = 0, 1


@pytest.fixture(scope="module")
def sets() -> dict[str, pd.DataFrame]:
    return load_sets(DATA)


@pytest.fixture(scope="module")
def ig_pd_left_out(sets: dict[str, pd.DataFrame]) -> AccountModel:
    """Trained on InstaFake + Kaggle only: ig_PD is never seen."""
    X, y = features_and_labels(pd.concat([sets["instafake"], sets["kaggle"]], ignore_index=True))
    return AccountModel().fit(X, y)


def test_duplicates_are_dropped_from_every_set(sets: dict[str, pd.DataFrame]) -> None:
    sizes = {name: len(frame) for name, frame in sets.items()}
    assert sizes == {"instafake": 1165, "kaggle": 574, "kaggle_test": 118, "ig_pd": 1858}


def test_left_out_ig_pd_reaches_the_floor_and_beats_the_heuristic(
    sets: dict[str, pd.DataFrame], ig_pd_left_out: AccountModel
) -> None:
    X, y = features_and_labels(sets["ig_pd"])
    model = account_metrics(y, ig_pd_left_out.predict_proba(X), 0.5, calibrated=True)
    rules = account_metrics(y, heuristic_scores(sets["ig_pd"]), 2.0, calibrated=False)
    assert model[ROC] >= 0.97 and model[PR] >= 0.97  # measured 0.996 / 0.996
    assert model[ROC] > rules[ROC] + 0.1 and model[PR] > rules[PR] + 0.1


def test_left_out_instafake_beats_the_heuristic_on_ranking(sets: dict[str, pd.DataFrame]) -> None:
    X, y = features_and_labels(pd.concat([sets["ig_pd"], sets["kaggle"]], ignore_index=True))
    model = AccountModel().fit(X, y)
    X_test, y_test = features_and_labels(sets["instafake"])
    found = account_metrics(y_test, model.predict_proba(X_test), 0.5, calibrated=True)
    rules = account_metrics(y_test, heuristic_scores(sets["instafake"]), 2.0, calibrated=False)
    assert found[ROC] >= 0.96 and found[PR] >= 0.86  # measured 0.981 / 0.927
    assert found[ROC] > rules[ROC] and found[PR] > rules[PR]


def test_only_followers_and_following_still_reach_a_floor(
    sets: dict[str, pd.DataFrame], ig_pd_left_out: AccountModel
) -> None:
    X, y = features_and_labels(sets["ig_pd"])
    sparse = blank_groups(X, MISSING["followers+following only"])
    assert sparse.notna().sum().gt(0).sum() == 3  # followers, following and their ratio
    found = account_metrics(y, ig_pd_left_out.predict_proba(sparse), 0.5, calibrated=True)
    assert found[ROC] >= 0.95 and found[PR] >= 0.95  # measured 0.997 / 0.998


@pytest.fixture(scope="module")
def report_rows() -> dict[tuple[str, str, str], dict[str, float]]:
    """The leave-one-set-out table `creatormatch accounts train` prints (50 resamples)."""
    _, report = train_account_model(DATA, n_boot=50)
    return {
        (r.test_set, r.condition, r.method): {m: e.value for m, e in r.estimates.items()}
        for r in report.rows
    }


@pytest.mark.parametrize("left_out", ["instafake", "kaggle", "ig_pd"])
def test_core_fields_only_reach_the_floor_on_every_left_out_set_and_beat_the_heuristic(
    report_rows: dict[tuple[str, str, str], dict[str, float]], left_out: str
) -> None:
    """Trained and scored with the six core fields only. Measured ROC-AUC / PR-AUC: instafake
    0.980 / 0.923, kaggle 0.977 / 0.979, ig_pd 0.996 / 0.996; at 10 % fake PR-AUC 0.890, 0.904,
    0.979 (the issue's goal: 0.95 / 0.75)."""
    core = report_rows[(left_out, "core fields only", "model")]
    rules = report_rows[(left_out, "core fields only", "heuristic")]
    realistic = report_rows[(left_out, "core fields only, 10 % fake", "model")]
    assert core["roc_auc"] >= 0.97 and core["pr_auc"] >= 0.90
    assert realistic["pr_auc"] >= 0.85
    assert core["roc_auc"] > rules["roc_auc"] and core["pr_auc"] > rules["pr_auc"]


def test_the_table_scores_the_shipped_model_on_core_fields_too(
    report_rows: dict[tuple[str, str, str], dict[str, float]],
) -> None:
    """A follower scrape scored by the model trained with every field (what is shipped)."""
    for left_out in ("instafake", "kaggle", "ig_pd"):
        found = report_rows[(left_out, "core fields at scoring only", "model")]
        assert found["roc_auc"] >= 0.97 and found["pr_auc"] >= 0.90  # measured ≥ 0.972 / 0.975


def test_a_missing_count_is_its_own_value_not_zero(ig_pd_left_out: AccountModel) -> None:
    X = pd.DataFrame([[np.nan] * len(FEATURES)] * 2, columns=list(FEATURES))
    X.loc[:, ["log_following", "log_posts", "has_profile_pic"]] = [np.log1p(900.0), 0.0, 0.0]
    X.loc[1, "log_followers"] = 0.0
    missing, zero = ig_pd_left_out.predict_proba(X)
    assert zero > missing  # 0 followers against 900 following is the stronger fake sign


def test_a_core_field_sample_is_scored_and_says_which_fields_it_gave(
    ig_pd_left_out: AccountModel,
) -> None:
    sample = pd.DataFrame(
        {
            "username": ["maria.lopez", "jz_48213977", "tom_runs"],
            "followers": ["812", "3", "240"],
            "following": ["530", "4100", "310"],
            "posts": ["143", "0", "57"],
            "has_profile_pic": ["1", "0", "1"],
            "is_private": ["0", "0", "1"],
            "source": ["scrape", "scrape", "scrape"],
        }
    )
    scored = score_accounts(sample, ig_pd_left_out)
    assert scored.fields_used == list(CORE_FIELDS)
    p = scored.frame["fake_probability"].to_numpy()
    assert scored.frame["error"].isna().all() and p[1] > 0.5 > max(p[0], p[2])


def test_counts_beyond_the_training_range_score_finitely_and_infinity_is_an_error(
    ig_pd_left_out: AccountModel,
) -> None:
    huge = "1" + "0" * 300
    frame = pd.DataFrame(
        {"followers": ["inf", huge, "3"], "following": ["5", "5", huge], "posts": ["1", "1", "0"]}
    )
    out = score_accounts(frame, ig_pd_left_out).frame  # an overflow warning would fail here
    assert out.loc[0, "error"] == "followers: expected a non-negative number"
    assert out.loc[1, "fake_probability"] < 0.05 < 0.95 < out.loc[2, "fake_probability"]


def test_an_account_model_of_the_older_lightgbm_format_is_refused_with_how_to_retrain(
    tmp_path: Path,
) -> None:
    files = {"model.txt": b"tree\n", "extra.json": b"{}"}
    publish(tmp_path / "account", files, {"model": "account"})
    with pytest.raises(ArtifactError, match=r"older format.*creatormatch accounts train"):
        AccountModel.load(tmp_path / "account")


def test_bands_are_ordered_and_every_probability_gets_one(ig_pd_left_out: AccountModel) -> None:
    cuts = ig_pd_left_out.thresholds_
    assert 0 < cuts["medium"] <= cuts["high"] <= 1
    assert ig_pd_left_out.risk_band([0.0, cuts["medium"], cuts["high"]]) == [
        "low",
        "medium",
        "high",
    ]


def test_save_then_load_scores_identically_and_tampering_is_refused(
    tmp_path: Path, sets: dict[str, pd.DataFrame], ig_pd_left_out: AccountModel
) -> None:
    X, _ = features_and_labels(sets["kaggle_test"])
    manifest = ig_pd_left_out.save(tmp_path / "account")
    loaded, read = AccountModel.load(tmp_path / "account")
    assert read == manifest and read["model"] == "account"
    np.testing.assert_array_equal(loaded.predict_proba(X), ig_pd_left_out.predict_proba(X))
    assert loaded.thresholds_ == ig_pd_left_out.thresholds_
    with (tmp_path / "account" / "account.json").open("a") as handle:
        handle.write(" ")
    with pytest.raises(IntegrityError, match="sha256"):
        AccountModel.load(tmp_path / "account")


def test_score_accounts_keeps_every_row_and_column_and_flags_bad_rows(
    ig_pd_left_out: AccountModel,
) -> None:
    frame = pd.DataFrame(
        {
            "handle_id": ["a", "b", "c"],
            "followers": ["12", "-5", "900"],
            "following": ["3000", "1", "x"],
        }
    )
    out = score_accounts(frame, ig_pd_left_out).frame
    assert list(out.columns) == [
        "handle_id",
        "followers",
        "following",
        "fake_probability",
        "risk_band",
        "error",
    ]
    assert out["handle_id"].tolist() == ["a", "b", "c"] and out["followers"].tolist()[1] == "-5"
    assert out.loc[0, "fake_probability"] > 0.5 and pd.isna(out.loc[0, "error"])
    assert "followers: expected a non-negative number" in out.loc[1, "error"]
    assert "following" in out.loc[2, "error"] and out["fake_probability"].iloc[1:].isna().all()


def _args(home: Path, **kwargs: object) -> argparse.Namespace:
    return argparse.Namespace(home=home, **kwargs)


def test_cli_score_writes_all_columns_says_the_fields_used_and_exits_1_on_an_invalid_row(
    tmp_path: Path, ig_pd_left_out: AccountModel, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    ig_pd_left_out.save(home / "models" / "account")
    source = tmp_path / "in.csv"
    source.write_text("username,followers,following,note\nanna_88,400,300,x\nbot9,ten,9000,y\n")
    code = accounts_cli.run_score(_args(home, input=source, output=tmp_path / "out.csv"))
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert code == 1
    printed = capsys.readouterr().out
    assert "fields used: username, followers, following (3 of the 12 it reads)" in printed
    assert "columns not read: note" in printed
    assert list(out.columns) == [
        "username",
        "followers",
        "following",
        "note",
        "fake_probability",
        "risk_band",
        "error",
    ]
    assert out.loc[0, "error"] == "" and float(out.loc[0, "fake_probability"]) < 0.5
    assert out.loc[1, "fake_probability"] == "" and "followers" in out.loc[1, "error"]


def test_cli_score_without_a_trained_model_says_how_to_train(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("followers\n1\n")
    with pytest.raises(NotReady, match="creatormatch accounts train"):
        accounts_cli.run_score(_args(tmp_path, input=source, output=tmp_path / "out.csv"))


def test_cli_parses_nested_train_and_score(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    accounts_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["accounts", "score", "in.csv", "--output", "out.csv"])
    assert args.func is accounts_cli.run_score and args.output == Path("out.csv")
    args = parser.parse_args(["accounts", "train", "--data", str(tmp_path)])
    assert args.func is accounts_cli.run_train and args.data == tmp_path


def test_cli_train_registers_a_challenger_that_serves_only_past_its_gates(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sets: dict[str, pd.DataFrame],
) -> None:
    """v1 has no champion to beat and serves; a v2 fitted on shuffled labels is refused by its
    quality gate and v1 keeps serving, as `creatormatch train` would decide."""
    real, fitted = training.train_account_model, []
    monkeypatch.setattr(
        training, "train_account_model", lambda *a, **k: fitted.append(real(*a, **k)) or fitted[-1]
    )
    assert accounts_cli.run_train(_args(tmp_path, data=DATA, bootstrap=20)) == 0
    captured = capsys.readouterr()
    table = (tmp_path / "reports" / "accounts.md").read_text()
    for test_set in ("instafake", "kaggle", "ig_pd", "kaggle_test"):
        assert f"| {test_set} |" in table
    assert "| heuristic |" in table and "followers+following only" in table
    assert "accounts: testing on ig_pd" in captured.err
    assert "account model: account v1 (champion): promoted" in captured.out
    manifest = tmp_path / "models" / "account" / "manifest.json"
    served = manifest.read_bytes()

    X, y = features_and_labels(sets["kaggle"])
    shuffled = AccountModel().fit(X, np.random.default_rng(0).permutation(y))
    monkeypatch.setattr(training, "train_account_model", lambda *a, **k: (shuffled, fitted[0][1]))
    assert accounts_cli.run_train(_args(tmp_path, data=DATA, bootstrap=20)) == 0
    out = capsys.readouterr().out
    assert "account model: account v2 (challenger): refused" in out and "ROC-AUC" in out, out
    assert manifest.read_bytes() == served
