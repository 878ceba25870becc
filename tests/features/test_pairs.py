import math

import numpy as np
import pandas as pd
import pytest

from creatormatch.features import (
    CREATOR_COLUMNS,
    Audience,
    Brief,
    CreatorRecord,
    pair_frame,
    with_creator_columns,
)

BRIEF = Brief(
    text="home workouts",
    countries={"US": 0.7, "GB": 0.3},
    ages=["25-34"],
    genders=["female"],
    interests=["fitness"],
    languages=["en"],
)


def test_audience_fit_is_the_share_inside_each_target() -> None:
    audience = Audience(
        countries={"US": 0.5, "GB": 0.1, "BR": 0.4},
        ages={"25-34": 0.3, "18-24": 0.7},
        genders={"female": 0.8, "male": 0.2},
    )
    record = CreatorRecord(creator_id="a", audience=audience)
    fit = pair_frame(BRIEF, [record], pd.DataFrame(), np.zeros(1, np.float32)).loc["a"]
    assert fit["country_fit"] == pytest.approx(0.6)
    assert fit["age_fit"] == pytest.approx(0.3)
    assert fit["gender_fit"] == pytest.approx(0.8)
    assert math.isnan(fit["interest_fit"])  # the creator's interests are unknown


def test_pair_frame_keeps_record_order_and_marks_unknowns_as_nan() -> None:
    records = [
        CreatorRecord(creator_id="b", language="en", country="US", categories=["fitness"]),
        CreatorRecord(creator_id="a"),
    ]
    creators = pd.DataFrame({"log_followers": [9.0, 10.0]}, index=["a", "b"])
    frame = pair_frame(BRIEF, records, creators, np.array([0.4, 0.1], dtype=np.float32))
    assert list(frame.index) == ["b", "a"]
    assert frame.loc["b", "log_followers"] == 10.0
    assert frame.loc["b", "language_match"] == 1.0 and frame.loc["b", "niche_match"] == 1.0
    assert math.isnan(frame.loc["a", "language_match"]) and math.isnan(
        frame.loc["a", "country_fit"]
    )
    assert set(CREATOR_COLUMNS) <= set(frame.columns)


def test_creator_columns_join_row_for_row_and_refuse_other_creators() -> None:
    pairs = pd.DataFrame({"content_similarity": [0.4, 0.1]}, index=["b", "a"])
    creators = pd.DataFrame(
        {"log_followers": [9.0, 10.0], "median_views": [1.0, 2.0]}, index=["b", "a"]
    )
    frame = with_creator_columns(pairs, creators)
    assert list(frame.columns) == ["content_similarity", *CREATOR_COLUMNS]
    assert list(frame.index) == ["b", "a"] and (frame.dtypes == "float64").all()
    assert frame["log_followers"].tolist() == [9.0, 10.0]
    assert "median_views" not in frame and frame["fraud_probability"].isna().all()
    with pytest.raises(ValueError, match="row for row"):
        with_creator_columns(pairs, creators.iloc[::-1])


def test_creator_columns_are_read_by_name_whatever_their_order_in_the_creators_frame() -> None:
    pairs = pd.DataFrame({"content_similarity": [0.4, 0.1]}, index=["b", "a"])
    creators = pd.DataFrame(
        {"price_per_post": [300.0, 40.0], "median_views": [1.0, 2.0], "fraud_probability": [0.9,
         0.1], "log_followers": [9.0, 10.0], "engagement_rate": [np.nan, 0.05]}, index=["b", "a"]
    )  # fmt: skip
    frame = with_creator_columns(pairs, creators)
    for column in ("price_per_post", "fraud_probability", "log_followers", "engagement_rate"):
        assert frame[column].tolist() == pytest.approx(creators[column].tolist(), nan_ok=True)
    assert frame[["sponsored_share", "audience_fake_share"]].isna().all().all()


def test_similarity_must_align_with_records() -> None:
    with pytest.raises(ValueError, match=r"expected content_similarity of shape \(1,\)"):
        pair_frame(BRIEF, [CreatorRecord(creator_id="a")], pd.DataFrame(), np.zeros(2, np.float32))


def test_language_and_country_match_ignore_case_and_niche_match_does_not() -> None:
    records = [
        CreatorRecord(creator_id="a", language="EN", country="us", categories=["Fitness"]),
        CreatorRecord(creator_id="b", language="es", country="GB", categories=[]),
    ]
    frame = pair_frame(BRIEF, records, pd.DataFrame(), np.zeros(2, np.float32))
    assert frame["language_match"].tolist() == [1.0, 0.0]
    assert frame["country_match"].tolist() == [1.0, 1.0]
    assert frame.loc["a", "niche_match"] == 0.0 and math.isnan(frame.loc["b", "niche_match"])


def test_an_empty_audience_block_is_unknown_not_zero() -> None:
    audience = Audience(countries={"US": 0.5}, ages={})
    record = CreatorRecord(creator_id="a", audience=audience)
    fit = pair_frame(BRIEF, [record], pd.DataFrame(), np.zeros(1, np.float32)).loc["a"]
    assert fit["country_fit"] == 0.5 and math.isnan(fit["age_fit"])
