"""The fraud model on held-out labelled creators: the numbers behind `creatormatch evaluate fraud`.

The loud world (fraud intensity 1) carries the fairness tables (FPR per creator language and
country at `high` and `medium`, Wilson intervals, permutation test), the look-alike FPR and the
evidence-size curve: FPR and recall per bucket of sampled comments, plus the same creators with
their samples cut to 5 comments or 20 followers. Subtler worlds (intensity 0.5, 0.25) give the
degradation of ranking and recall. Formatting is in training/fraud_eval_report.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import Home, NotReady
from creatormatch.features import (
    CreatorRecord,
    EngagementBenchmark,
    fraud_context,
    fraud_signal_frame,
)
from creatormatch.models import INSUFFICIENT, LOW, FraudModel
from creatormatch.training.fraud import aligned_labels, evaluate_fraud, flagged_at, scored
from creatormatch.training.fraud_fairness import fairness

INTENSITIES = (1.0, 0.5, 0.25)
GROUPS = ("language", "country")
# Buckets of sampled comments: (label, lowest, highest), the evidence-size curve's rows.
COMMENT_BUCKETS = (
    ("0", 0, 0),
    ("1-5", 1, 5),
    ("6-9", 6, 9),
    ("10-19", 10, 19),
    ("20-29", 20, 29),
    ("30+", 30, 10**9),
)
# The thin samples of the goal "no clean creator with ≤ 5 comments or ≤ 20 sampled followers is
# ever `high`": every held-out creator cut down to them.
THINNED = {"comments": 5, "sampled_followers": 20}
CUT_ROWS = {kind: f"all cut to ≤ {keep} {kind.replace('_', ' ')}" for kind, keep in THINNED.items()}
# The rows of the evidence-size curve that goal is about: natural and cut-down thin samples.
THIN_ROWS = (
    *(f"{label} comments" for label, _, high in COMMENT_BUCKETS if high <= THINNED["comments"]),
    *CUT_ROWS.values(),
)
LabelledData = Callable[[float], tuple[list[CreatorRecord], pd.DataFrame]]
# (band, group) → (FPR per group of clean creators, permutation p of equal FPR)
Fairness = dict[tuple[str, str], tuple[pd.DataFrame, float]]
# One world's creators as banded: (bands, is_fraud, fraud_context), by position.
Banded = tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_], pd.DataFrame]


@dataclass(frozen=True)
class HeldOut:
    """`evaluate_fraud`'s metrics on one labelled set; for the loud one also the fairness tables
    ((band, group) → (FPR table, permutation p)) and the evidence-size curve."""

    metrics: dict[str, float]
    fairness: Fairness
    evidence: pd.DataFrame
    banded: Banded | None = None  # the loud world's, for `pooled_fairness` with more worlds


def _benchmark(model: FraudModel) -> EngagementBenchmark:
    if model.benchmark_ is None:
        raise NotReady("this fraud model was saved without its engagement benchmark: retrain it")
    return model.benchmark_


def load_evaluated_model(home: Home) -> FraudModel:
    """The home's fraud model, which must carry its engagement benchmark."""
    if not (home.model_dir("fraud") / "manifest.json").is_file():
        raise NotReady(f"no fraud model in {home.root}: run `creatormatch train` first")
    model, _ = FraudModel.load(home.model_dir("fraud"))
    _benchmark(model)
    return model


def _banded(
    model: FraudModel, records: Sequence[CreatorRecord]
) -> tuple[pd.DataFrame, pd.DataFrame, npt.NDArray[np.object_]]:
    """(signal frame, fraud_context, bands) of `records`."""
    frame = fraud_signal_frame(records, benchmark=_benchmark(model))
    frame = frame.loc[:, model.feature_names_in_]
    context = fraud_context(records)
    return frame, context, scored(model, frame, context)[1]


def _curve_row(bands: npt.NDArray[np.object_], y: npt.NDArray[np.bool_]) -> dict[str, float]:
    """FPR at each band and recall of one set of creators; NaN over an empty class."""

    def share(hits: npt.NDArray[np.bool_], among: npt.NDArray[np.bool_]) -> float:
        return float(hits[among].mean()) if among.any() else float("nan")

    return {
        "clean": int((~y).sum()),
        "fraud": int(y.sum()),
        "fpr_high": share(flagged_at(bands, "high"), ~y),
        "fpr_medium": share(flagged_at(bands, "medium"), ~y),
        "insufficient_clean": share(bands == INSUFFICIENT, ~y),
        "recall_high": share(flagged_at(bands, "high"), y),
        "recall_flagged": share(bands != LOW, y),
        "clean_high": int((flagged_at(bands, "high") & ~y).sum()),
    }


def thinned(record: CreatorRecord, kind: str) -> CreatorRecord:
    """`record` with its comment or follower sample cut to THINNED[kind] entries."""
    field = {"comments": "comments", "sampled_followers": "follower_sample"}[kind]
    sample = getattr(record, field) or []
    return record.model_copy(update={field: sample[: THINNED[kind]] or None})


def evidence_curve(
    model: FraudModel,
    records: Sequence[CreatorRecord],
    y: npt.NDArray[np.bool_],
    bands: npt.NDArray[np.object_],
) -> pd.DataFrame:
    """One row per bucket of sampled comments (COMMENT_BUCKETS), then one per THINNED cut of
    every creator: `_curve_row`'s clean/fraud counts, FPRs and recalls."""
    comments = np.array([len(r.comments or []) for r in records])
    rows = {
        f"{label} comments": _curve_row(bands[inside], y[inside])
        for label, low, high in COMMENT_BUCKETS
        if (inside := (comments >= low) & (comments <= high)).any()
    }
    for kind, label in CUT_ROWS.items():
        cut = [thinned(r, kind) for r in records]
        rows[label] = _curve_row(_banded(model, cut)[2], y)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("evidence")


def evaluate_heldout(
    model: FraudModel, records: Sequence[CreatorRecord], labels: pd.DataFrame, *, loud: bool
) -> HeldOut:
    """Metrics of `model` on labelled creators it never saw; with `loud`, also the fairness
    tables and the evidence-size curve (which scores the records twice more)."""
    frame, context, bands = _banded(model, records)
    metrics = evaluate_fraud(model, frame, labels, context=context)
    if not loud:
        return HeldOut(metrics, {}, pd.DataFrame())
    y = aligned_labels(frame, labels)["is_fraud"].to_numpy()
    tables = _fairness_tables(model, bands, y, context)
    return HeldOut(metrics, tables, evidence_curve(model, records, y, bands), (bands, y, context))


def _fairness_tables(
    model: FraudModel,
    bands: npt.NDArray[np.object_],
    y: npt.NDArray[np.bool_],
    context: pd.DataFrame,
    strata: npt.NDArray[np.int64] | None = None,
) -> Fairness:
    """(band, group) → (FPR table, permutation p) of clean creators, within `strata` if given."""
    return {
        (band, group): fairness(
            flagged_at(bands, band),
            ~y,
            context[group].fillna("unknown").to_numpy(),
            strata=strata,
        )
        for band in model.thresholds_
        for group in GROUPS
    }


def banded_world(
    model: FraudModel, records: Sequence[CreatorRecord], labels: pd.DataFrame
) -> Banded:
    """(bands, is_fraud, fraud_context) of a labelled world's creators."""
    frame, context, bands = _banded(model, records)
    return bands, aligned_labels(frame, labels)["is_fraud"].to_numpy(), context


def pooled_fairness(model: FraudModel, worlds: Sequence[Banded]) -> Fairness:
    """The fairness tables of several banded worlds' creators together: FPR per group over all
    of them, and a permutation test that shuffles flags within each world."""
    return _fairness_tables(
        model,
        np.concatenate([bands for bands, _, _ in worlds]),
        np.concatenate([y for _, y, _ in worlds]),
        pd.concat([context for _, _, context in worlds]),
        np.repeat(np.arange(len(worlds)), [y.size for _, y, _ in worlds]),
    )


def evaluate_intensities(model: FraudModel, data: LabelledData) -> dict[float, HeldOut]:
    """`evaluate_heldout` on `data(intensity)` for each of INTENSITIES (the first is loud)."""
    return {
        intensity: evaluate_heldout(model, *data(intensity), loud=intensity == INTENSITIES[0])
        for intensity in INTENSITIES
    }
