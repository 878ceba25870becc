"""Fit and evaluate the fraud model on labelled creators (the synthetic world or real labels).

`train_fraud` holds out a stratified validation split inside `FraudModel.fit` (calibration and
band thresholds); `evaluate_fraud` scores a *different* labelled set — a held-out world with its
own seed and intensity — and nothing measured there feeds back into fitting.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from creatormatch.core.errors import InvalidInput
from creatormatch.features.engagement import EngagementBenchmark
from creatormatch.features.fraud_signals import fraud_signal_frame
from creatormatch.features.records import CreatorRecord
from creatormatch.models.booster import BoosterParams
from creatormatch.models.fraud import DEFAULT_PARAMS, FraudModel, precision_threshold
from creatormatch.world import WorldParams, generate_world

LOOK_ALIKES = ("viral_spike", "fast_growth", "niche_high_engagement")
LABEL_COLUMNS = ("creator_id", "is_fraud", "archetype")
MIN_COUNTRY_NEGATIVES = 100  # countries with fewer clean creators are too noisy to compare


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
    params: BoosterParams = DEFAULT_PARAMS,
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


def _country_fpr(
    flagged: npt.NDArray[np.bool_], y: npt.NDArray[np.bool_], countries: pd.Series
) -> dict[str, float]:
    clean = pd.DataFrame({"flagged": flagged[~y], "country": countries.to_numpy()[~y]})
    counts = clean.groupby("country")["flagged"].agg(["mean", "size"])
    rates = counts.loc[counts["size"] >= MIN_COUNTRY_NEGATIVES, "mean"]
    return {str(country): float(rate) for country, rate in rates.items()}


def _max_min_ratio(rates: dict[str, float]) -> float:
    """max/min of the rates; 1.0 when all are zero, inf when only the lowest is."""
    if not rates:
        return float("nan")
    low, high = min(rates.values()), max(rates.values())
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
            by_country = _country_fpr(flagged, y, countries.reindex(frame.index).fillna("?"))
            metrics[f"fpr_{band}_country_max_min_ratio"] = _max_min_ratio(by_country)
    return {k: float(v) for k, v in metrics.items()}


def synthetic_fraud_data(
    *, seed: int, n_creators: int, intensities: tuple[float, ...] = (1.0, 0.5, 0.25)
) -> tuple[list[CreatorRecord], pd.DataFrame]:
    """Records and labels of one world per intensity (seeds seed, seed+1, …), ids made unique.

    Training on loud and subtle fraud together is what keeps recall up on subtle worlds.
    """
    records: list[CreatorRecord] = []
    labels = []
    for offset, intensity in enumerate(intensities):
        world = generate_world(
            WorldParams(seed=seed + offset, n_creators=n_creators, fraud_intensity=intensity)
        )
        prefix = f"s{seed + offset}-" if len(intensities) > 1 else ""
        records += [
            CreatorRecord.model_validate({**raw, "creator_id": prefix + raw["creator_id"]})
            for raw in world.records()
        ]
        labels.append(world.labels.assign(creator_id=prefix + world.labels["creator_id"]))
    return records, pd.concat(labels, ignore_index=True)


def degradation_curve(
    model: FraudModel,
    worlds: Mapping[float, tuple[pd.DataFrame, pd.DataFrame]],
    *,
    keys: tuple[str, ...] = ("pr_auc", "roc_auc", "recall_high", "fpr_high"),
) -> pd.DataFrame:
    """One row per fraud intensity: `worlds` maps intensity → (signal frame, labels)."""
    rows = {
        intensity: {k: evaluate_fraud(model, frame, labels)[k] for k in keys}
        for intensity, (frame, labels) in sorted(worlds.items(), reverse=True)
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("intensity")


def held_out_curve(
    model: FraudModel,
    benchmark: EngagementBenchmark,
    *,
    seed: int,
    n_creators: int,
    intensities: tuple[float, ...] = (1.0, 0.5, 0.25),
) -> pd.DataFrame:
    """`degradation_curve` on fresh worlds of one held-out seed (never used for fitting)."""
    worlds = {}
    for intensity in intensities:
        records, labels = synthetic_fraud_data(
            seed=seed, n_creators=n_creators, intensities=(intensity,)
        )
        worlds[intensity] = (fraud_signal_frame(records, benchmark=benchmark), labels)
    return degradation_curve(model, worlds)
