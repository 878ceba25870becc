"""`creatormatch train`: fit every model on the home's data, publish it, register it in MLflow.

Order matters: the account model scores follower samples (audience quality), which the fraud model
reads; fraud probabilities are in turn a feature of the conversion model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from creatormatch.core import Home, NotReady, load_published
from creatormatch.features import (
    EngagementBenchmark,
    TextEmbedder,
    benchmark_frame,
    fraud_signal_frame,
)
from creatormatch.matching import creator_vectors
from creatormatch.models import CONVERSION_PARAMS, AccountModel
from creatormatch.store import QUALITY_COLUMNS, Catalog, refresh_scores
from creatormatch.training.accounts import default_data_dir, sets_hash, train_account_model
from creatormatch.training.conversion import (
    conversion_data,
    evaluate_conversion,
    train_conversion,
    train_reach,
)
from creatormatch.training.fraud import train_fraud
from creatormatch.training.fraud_report import write_fraud_report
from creatormatch.training.promotion import mark_published
from creatormatch.training.registry import log_and_register


@dataclass
class TrainReport:
    steps: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return list(self.steps)


class Publishable(Protocol):
    def save(self, directory: Path, *, metadata: dict[str, Any]) -> dict[str, Any]: ...


def _publish(
    home: Home,
    name: str,
    model: Publishable,
    *,
    params: dict[str, Any],
    metrics: dict[str, float],
    data_hash: str,
    files: Sequence[Path] = (),
    tracking_uri: str | None,
) -> str:
    """Publish `model` under the home (manifest with metrics) and register it as champion in the
    registry at `tracking_uri` (None: the home's own)."""
    finite = {key: float(value) for key, value in metrics.items() if np.isfinite(value)}
    model.save(home.model_dir(name), metadata={"data_hash": data_hash, "metrics": finite})
    version = log_and_register(
        home,
        name=name,
        model_dir=home.model_dir(name),
        params=params,
        metrics=finite,
        files=files,
        tracking_uri=tracking_uri,
    )
    mark_published(home, name, version.version)
    return f"{name} v{version.version} (champion)"


def train_accounts_step(home: Home, data_dir: Path | None, *, tracking_uri: str | None) -> str:
    if load_published(AccountModel.load, home.model_dir("account"))[0] is not None:
        return "account model: already trained (retrain with `creatormatch accounts train`)"
    if data_dir is None or not data_dir.is_dir():
        return "account model: skipped, no labelled account data (pass --data DIR)"
    model, report = train_account_model(data_dir)
    registered = _publish(
        home, "account", model, params=model.params_dict(), metrics=report.summary(),
        data_hash=sets_hash(data_dir), tracking_uri=tracking_uri,
    )  # fmt: skip
    return f"account model: {registered}; trained on the real labelled sets in {data_dir}"


def train_fraud_step(home: Home, catalog: Catalog, *, tracking_uri: str | None) -> str:
    labels = catalog.labels()
    ids = sorted(set(labels.index) & set(catalog.creator_ids()))
    if not ids:
        return "fraud model: skipped, no labelled creators (run `creatormatch labels ingest FILE`)"
    # The benchmark describes the whole population, labelled or not: "normal for this size".
    benchmark = EngagementBenchmark().fit(benchmark_frame(catalog.records()))
    quality = catalog.features(ids).reindex(columns=list(QUALITY_COLUMNS))
    records = catalog.records(ids)
    frame = fraud_signal_frame(records, benchmark=benchmark, quality=quality)
    table = labels.loc[ids].reset_index()
    model, metrics = train_fraud(frame, table, benchmark=benchmark)
    countries = pd.Series({r.creator_id: r.country for r in records})
    files = write_fraud_report(model, frame, table, home.reports_dir / "fraud", countries=countries)
    registered = _publish(
        home, "fraud", model, params=asdict(model.params), metrics=metrics,
        data_hash=catalog.data_hash(), files=files, tracking_uri=tracking_uri,
    )  # fmt: skip
    refresh_scores(home, catalog, catalog.creator_ids())
    return (
        f"fraud model: {registered}; {len(ids)} labelled creators; "
        f"plots and model card in {home.reports_dir / 'fraud'}"
    )


def train_conversion_step(
    home: Home, catalog: Catalog, embedder: TextEmbedder, *, tracking_uri: str | None
) -> list[str]:
    """The conversion model and the reach model, both learned from campaign outcomes."""
    outcomes = catalog.outcomes()
    creator_ids = sorted({o.creator_id for o in outcomes} & set(catalog.creator_ids()))
    if not creator_ids:
        return ["conversion model: skipped, no outcomes (run `creatormatch outcomes ingest FILE`)"]
    records = {r.creator_id: r for r in catalog.records(creator_ids)}
    creators = catalog.features(creator_ids)
    scores = catalog.fraud_scores(creator_ids)
    creators["fraud_probability"] = [
        scores.get(c, {}).get("probability", np.nan) for c in creators.index
    ]
    content, _, _ = creator_vectors(catalog, creator_ids, dimension=embedder.dimension)
    data = conversion_data(
        outcomes, records, creators, dict(zip(creator_ids, content, strict=True)), embedder
    )
    metrics = evaluate_conversion(data)
    data_hash = catalog.data_hash()  # a scan of every creator: once for both models
    registered = _publish(
        home, "conversion", train_conversion(data), params=asdict(CONVERSION_PARAMS),
        metrics=metrics, data_hash=data_hash, tracking_uri=tracking_uri,
    )  # fmt: skip
    reach = train_reach(data)
    reached = _publish(
        home, "reach", reach, params=asdict(reach.params), metrics=metrics, data_hash=data_hash,
        tracking_uri=tracking_uri,
    )  # fmt: skip
    return [
        f"conversion model: {registered}; held-out nDCG@10 {metrics['ndcg10_model']:.3f} "
        f"(followers {metrics['ndcg10_followers']:.3f}, "
        f"embedding only {metrics['ndcg10_embedding_only']:.3f})",
        f"reach model: {reached}; held-out median |log error| of impressions "
        f"{metrics['reach_log_error_model']:.2f} (organic views "
        f"{metrics['reach_log_error_organic']:.2f})",
    ]


def train_all(
    home: Home,
    *,
    embedder: TextEmbedder,
    data_dir: Path | None = None,
    tracking_uri: str | None = None,
) -> TrainReport:
    """Fit, publish and register every model; `tracking_uri` names the MLflow registry (None:
    the home's own)."""
    if not home.catalog.is_file():
        raise NotReady(f"no catalog in {home.root}: run `creatormatch ingest FILE` first")
    report = TrainReport()
    accounts = train_accounts_step(home, data_dir or default_data_dir(), tracking_uri=tracking_uri)
    report.steps.append(accounts)
    catalog = Catalog(home.catalog)
    try:
        refresh_scores(home, catalog, catalog.creator_ids())
        report.steps.append(train_fraud_step(home, catalog, tracking_uri=tracking_uri))
        report.steps.extend(
            train_conversion_step(home, catalog, embedder, tracking_uri=tracking_uri)
        )
    finally:
        catalog.close()
    return report
