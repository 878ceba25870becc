"""Fit and evaluate the fraud model on labelled creators (the synthetic world or real labels).

`train_fraud` holds out a stratified validation split inside `FraudModel.fit` (calibration and
band thresholds); `evaluate_fraud` scores a *different* labelled set — a held-out world with its
own seed and intensity — and nothing measured there feeds back into fitting. Rates are taken on
the bands a reviewer sees, evidence rule included (models/fraud_bands.py).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from creatormatch.core import InvalidInput
from creatormatch.features import EngagementBenchmark
from creatormatch.models import (
    FRAUD_PARAMS,
    INSUFFICIENT,
    BoosterParams,
    Fitter,
    FraudModel,
    precision_threshold,
)

LOOK_ALIKES = ("viral_spike", "fast_growth", "niche_high_engagement")
LABEL_COLUMNS = ("creator_id", "is_fraud", "archetype")
MIN_SEGMENT = 20  # a rate over fewer creators is not reported ("–"), here and in the model card
# The bands flagged "at" each band: `medium` counts everyone at medium or above.
AT_BAND = {"high": ("high",), "medium": ("high", "medium")}


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
    fitter: Fitter | None = None,
) -> tuple[FraudModel, dict[str, float]]:
    """Fit on `frame` (fraud_signal_frame output); metrics are those of the validation split.
    `fitter` grows the trees (None: in this process; see models/booster.py)."""
    table = aligned_labels(frame, labels)
    model = FraudModel(params=params, fitter=fitter)
    model.fit(frame, table["is_fraud"], benchmark=benchmark)
    metrics = {f"threshold_{name}": cut for name, cut in model.thresholds_.items()}
    metrics |= {
        "train_creators": float(len(frame)),
        "train_fraud_share": float(table["is_fraud"].mean()),
    }
    return model, metrics


def rate(hits: npt.NDArray[np.bool_], among: npt.NDArray[np.bool_]) -> float:
    """Share of `among` that is a hit; NaN over fewer than MIN_SEGMENT creators."""
    return float(hits[among].mean()) if among.sum() >= MIN_SEGMENT else float("nan")


def flagged_at(bands: npt.ArrayLike, band: str) -> npt.NDArray[np.bool_]:
    """Whether each creator is flagged at `band` (AT_BAND): (n,) bool."""
    return np.isin(np.asarray(bands, dtype=object), AT_BAND[band])


def scored(
    model: FraudModel, frame: pd.DataFrame, context: pd.DataFrame
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """(probabilities, bands) of the rows of `frame`; `context` (fraud_context) by creator_id."""
    missing = frame.index.difference(context.index)
    if len(missing):
        raise InvalidInput(
            f"{len(missing)} creators have no evidence counts, e.g. {list(missing[:3])}"
        )
    p = model.predict_proba(frame)
    return p, np.array(model.risk_band(p, context.reindex(frame.index)), dtype=object)


def evaluate_fraud(
    model: FraudModel, frame: pd.DataFrame, labels: pd.DataFrame, *, context: pd.DataFrame
) -> dict[str, float]:
    """Ranking quality, recall per archetype at 90% precision, and per band its precision, recall
    and FPR (overall and on each look-alike), and the shares left without a verdict.

    Bands are the model's own (thresholds chosen on its validation split, evidence rule applied
    with `context`, the `fraud_context` of the creators), as a reviewer would see them.
    """
    table = aligned_labels(frame, labels)
    y = table["is_fraud"].to_numpy()
    archetypes = table["archetype"].to_numpy()
    p, bands = scored(model, frame, context)
    metrics = {"pr_auc": float(average_precision_score(y, p)), "roc_auc": roc_auc_score(y, p)}
    at_p90 = p >= precision_threshold(p, y, 0.9)
    metrics["recall_at_p90"] = float(at_p90[y].mean())
    for archetype in sorted(set(archetypes[y])):
        metrics[f"recall_at_p90_{archetype}"] = rate(at_p90, archetypes == archetype)
    for band in model.thresholds_:
        flagged = flagged_at(bands, band)
        metrics[f"precision_{band}"] = float(y[flagged].mean()) if flagged.any() else math.nan
        metrics[f"recall_{band}"] = float(flagged[y].mean())
        metrics[f"fpr_{band}"] = float(flagged[~y].mean())
        for archetype in LOOK_ALIKES:
            metrics[f"fpr_{band}_{archetype}"] = rate(flagged, archetypes == archetype)
    # `precision_medium` counts `high` too (the cut's target); the band alone can read far
    # lower, as low as the base rate or below when validation separates the classes.
    alone = np.asarray(bands, dtype=object) == "medium"
    metrics["precision_medium_alone"] = float(y[alone].mean()) if alone.any() else math.nan
    insufficient = bands == INSUFFICIENT
    metrics["insufficient_clean"] = float(insufficient[~y].mean())
    metrics["insufficient_fraud"] = float(insufficient[y].mean())
    return {k: float(v) for k, v in metrics.items()}
