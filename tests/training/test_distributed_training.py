"""Fraud and conversion boosters grown with lightgbm.dask on a real 2-worker LocalCluster score
like the ones grown in one process (scale extra; docs/decisions/0023-lightgbm-dask-training.md).

Data-parallel LightGBM is not bit-identical to one process: each feature's bins come from one
worker's rows, histograms are summed across workers, and lightgbm.dask ranks the workers in an
order that changes from run to run. So the tests pin quality (held-out ROC-AUC, nDCG) within a
tolerance and scores by correlation, and the things that must hold exactly (constraints, offsets,
weights, save/load, band names) exactly.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from creatormatch.cli import main
from creatormatch.core import get_settings
from creatormatch.features import EngagementBenchmark, benchmark_frame, fraud_signal_frame
from creatormatch.matching import dask_client
from creatormatch.models import ConversionModel, FraudModel
from creatormatch.training import (
    ClusterFitter,
    aligned_labels,
    ndcg_at_k,
    train_on_partitions,
    trained_home,
)
from creatormatch.world import synthetic_fraud_data
from tests.trained_world import EMBEDDER, NO_ACCOUNT_DATA, SEED

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

# Measured over 5 cluster fits of these frames (docs/decisions/0023): held-out ROC-AUC moved by
# at most 0.0034 and nDCG@10 by 0.0004; probabilities correlated >= 0.9946, log-rates >= 0.9994.
# A 1,400-row fraud frame gave 0.9916, hence the margin.
AUC_TOLERANCE, NDCG_TOLERANCE = 0.01, 0.01
MIN_PROBABILITY_CORRELATION, MIN_RATE_CORRELATION = 0.97, 0.99


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2, scheduler=None) as client:
        yield client


@dataclass(frozen=True)
class FraudData:
    X: pd.DataFrame
    y: npt.NDArray[np.bool_]
    test_X: pd.DataFrame
    test_y: npt.NDArray[np.bool_]


def fraud_data() -> FraudData:
    """2,000 labelled world creators (loud and subtle fraud) to fit on, 600 of a subtle world
    with other seeds to score."""
    records, labels = synthetic_fraud_data(seed=11, n_creators=1000, intensities=(1.0, 0.5))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    X = fraud_signal_frame(records, benchmark=benchmark)
    test_records, test_labels = synthetic_fraud_data(seed=31, n_creators=600, intensities=(0.5,))
    test_X = fraud_signal_frame(test_records, benchmark=benchmark)
    return FraudData(
        X,
        aligned_labels(X, labels)["is_fraud"].to_numpy(),
        test_X,
        aligned_labels(test_X, test_labels)["is_fraud"].to_numpy(),
    )


@dataclass(frozen=True)
class ConversionRows:
    X: pd.DataFrame
    conversions: npt.NDArray[np.float64]
    impressions: npt.NDArray[np.float64]
    campaigns: npt.NDArray[np.int64]
    true_rate: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]


def conversion_rows(*, seed: int, campaigns: int = 40, per_campaign: int = 100) -> ConversionRows:
    """Pairs whose true rate rises with content similarity and country fit and falls with fraud
    risk; a quarter of the campaigns report 4x their conversions and carry weight 0, as the
    outcome screen would leave them."""
    rng = np.random.default_rng(seed)
    n = campaigns * per_campaign
    X = pd.DataFrame({
        "content_similarity": rng.uniform(0, 1, n), "country_fit": rng.uniform(0, 1, n),
        "fraud_probability": rng.beta(1, 6, n), "log_followers": rng.normal(10, 1.5, n),
    })  # fmt: skip
    log_rate = (
        -6.5 + 1.6 * X["content_similarity"] + 0.8 * X["country_fit"]
        - 2.0 * X["fraud_probability"] + 0.15 * (X["log_followers"] - 10)
    ).to_numpy()  # fmt: skip
    impressions = rng.integers(2_000, 80_000, n).astype(np.float64)
    campaign = np.repeat(np.arange(campaigns), per_campaign)
    made_up = campaign % 4 == 0
    conversions = rng.poisson(np.exp(log_rate) * impressions * np.where(made_up, 4.0, 1.0))
    return ConversionRows(
        X, conversions.astype(np.float64), impressions, campaign, np.exp(log_rate),
        np.where(made_up, 0.0, 1.0),
    )  # fmt: skip


def mean_ndcg10(scores: npt.NDArray[np.float64], rows: ConversionRows) -> float:
    """Mean over campaigns of nDCG@10 of the true rates in the order of `scores`."""
    values = []
    for c in np.unique(rows.campaigns):
        mask = rows.campaigns == c
        order = np.argsort(-scores[mask], kind="stable")
        values.append(ndcg_at_k(rows.true_rate[mask][order], rows.true_rate[mask], k=10))
    return float(np.mean(values))


@pytest.fixture(scope="module")
def fraud() -> FraudData:
    return fraud_data()


@pytest.fixture(scope="module")
def fraud_models(fraud: FraudData, client) -> tuple[FraudModel, FraudModel]:
    """(one process, two workers), fitted on the same rows."""
    alone = FraudModel().fit(fraud.X, fraud.y)
    return alone, FraudModel(fitter=ClusterFitter(client)).fit(fraud.X, fraud.y)


@pytest.fixture(scope="module")
def conversion_models(client) -> tuple[ConversionModel, ConversionModel, ConversionRows]:
    rows = conversion_rows(seed=1)

    def fit(model: ConversionModel) -> ConversionModel:
        return model.fit(rows.X, rows.conversions, rows.impressions, sample_weight=rows.weight)

    return fit(ConversionModel()), fit(ConversionModel(fitter=ClusterFitter(client))), rows


def test_fraud_model_grown_on_two_workers_ranks_held_out_creators_like_one_process(
    fraud: FraudData, fraud_models: tuple[FraudModel, FraudModel]
) -> None:
    alone, spread = fraud_models
    p_alone, p_spread = alone.predict_proba(fraud.test_X), spread.predict_proba(fraud.test_X)
    auc_alone = roc_auc_score(fraud.test_y, p_alone)
    assert auc_alone > 0.9  # the comparison means something only for a model that works
    assert abs(roc_auc_score(fraud.test_y, p_spread) - auc_alone) <= AUC_TOLERANCE
    assert np.corrcoef(p_alone, p_spread)[0, 1] >= MIN_PROBABILITY_CORRELATION
    assert spread.booster_.booster_.num_trees() == alone.params.n_estimators
    assert set(spread.thresholds_) == set(alone.thresholds_) == {"high", "medium"}
    assert spread.thresholds_["high"] > spread.thresholds_["medium"]


def test_a_fraud_model_grown_on_the_cluster_saves_loads_and_explains_as_any(
    fraud: FraudData, fraud_models: tuple[FraudModel, FraudModel], tmp_path: Path
) -> None:
    spread = fraud_models[1]
    spread.save(tmp_path / "fraud")
    loaded, manifest = FraudModel.load(tmp_path / "fraud")
    assert manifest["model"] == "fraud"
    np.testing.assert_array_equal(
        loaded.predict_proba(fraud.test_X), spread.predict_proba(fraud.test_X)
    )
    assert (loaded.calibration_, loaded.thresholds_) == (spread.calibration_, spread.thresholds_)
    riskiest = fraud.test_X.iloc[[int(np.argmax(loaded.predict_proba(fraud.test_X)))]]
    (why,) = loaded.explain(riskiest)
    assert why and all(reason.weight > 0 and reason.text for reason in why)


def test_conversion_model_grown_on_two_workers_ranks_pairs_like_one_process(
    conversion_models: tuple[ConversionModel, ConversionModel, ConversionRows],
) -> None:
    alone, spread, _ = conversion_models
    held_out = conversion_rows(seed=2)
    rate_alone, rate_spread = alone.rate(held_out.X), spread.rate(held_out.X)
    ndcg_alone = mean_ndcg10(rate_alone, held_out)
    assert ndcg_alone > 0.8
    assert abs(mean_ndcg10(rate_spread, held_out) - ndcg_alone) <= NDCG_TOLERANCE
    assert np.corrcoef(np.log(rate_alone), np.log(rate_spread))[0, 1] >= MIN_RATE_CORRELATION


def test_the_cluster_keeps_the_exposure_offset_and_the_weights(
    conversion_models: tuple[ConversionModel, ConversionModel, ConversionRows],
) -> None:
    """Rates, not counts, and the made-up campaigns (weight 0) ignored: expected conversions on
    the trusted rows match what they reported. A dropped offset would be off ~200x (counts
    read as rates), dropped weights 1.69x (measured)."""
    _, spread, rows = conversion_models
    trusted = rows.weight > 0
    expected = spread.rate(rows.X[trusted]) * rows.impressions[trusted]
    assert expected.sum() / rows.conversions[trusted].sum() == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize(("column", "sign"), [("content_similarity", 1), ("fraud_probability", -1)])
def test_the_cluster_grown_conversion_model_keeps_its_monotone_constraints(
    conversion_models: tuple[ConversionModel, ConversionModel, ConversionRows],
    column: str,
    sign: int,
) -> None:
    spread, rows = conversion_models[1], conversion_models[2]
    grid = np.linspace(0, 1, 21)
    base = rows.X.iloc[:200]
    # (21, 200): the rate of each of 200 pairs as `column` sweeps 0 → 1, all else held
    rates = np.stack([spread.rate(base.assign(**{column: value})) for value in grid])
    assert (sign * np.diff(rates, axis=0) >= 0).all()
    assert (sign * (rates[-1] - rates[0]) > 0).mean() > 0.9  # and the effect is really there


def test_parquet_partitions_train_where_they_lie(
    fraud: FraudData, fraud_models: tuple[FraudModel, FraudModel], client, tmp_path: Path
) -> None:
    """A frame that never sits whole in one place: each worker reads its own Parquet part."""
    import dask.dataframe as dd

    frame = fraud.X.assign(label=fraud.y.astype(np.float64)).reset_index(drop=True)
    (tmp_path / "rows").mkdir()
    for part, rows in enumerate(
        np.array_split(np.random.default_rng(0).permutation(len(frame)), 2)
    ):
        frame.iloc[np.sort(rows)].to_parquet(tmp_path / "rows" / f"part-{part}.parquet")
    params = FraudModel().params
    booster = train_on_partitions(
        client, dd.read_parquet(tmp_path / "rows"), list(fraud.X.columns), label="label",
        params=params,
    )  # fmt: skip
    alone = fraud_models[0].booster_.predict_raw(fraud.test_X)
    raw = booster.predict(fraud.test_X, raw_score=True)
    assert booster.num_trees() == params.n_estimators
    assert abs(roc_auc_score(fraud.test_y, raw) - roc_auc_score(fraud.test_y, alone)) <= 0.02


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's own refusals
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--workers", "0"], "--workers: expected a positive number of workers, got 0"),
        (["--workers", "two"], "argument --workers: invalid int value: 'two'"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "not allowed with argument"),
        (["--scheduler", "nonsense"], "--scheduler: no Dask scheduler at 'nonsense'"),
        (["--scheduler", "foo://bar"], "--scheduler: no Dask scheduler at 'foo://bar'"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler: no Dask scheduler at 'tcp://127"),
    ],
)
def test_train_refuses_bad_cluster_flags_with_exit_2_naming_the_flag(
    flags: list[str], message: str, tmp_path: Path
) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, out, err = cli("--home", str(tmp_path / "home"), "train", *flags)
    assert code == 2 and message in err and out == ""


def _larger_trained_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained home of 600 creators. Boosters grown on a cluster differ from fit to fit (ADR
    0023), and on the 300-creator world the 60 creators of the fraud validation split left the
    `high` band to that chance: training failed in about one run in three."""

    def write(out: Path) -> Path:
        argv = ["world", "--creators", "600", "--seed", str(SEED), "--out", str(out)]
        assert main([*argv, "--no-progress", "--workers", "1"]) == 0
        return out

    root = tmp_path_factory.getbasetemp() / "trained-world-600"
    return trained_home(root, write, embedder=EMBEDDER, account_data=NO_ACCOUNT_DATA).root


def test_train_with_a_scheduler_grows_the_boosters_on_its_workers(
    client, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import get_task_stream
    from distributed.utils import key_split

    home = tmp_path_factory.mktemp("cluster-train") / "home"
    shutil.copytree(_larger_trained_world(tmp_path_factory), home)
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    try:
        with get_task_stream(client) as stream:
            argv = [
                "train",
                "--data",
                str(NO_ACCOUNT_DATA),
                "--scheduler",
                client.scheduler.address,
            ]
            code, out, err = cli("--home", str(home), *argv)
    finally:
        get_settings.cache_clear()
    assert code == 0, err
    assert "fraud model: fraud v2" in out and "conversion model: conversion v2" in out
    training = [t for t in stream.data if key_split(t["key"]) == "train_part"]
    # one booster each for fraud and conversion, each grown by both workers together
    assert len(training) == 4 and len({t["worker"] for t in training}) == 2
