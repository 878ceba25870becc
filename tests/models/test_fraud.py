import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import ArtifactError, IntegrityError, InvalidInput, NotFitted
from creatormatch.features import (
    EVIDENCE_MINIMUMS,
    Comment,
    CreatorRecord,
    EngagementBenchmark,
    FollowerPoint,
    Post,
    SampledAccount,
    benchmark_frame,
    fraud_context,
    fraud_signal_frame,
)
from creatormatch.models import (
    EVIDENCE,
    FRAUD_BANDS,
    FRAUD_PARAMS,
    INSUFFICIENT,
    FraudModel,
    FraudReport,
    reason_text,
)
from creatormatch.store import fraud_reports
from creatormatch.training import evaluate_fraud, train_fraud
from creatormatch.world import synthetic_fraud_data

TRAIN_SEED, HELD_OUT_SEED, N = 11, 41, 1_200
TEST_PARAMS = replace(FRAUD_PARAMS, n_estimators=150, learning_rate=0.1)
# Measured 0.998, 1.000, 0.005 on this setup (2026-11-23); floors leave a margin for noise.
PR_AUC_FLOOR, ROC_AUC_FLOOR, FPR_HIGH_CEILING = 0.95, 0.97, 0.03
RECALL_AT_P90_FLOOR = 0.95


@pytest.fixture(scope="module")
def trained():
    records, labels = synthetic_fraud_data(seed=TRAIN_SEED, n_creators=N, intensities=(1.0, 0.5))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, params=TEST_PARAMS, benchmark=benchmark)
    return model, records, labels, frame


def _clean(trained) -> CreatorRecord:
    """A legitimate creator the model rates low, with a follower series, posts and full comment
    and follower samples (ordinary evidence)."""
    model, records, labels, frame = trained
    honest = set(labels.loc[labels["archetype"] == "none", "creator_id"])
    bands = model.risk_band(model.predict_proba(frame), fraud_context(records))
    low = {cid for cid, band in zip(frame.index, bands, strict=True) if band == "low"}
    return next(
        r
        for r in records
        if r.creator_id in honest & low
        and r.follower_series
        and len(r.posts) >= 5
        and len(r.comments or []) >= EVIDENCE_MINIMUMS["comments"]
        and len(r.follower_sample or []) >= EVIDENCE_MINIMUMS["sampled_followers"]
    )


def with_follower_jump(record: CreatorRecord, *, share: float = 0.4) -> CreatorRecord:
    """Followers jump by `share` overnight in mid-series, and no post goes up near that day."""
    assert record.follower_series is not None
    series = sorted(record.follower_series, key=lambda p: p.day)
    at = len(series) // 2
    gain = int(share * series[at].followers) + 500
    jumped = [
        p.model_copy(update={"followers": p.followers + gain}) if i >= at else p
        for i, p in enumerate(series)
    ]
    day = series[at].day
    posts = [
        p for p in record.posts if p.posted_at is None or abs((p.posted_at.date() - day).days) > 3
    ]
    return record.model_copy(update={"follower_series": jumped, "posts": posts})


def with_pod(record: CreatorRecord, *, size: int = 15, minutes: float = 3.0) -> CreatorRecord:
    """The same `size` accounts comment on every post within `minutes` of posting."""
    pod = [
        Comment(
            post_id=p.post_id,
            commenter=f"pod_member_{k}",
            text="great content 🔥",
            commented_at=p.posted_at + timedelta(minutes=minutes * (k + 1) / size),
        )
        for p in record.posts
        if p.posted_at is not None
        for k in range(size)
    ]
    return record.model_copy(update={"comments": [*(record.comments or []), *pod]})


@pytest.fixture(scope="module")
def held_out():
    return synthetic_fraud_data(seed=HELD_OUT_SEED, n_creators=N, intensities=(1.0,))


POSTED = datetime(2026, 10, 1, 17, 5, tzinfo=UTC)
BOUGHT_TEXTS = ("love this!", "nice pic", "🔥🔥", "amazing", "great content")


def readme_example(n_comments: int = 1) -> CreatorRecord:
    """The README's one-post record; its comments generic and within minutes of posting."""
    comments = [
        Comment(post_id="p1", commenter=f"fan{i}", text=BOUGHT_TEXTS[i % 5],
                commented_at=POSTED + timedelta(minutes=1 + i % 8))
        for i in range(n_comments)
    ]  # fmt: skip
    return CreatorRecord(
        creator_id="c42", handle="@mia.moves", platform="instagram",
        bio="Home workouts & meal prep", country="US", language="en",
        followers=48_200, following=512, posts_count=630,
        posts=[Post(post_id="p1", caption="20-minute HIIT, no equipment",
                    hashtags=["hiit", "homeworkout"], likes=2_100, comments=85, posted_at=POSTED)],
        audience={"countries": {"US": 0.62, "GB": 0.1}, "ages": {"25-34": 0.45},
                  "genders": {"female": 0.8}, "interests": {"fitness": 0.7}},
        follower_series=[FollowerPoint(day=date(2026, 10, 1), followers=48_100, following=510)],
        comments=comments or None,
        follower_sample=[SampledAccount(username="ana_b", followers=320, following=410,
                                        posts=57, has_profile_pic=True)],
    )  # fmt: skip


def _report(model: FraudModel, record: CreatorRecord, **quality: float) -> FraudReport:
    """The production path: what `refresh_scores` stores and `/v1/fraud/score` returns."""
    table = pd.DataFrame([quality], index=[record.creator_id]) if quality else None
    return model.reports([record], quality=table)[0]


def test_a_follower_jump_with_no_post_flips_a_clean_creator_to_high_risk(trained) -> None:
    model = trained[0]
    clean = _clean(trained)
    assert _report(model, clean).band == "low"
    report = _report(model, with_follower_jump(clean))
    assert report.band == "high"
    assert report.reasons[0].signal == "growth"
    assert report.reasons[0].text.startswith("follower jump of +")
    assert report.evidence is not None and len(report.evidence.jumps) == 1


def test_the_same_commenters_within_minutes_flip_a_clean_creator_to_high_risk(trained) -> None:
    model = trained[0]
    report = _report(model, with_pod(_clean(trained)))
    assert report.band == "high"
    assert {r.signal for r in report.reasons} & {"pod", "comment_text"}
    assert report.evidence is not None
    assert report.evidence.pod_commenters == sorted(f"pod_member_{k}" for k in range(15))


def test_the_stored_report_is_the_report_and_low_risk_carries_no_reasons(trained) -> None:
    model = trained[0]
    clean, jumped = _clean(trained), with_follower_jump(_clean(trained))
    quality = pd.DataFrame(index=[clean.creator_id], columns=["audience_fake_share"], dtype=float)
    rows = fraud_reports([clean, jumped], model, quality)
    stored = [json.loads(report) for _, _, _, report in rows]
    assert [r["band"] for r in stored] == ["low", "high"] and stored[0]["reasons"] == []
    assert stored[1]["reasons"][0] == _report(model, jumped).reasons[0].text
    assert rows[1][1] == stored[1]["probability"] == _report(model, jumped).probability


def test_an_unfitted_model_says_to_call_fit_first() -> None:
    with pytest.raises(NotFitted, match=r"FraudModel is not fitted: call fit\(\)"):
        FraudModel().predict_proba(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(NotFitted, match="call fit"):
        FraudModel().reports([CreatorRecord(creator_id="a")])


def test_records_need_a_model_fitted_with_its_benchmark(trained) -> None:
    _, _, labels, frame = trained
    model, _ = train_fraud(frame, labels, params=replace(TEST_PARAMS, n_estimators=5))
    with pytest.raises(NotFitted, match="engagement benchmark"):
        model.reports([CreatorRecord(creator_id="a")])


def test_reasons_only_push_toward_fraud_and_are_ranked(trained) -> None:
    model, _, _, frame = trained
    for reasons in model.explain(frame.iloc[:200], top=3):
        weights = [r.weight for r in reasons]
        assert len(reasons) <= 3 and all(w > 0 for w in weights)
        assert weights == sorted(weights, reverse=True)


def test_quality_floor_on_a_held_out_world(trained, held_out) -> None:
    model, _, _, _ = trained
    records, labels = held_out
    frame = fraud_signal_frame(records, benchmark=model.benchmark_)
    metrics = evaluate_fraud(model, frame, labels, context=fraud_context(records))
    assert metrics["pr_auc"] >= PR_AUC_FLOOR and metrics["roc_auc"] >= ROC_AUC_FLOOR
    assert metrics["recall_at_p90"] >= RECALL_AT_P90_FLOOR
    assert metrics["fpr_high"] <= FPR_HIGH_CEILING


def test_a_record_without_series_or_comments_still_scores(trained) -> None:
    model = trained[0]
    bare = _clean(trained).model_copy(update={"follower_series": None, "comments": None})
    report = _report(model, bare)
    assert 0.0 <= report.probability <= 1.0 and report.band in FRAUD_BANDS


def test_a_record_with_no_evidence_at_all_gets_no_verdict_and_says_why(trained) -> None:
    report = _report(trained[0], CreatorRecord(creator_id="nothing"))
    assert 0.0 <= report.probability <= 1.0 and report.band == INSUFFICIENT
    assert report.reasons[0].signal == EVIDENCE and report.reasons[0].weight == 0.0
    assert report.reasons[0].text == (
        "nothing to judge by: 0 comments sampled (10 needed), 0 posts with like or comment counts "
        "(3 needed), 0 days of follower history (14 needed), 0 sampled followers (25 needed)"
    )


def test_a_fake_audience_share_from_the_account_model_raises_the_fraud_probability(
    trained,
) -> None:
    """A model trained where bought audiences show in the account model's shares reads them."""
    _, records, labels, _ = trained
    rng = np.random.default_rng(0)
    fraud = labels.set_index("creator_id")["is_fraud"].astype(bool)
    share = np.where(fraud, 0.45, 0.05) + rng.uniform(-0.04, 0.04, len(fraud))
    quality = pd.DataFrame({"audience_fake_share": share}, index=fraud.index)
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark, quality=quality)
    model, _ = train_fraud(frame, labels, params=TEST_PARAMS, benchmark=benchmark)
    clean = _clean(trained)
    real = _report(model, clean, audience_fake_share=0.05)
    bought = _report(model, clean, audience_fake_share=0.45)
    assert bought.probability > 10 * real.probability


def test_save_then_load_gives_identical_scores_and_bands(trained, tmp_path: Path) -> None:
    model, _, _, frame = trained
    model.save(tmp_path / "fraud", metadata={"data": "world"})
    loaded, manifest = FraudModel.load(tmp_path / "fraud")
    assert manifest["model"] == "fraud"
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    assert loaded.thresholds_ == model.thresholds_
    clean = _clean(trained)
    assert _report(loaded, clean) == _report(model, clean)


def test_a_tampered_model_file_is_refused(trained, tmp_path: Path) -> None:
    trained[0].save(tmp_path / "fraud")
    sidecar = tmp_path / "fraud" / "extra.json"
    sidecar.write_text(sidecar.read_text().replace('"high"', '"hi"'))
    with pytest.raises(IntegrityError, match="sha256"):
        FraudModel.load(tmp_path / "fraud")


def test_a_frame_with_other_columns_is_refused_with_the_difference(trained) -> None:
    model, _, _, frame = trained
    with pytest.raises(InvalidInput, match=r"missing \['pod_size'\]"):
        model.predict_proba(frame.drop(columns=["pod_size"]))
    with pytest.raises(InvalidInput, match="unexpected"):
        model.predict_proba(frame.assign(extra=1.0))


def test_a_model_of_another_kind_is_refused(trained, tmp_path: Path) -> None:
    model = trained[0]
    model.booster_.save(tmp_path / "other", extra={}, metadata={"model": "account"})
    with pytest.raises(ArtifactError, match="not fraud"):
        FraudModel.load(tmp_path / "other")


def test_labels_missing_for_some_creators_are_refused(trained) -> None:
    _, _, labels, frame = trained
    with pytest.raises(InvalidInput, match="no label"):
        train_fraud(frame, labels.iloc[10:])


COMMENT_COUNTS = [0, 1, 5, 50, 500]


def _comments_word(n: int) -> str:
    return f"{n} comment{'' if n == 1 else 's'} sampled"


@pytest.mark.parametrize("n_comments", COMMENT_COUNTS)
def test_the_readme_example_never_gets_a_verdict_and_its_first_reason_names_the_counts(
    trained, n_comments
) -> None:
    """One post, one day of history, one sampled follower: with a handful of comments there is
    nothing to judge by; with 50 or 500 the comments are evidence, the follower sample is not."""
    report = _report(trained[0], readme_example(n_comments))
    assert report.band == INSUFFICIENT and report.reasons[0].signal == EVIDENCE
    texts = [r.text for r in report.reasons]
    if n_comments < EVIDENCE_MINIMUMS["comments"]:
        assert texts[0] == (
            f"nothing to judge by: {_comments_word(n_comments)} (10 needed), 1 post with like or "
            "comment counts (3 needed), 1 day of follower history (14 needed), 1 sampled "
            "follower (25 needed)"
        )
        assert "comment_text" not in {r.signal for r in report.reasons}
    else:
        assert texts[0] == "too little evidence for a verdict: 1 sampled follower (25 needed)"
        generic = f"{n_comments} of {n_comments} sampled comments are generic ("
        assert any(text.startswith(generic) for text in texts[1:])


@pytest.mark.parametrize("n_comments", [1, 5])
def test_a_handful_of_fast_generic_comments_scores_as_no_comments(trained, n_comments) -> None:
    model = trained[0]
    none, few = _report(model, readme_example(0)), _report(model, readme_example(n_comments))
    assert few.probability == none.probability


def with_fast_generic_comments(record: CreatorRecord, n: int) -> CreatorRecord:
    """`record` with its comment sample replaced by `n` generic comments within minutes."""
    posts = [p for p in record.posts if p.posted_at is not None]
    comments = [
        Comment(
            post_id=posts[i % len(posts)].post_id,
            commenter=f"fan{i}",
            text=BOUGHT_TEXTS[i % len(BOUGHT_TEXTS)],
            commented_at=posts[i % len(posts)].posted_at + timedelta(minutes=1 + i % 8),  # type: ignore[operator]
        )
        for i in range(n)
    ]
    return record.model_copy(update={"comments": comments or None})


@pytest.mark.parametrize("n_comments", COMMENT_COUNTS)
def test_fast_generic_comments_flag_a_creator_with_ordinary_evidence_only_from_ten_comments(
    trained, n_comments
) -> None:
    report = _report(trained[0], with_fast_generic_comments(_clean(trained), n_comments))
    texts = [r.text for r in report.reasons]
    if n_comments < EVIDENCE_MINIMUMS["comments"]:
        assert report.band in {"low", INSUFFICIENT}
        if report.band == INSUFFICIENT:
            assert texts[0] == (
                f"too little evidence for a verdict: {_comments_word(n_comments)} (10 needed)"
            )
    else:
        assert report.band == "high"
        generic = f"{n_comments} of {n_comments} sampled comments are generic ("
        assert any(text.startswith(generic) for text in texts)


def _clean_records(held_out) -> list[CreatorRecord]:
    records, labels = held_out
    clean = set(labels.loc[~labels["is_fraud"].astype(bool), "creator_id"])
    return [r for r in records if r.creator_id in clean]


def test_no_held_out_clean_creator_with_5_comments_or_20_sampled_followers_is_high(
    trained, held_out
) -> None:
    """Natural thin samples, and every clean creator cut to 5 comments or 20 followers."""
    model = trained[0]
    clean = _clean_records(held_out)
    thin = [r for r in clean if len(r.comments or []) <= 5]
    cut_comments = [
        r.model_copy(update={"comments": (r.comments or [])[:5] or None}) for r in clean
    ]
    cut_followers = [
        r.model_copy(update={"follower_sample": (r.follower_sample or [])[:20] or None})
        for r in clean
    ]
    for group in (thin, cut_comments, cut_followers):
        assert group and "high" not in {report.band for report in model.reports(group)}
    assert "high" in {report.band for report in model.reports(clean)}  # the cut is what matters


def test_a_handful_of_comments_scores_as_none_on_held_out_creators(trained, held_out) -> None:
    model = trained[0]
    clean = _clean_records(held_out)[:300]
    cut = [r.model_copy(update={"comments": (r.comments or [])[:5] or None}) for r in clean]
    bare = [r.model_copy(update={"comments": None}) for r in clean]
    np.testing.assert_array_equal(
        [r.probability for r in model.reports(cut)], [r.probability for r in model.reports(bare)]
    )


@pytest.mark.parametrize("waves", [0.0, float("nan")])
def test_a_churn_reason_never_cites_zero_or_unknown_waves(waves: float) -> None:
    text = reason_text("churn", {"following_reversals": waves, "following_churn": 0.42})
    assert "waves" not in text and "nan" not in text
    assert text == "following count swings by 42% of its size over the series"
    assert "7 follow/unfollow waves" in reason_text("churn", {"following_reversals": 7.0})


@pytest.mark.parametrize(
    ("z", "says"),
    [
        (-1.54, "(-1.5 SD from creators of the same size)"),
        (-0.01, "(typical for creators of the same size)"),
        (float("nan"), "(no benchmark for creators of this size)"),
    ],
)
def test_the_likes_per_comment_reason_never_reads_a_rounded_zero_or_nan_as_a_finding(
    z: float, says: str
) -> None:
    text = reason_text("likes_per_comment", {"likes_per_comment": 74.0, "lpc_robust_z": z})
    assert text == f"74 likes per comment {says}"
    assert "nan" not in text and "0.0 SD" not in text
