"""Fit and evaluate the fraud model on labelled creators (the synthetic world or real labels).

`train_fraud` holds out a stratified validation split inside `FraudModel.fit` (calibration and
band thresholds); `evaluate_fraud` scores a *different* labelled set — a held-out world with its
own seed and intensity — and nothing measured there feeds back into fitting.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from creatormatch.core import InvalidInput
from creatormatch.features import EngagementBenchmark
from creatormatch.models import FRAUD_PARAMS, BoosterParams, FraudModel, precision_threshold

LOOK_ALIKES = ("viral_spike", "fast_growth", "niche_high_engagement")
LABEL_COLUMNS = ("creator_id", "is_fraud", "archetype")
MIN_COUNTRY_CLEAN = 100  # countries with fewer clean creators are too noisy to compare


def aligned_labels(frame: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """`labels` (columns LABEL_COLUMNS) reindexed to the rows of `frame`; every row needs one."""
    missing_columns = sorted(set(LABEL_COLUMNS) - set(labels.columns))
    if missing_columns:
        raise InvalidInput(f"labels need columns {LABEL_COLUMNS}; missing {missing_columns}")
    table = labels.set_index("creator_id").reindex(frame.index)
    unlabelled = table["is_fraud"].isna()
    if unlabelled.any():
        examples = list(frame.index[unlabelled][:3])
        raise InvalidInput(f"{int(unlabelled.sum())} creators have no label, e.g. {examples}")
    return table.assign(
        is_fraud=table["is_fraud"].astype(str).str.lower().isin(["true", "1", "1.0"]),
        archetype=table["archetype"].fillna("none").astype(str),
    )


def train_fraud(
    frame: pd.DataFrame,
    labels: pd.DataFrame,
    *,
    params: BoosterParams = FRAUD_PARAMS,
    benchmark: EngagementBenchmark | None = None,
) -> tuple[FraudModel, dict[str, float]]:
    """Fit on `frame` (fraud_signal_frame output); metrics are those of the validation split."""
    table = aligned_labels(frame, labels)
    model = FraudModel(params=params).fit(frame, table["is_fraud"], benchmark=benchmark)
    metrics = {f"threshold_{name}": cut for name, cut in model.thresholds_.items()}
    metrics |= {
        "train_creators": float(len(frame)),
        "train_fraud_share": float(table["is_fraud"].mean()),
    }
    return model, metrics


def _fpr(flagged: npt.NDArray[np.bool_], negatives: npt.NDArray[np.bool_]) -> float:
    return float(flagged[negatives].mean()) if negatives.any() else float("nan")


def country_fpr(
    flagged: npt.NDArray[np.bool_], clean: npt.NDArray[np.bool_], countries: pd.Series
) -> pd.DataFrame:
    """Per country with ≥ MIN_COUNTRY_CLEAN clean creators: `clean` (count) and `fpr` (flagged
    share of them), lowest FPR first. The arguments are aligned by position, one per creator."""
    table = pd.DataFrame({"flagged": flagged[clean], "country": countries.to_numpy()[clean]})
    stats = table.groupby("country")["flagged"].agg(clean="size", fpr="mean")
    return stats.loc[stats["clean"] >= MIN_COUNTRY_CLEAN].sort_values("fpr")


def _max_min_ratio(rates: pd.Series) -> float:
    """max/min of the rates; 1.0 when all are zero, inf when only the lowest is."""
    if rates.empty:
        return float("nan")
    low, high = float(rates.min()), float(rates.max())
    return 1.0 if high == 0 else (high / low if low > 0 else float("inf"))


def evaluate_fraud(
    model: FraudModel,
    frame: pd.DataFrame,
    labels: pd.DataFrame,
    *,
    countries: pd.Series | None = None,
) -> dict[str, float]:
    """Ranking quality, recall per archetype at 90% precision, FPR on look-alikes and by country.

    FPRs are taken at the model's own band thresholds (chosen on its validation split), as a
    reviewer would see them; `countries` is indexed by creator_id.
    """
    table = aligned_labels(frame, labels)
    y = table["is_fraud"].to_numpy()
    archetypes = table["archetype"].to_numpy()
    p = model.predict_proba(frame)
    metrics = {"pr_auc": float(average_precision_score(y, p)), "roc_auc": roc_auc_score(y, p)}
    at_p90 = p >= precision_threshold(p, y, 0.9)
    metrics["recall_at_p90"] = float(at_p90[y].mean())
    for archetype in sorted(set(archetypes[y])):
        metrics[f"recall_at_p90_{archetype}"] = float(at_p90[archetypes == archetype].mean())
    for band, cut in model.thresholds_.items():
        flagged = p >= cut
        metrics[f"precision_{band}"] = float(y[flagged].mean()) if flagged.any() else float("nan")
        metrics[f"recall_{band}"] = float(flagged[y].mean())
        metrics[f"fpr_{band}"] = _fpr(flagged, ~y)
        for archetype in LOOK_ALIKES:
            metrics[f"fpr_{band}_{archetype}"] = _fpr(flagged, archetypes == archetype)
        if countries is not None:
            by_country = country_fpr(flagged, ~y, countries.reindex(frame.index).fillna("?"))
            metrics[f"fpr_{band}_country_max_min_ratio"] = _max_min_ratio(by_country["fpr"])
    return {k: float(v) for k, v in metrics.items()}
