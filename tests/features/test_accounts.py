import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.features import (
    CORE_FIELDS,
    FEATURES,
    SampledAccount,
    account_features,
    core_fields_only,
    fields_used,
    from_ig_pd,
    from_instafake,
    from_kaggle,
    from_sampled,
    validated_accounts,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"public account data absent: {DATA}")


def test_features_from_a_subset_leave_the_absent_fields_missing_not_zero() -> None:
    X = account_features(pd.DataFrame({"followers": [100.0], "following": [300.0]}))
    assert list(X.columns) == list(FEATURES)
    assert X.loc[0, "log_following_per_follower"] == pytest.approx(np.log(301 / 101))
    absent = [c for c in FEATURES if c not in {"log_followers", "log_following"}]
    assert X.loc[0, absent].drop("log_following_per_follower").isna().all()


def test_username_text_gives_length_and_digit_ratio_when_numbers_are_absent() -> None:
    X = account_features(pd.DataFrame({"username": ["anna_1990", None]}))
    assert X.loc[0, ["username_length", "username_digit_ratio"]].tolist() == [9.0, 4 / 9]
    assert X.loc[1, ["username_length", "username_digit_ratio"]].isna().all()


def test_sampled_accounts_map_to_canonical_columns_with_none_as_nan() -> None:
    frame = from_sampled([SampledAccount(username="bob22", followers=5, has_profile_pic=False)])
    X = account_features(frame)
    assert X.loc[0, "has_profile_pic"] == 0.0 and X.loc[0, "username_digit_ratio"] == 0.4
    assert np.isnan(X.loc[0, "log_posts"]) and np.isnan(X.loc[0, "has_bio"])


def test_invalid_values_are_reported_per_row_and_blanks_stay_missing() -> None:
    raw = pd.DataFrame(
        {"followers": ["10", "-3", "lots", ""], "is_private": ["yes", "0", "1", "x"]}
    )
    clean, problems = validated_accounts(raw)
    assert problems.tolist()[:2] == ["", "followers: expected a non-negative number"]
    assert "followers" in problems[2] and problems[3] == "is_private: expected 0/1/true/false"
    assert clean.loc[0, "is_private"] == 1.0 and np.isnan(clean.loc[3, "followers"])


@needs_data
def test_instafake_maps_counts_and_username_digits() -> None:
    rows = json.loads((DATA / "instafake/fake-v1.0/fakeAccountData.json").read_text())[:1]
    frame = from_instafake(pd.DataFrame(rows))
    assert frame.loc[0, ["followers", "following", "posts"]].tolist() == [25, 1937, 0]
    X = account_features(frame)
    assert X.loc[0, "username_digit_ratio"] == 0.0 and np.isnan(X.loc[0, "has_full_name"])


@needs_data
def test_kaggle_keeps_the_digit_ratio_and_only_whether_a_full_name_exists() -> None:
    raw = pd.read_csv(DATA / "kaggle-instagram-fake-spammer-genuine/train.csv").head(2)
    X = account_features(from_kaggle(raw))
    assert X["username_digit_ratio"].tolist() == [0.27, 0.0]
    assert X["username_length"].isna().all()  # Kaggle gives no length
    assert X["has_full_name"].tolist() == [0.0, 1.0]  # from word counts 0 and 2
    assert X["has_external_url"].tolist() == [0.0, 0.0]


@needs_data
def test_ig_pd_picture_flag_is_missing_because_it_is_not_comparable() -> None:
    raw = pd.read_csv(DATA / "instagram-ig-pd/ig_PD.csv").head(1)
    frame = from_ig_pd(raw)
    X = account_features(frame)
    assert np.isnan(X.loc[0, "has_profile_pic"])
    assert frame.loc[0, ["followers", "following", "full_name_length"]].tolist() == [3450, 1073, 25]


def test_a_row_without_any_profile_field_is_a_problem_not_a_score() -> None:
    _, problems = validated_accounts(pd.DataFrame({"note": ["x"], "followers": [""]}))
    assert problems[0].startswith("no profile field: expected at least one of username")


def test_fields_used_lists_fields_some_row_gave_in_canonical_order() -> None:
    raw = pd.DataFrame(
        {
            "posts": ["", "12"],
            "username": ["  ", "anna_88"],
            "bio_length": ["", ""],
            "followers": ["40", "300"],
            "note": ["x", "y"],
        }
    )
    clean, _ = validated_accounts(raw)
    # A blank username and a bio length no row gave are missing for the sample, not "used".
    assert fields_used(clean) == ["username", "followers", "posts"]
    assert fields_used(clean.iloc[:1]) == ["followers"]


def test_core_fields_only_keeps_the_six_fields_what_the_username_determines_and_the_label() -> None:
    frame = pd.DataFrame(
        {c: [1.0] for c in (*CORE_FIELDS[1:], "bio_length", "has_external_url", "has_full_name")}
    ).assign(username_length=8.0, username_digits=2.0, is_fake=1)
    kept = core_fields_only(frame)
    assert set(kept.columns) == {*CORE_FIELDS[1:], "username_length", "username_digits", "is_fake"}
    X = account_features(kept)
    assert (
        X[["log_bio_length", "has_bio", "has_external_url", "has_full_name"]].isna().all(axis=None)
    )
    assert X.loc[0, "username_digit_ratio"] == 0.25
