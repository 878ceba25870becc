"""`creatormatch train`: fit every model on the home's data, register it in MLflow as challenger,
and make it champion (published in the home) when it passes its gates (challenger.py).

Order matters: the account model scores follower samples (audience quality), which the fraud model
reads; fraud probabilities are in turn a feature of the conversion model.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from creatormatch.core import Home, NotReady, load_published
from creatormatch.features import (
    EngagementBenchmark,
    TextEmbedder,
    benchmark_frame,
    fraud_context,
    fraud_signal_frame,
)
from creatormatch.models import CONVERSION_PARAMS, AccountModel, Fitter
from creatormatch.store import QUALITY_COLUMNS, Catalog, refresh_scores
from creatormatch.training.accounts import (
    AccountReport,
    default_data_dir,
    sets_hash,
    train_account_model,
)
from creatormatch.training.challenger import Decision, Training, challenge
from creatormatch.training.conversion import train_conversion, train_reach
from creatormatch.training.datasets import outcome_rows, split_fraud, split_outcomes
from creatormatch.training.fraud import train_fraud
from creatormatch.training.fraud_report import write_fraud_report
from creatormatch.training.judges import account_judge, conversion_judge, fraud_judge, reach_judge
from creatormatch.training.lineage import rows_hash
from creatormatch.training.model_reports import (
    account_report,
    conversion_report,
    publish_reports,
    reach_report,
)
from creatormatch.training.outcome_checks import screen_outcomes
from creatormatch.training.outcome_weights import outcome_weights
from creatormatch.training.reach_weights import reach_weights
from creatormatch.training.scorecards import fraud_tables
from creatormatch.training.snapshot import write_training_snapshot


@dataclass
class TrainReport:
    steps: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def lines(self) -> list[str]:
        return list(self.steps)


def challenge_accounts(
    home: Home,
    model: AccountModel,
    evaluation: AccountReport,
    data_dir: Path,
    *,
    tracking_uri: str | None,
) -> Decision:
    """Register a fitted account model as challenger; champion only if it passes its gates on
    the frozen Kaggle test split. Its report is staged; `publish_reports` moves it beside the
    served model if it was promoted."""
    training = Training(
        model.params_dict(),
        data_hash=sets_hash(data_dir),
        metrics=evaluation.summary(),
        files=account_report(home, model, data_dir),
    )
    return challenge(
        home, "account", model, account_judge(data_dir), training, tracking_uri=tracking_uri
    )


def train_accounts_step(
    home: Home, data_dir: Path | None, report: TrainReport, *, tracking_uri: str | None
) -> None:
    if load_published(AccountModel.load, home.model_dir("account"))[0] is not None:
        report.steps.append(
            "account model: already trained (retrain with `creatormatch accounts train`)"
        )
        return
    if data_dir is None or not data_dir.is_dir():
        report.steps.append("account model: skipped, no labelled account data (pass --data DIR)")
        return
    model, evaluation = train_account_model(data_dir)
    decision = challenge_accounts(home, model, evaluation, data_dir, tracking_uri=tracking_uri)
    report.decisions.append(decision)
    report.steps.append(
        f"account model: {decision.line()}; trained on the real labelled sets in {data_dir}"
    )


def train_fraud_step(
    home: Home,
    catalog: Catalog,
    report: TrainReport,
    *,
    tracking_uri: str | None,
    fresh: bool,
    fitter: Fitter | None = None,
) -> None:
    labels = catalog.labels()
    ids = sorted(set(labels.index) & set(catalog.creator_ids()))
    if not ids:
        report.steps.append(
            "fraud model: skipped, no labelled creators (run `creatormatch labels ingest FILE`)"
        )
        return
    # The benchmark describes the whole population, labelled or not: "normal for this size".
    benchmark = EngagementBenchmark().fit(benchmark_frame(catalog.records()))
    quality = catalog.features(ids).reindex(columns=list(QUALITY_COLUMNS))
    records = catalog.records(ids)
    frame = fraud_signal_frame(records, benchmark=benchmark, quality=quality)
    context = fraud_context(records)
    split = split_fraud(home, fraud_tables(frame, context, labels.loc[ids]), fresh=fresh)
    train, table = frame.loc[split.train], labels.loc[split.train].reset_index()
    model, metrics = train_fraud(train, table, benchmark=benchmark, fitter=fitter)
    reports = home.reports_dir / "fraud"
    with tempfile.TemporaryDirectory(dir=home.ensure().root) as tmp:
        files = write_fraud_report(model, train, table, Path(tmp), context=context.loc[split.train])
        training = Training(
            asdict(model.params), data_hash=rows_hash(train, table),
            world_seed=catalog.world_seed(), metrics=metrics, files=files,
        )  # fmt: skip
        decision = challenge(
            home, "fraud", model, fraud_judge(split.evalset), training, tracking_uri=tracking_uri
        )
        if decision.promoted:  # the report beside the served model describes that model
            shutil.copytree(tmp, reports, dirs_exist_ok=True)
    if decision.promoted:
        refresh_scores(home, catalog, catalog.creator_ids())
    report.decisions.append(decision)
    report.steps.append(
        f"fraud model: {decision.line()}; {len(ids)} labelled creators, {len(split.train)} "
        f"trained on, judged on {split.describe()}; plots and model card in {reports}"
    )


def train_conversion_step(
    home: Home,
    catalog: Catalog,
    embedder: TextEmbedder,
    report: TrainReport,
    *,
    tracking_uri: str | None,
    fresh: bool,
    fitter: Fitter | None = None,
) -> None:
    """The conversion model and the reach model, both learned from campaign outcomes."""
    screened = screen_outcomes(catalog.outcomes(), known=set(catalog.creator_ids()))
    if not screened.kept:
        report.steps.append(
            "conversion model: skipped, no usable outcomes (run `creatormatch outcomes ingest "
            f"FILE`): {screened.summary()}"
        )
        return
    split = split_outcomes(home, outcome_rows(catalog, embedder, screened.kept), fresh=fresh)
    rows = split.train
    weights, weighting = outcome_weights(rows)
    report.steps.append(f"outcomes: {screened.summary()}; {weighting.summary()}")
    notes = {"outcome_screen": screened.summary(), "outcome_weights": weighting.summary()}
    seed = catalog.world_seed()
    training = Training(
        asdict(CONVERSION_PARAMS), rows_hash(rows.X, rows.conversions, rows.impressions),
        world_seed=seed, metrics=screened.counts() | weighting.counts(), notes=notes,
    )  # fmt: skip
    model = train_conversion(rows, sample_weight=weights, fitter=fitter)
    training = replace(training, files=conversion_report(home, model, split.evalset, screened.kept))
    conversion = challenge(
        home, "conversion", model, conversion_judge(split.evalset), training,
        tracking_uri=tracking_uri,
    )  # fmt: skip
    weights, reach_weighting = reach_weights(rows)
    report.steps.append(f"reach outcomes: {reach_weighting.summary()}")
    reach = train_reach(rows, sample_weight=weights)
    reach_training = Training(
        asdict(reach.params),
        rows_hash(rows.creators, rows.impressions),
        world_seed=seed,
        metrics=screened.counts() | reach_weighting.counts(),
        notes={"outcome_screen": screened.summary(), "reach_weights": reach_weighting.summary()},
        files=reach_report(home, reach, split.evalset, screened.kept),
    )
    reached = challenge(
        home, "reach", reach, reach_judge(split.evalset), reach_training, tracking_uri=tracking_uri
    )
    m, r = conversion.metrics, reached.metrics
    report.decisions += [conversion, reached]
    report.steps += [
        f"conversion model: {conversion.line()}; held-out nDCG@10 {m['ndcg10_model']:.3f} "
        f"(followers {m['ndcg10_followers']:.3f}, embedding only "
        f"{m['ndcg10_embedding_only']:.3f}) on {split.describe()}",
        f"reach model: {reached.line()}; held-out median |log error| of impressions "
        f"{r['reach_log_error_model']:.2f} (organic views {r['reach_log_error_organic']:.2f})",
    ]


def train_all(
    home: Home,
    *,
    embedder: TextEmbedder,
    data_dir: Path | None = None,
    tracking_uri: str | None = None,
    new_eval_set: bool = False,
    fitter: Fitter | None = None,
) -> TrainReport:
    """Fit and register every model, promoting those that pass their gates; `tracking_uri`
    names the MLflow registry (None: the home's own); `new_eval_set` freezes new evaluation
    sets first; `fitter` grows the fraud and conversion boosters (None: in this process;
    `ClusterFitter`: with lightgbm.dask on a cluster)."""
    if not home.catalog.is_file():
        raise NotReady(f"no catalog in {home.root}: run `creatormatch ingest FILE` first")
    report = TrainReport()
    train_accounts_step(home, data_dir or default_data_dir(), report, tracking_uri=tracking_uri)
    catalog = Catalog(home.catalog)
    try:
        refresh_scores(home, catalog, catalog.creator_ids())
        train_fraud_step(
            home, catalog, report, tracking_uri=tracking_uri, fresh=new_eval_set, fitter=fitter
        )
        train_conversion_step(
            home, catalog, embedder, report,
            tracking_uri=tracking_uri, fresh=new_eval_set, fitter=fitter,
        )  # fmt: skip
    finally:
        catalog.close()
    publish_reports(home, report.decisions)
    write_training_snapshot(home, embedder=embedder)
    return report
