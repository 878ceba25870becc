"""The fraud report's four plots (ROC, precision-recall, reliability, reason frequency) as PNGs.

matplotlib's Agg canvas through `Figure` (no pyplot, no global backend), so a server or a test can
call these safely.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

CALIBRATION_BINS = 10


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path


def plot_roc(y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], path: Path) -> Path:
    fpr, tpr, _ = roc_curve(y, p)
    figure = Figure(figsize=(5, 4.5))
    ax = figure.add_subplot()
    ax.plot(fpr, tpr, label=f"model (AUC {roc_auc_score(y, p):.3f})")
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
    ax.set(xlabel="false-positive rate", ylabel="recall (true-positive rate)", title="Fraud ROC")
    ax.legend(loc="lower right")
    return _save(figure, path)


def plot_pr(y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], path: Path) -> Path:
    precision, recall, _ = precision_recall_curve(y, p)
    figure = Figure(figsize=(5, 4.5))
    ax = figure.add_subplot()
    ax.plot(recall, precision, label=f"model (AP {average_precision_score(y, p):.3f})")
    ax.axhline(y.mean(), linestyle=":", color="grey", label=f"prevalence {y.mean():.2f}")
    ax.axhline(0.9, linestyle="--", color="tab:red", linewidth=0.8, label="90% precision")
    ax.set(xlabel="recall", ylabel="precision", title="Fraud precision-recall", ylim=(0, 1.02))
    ax.legend(loc="lower left")
    return _save(figure, path)


def plot_calibration(y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], path: Path) -> Path:
    observed, predicted = calibration_curve(y, p, n_bins=CALIBRATION_BINS, strategy="uniform")
    figure = Figure(figsize=(5, 5.5))
    ax, hist = figure.subplots(2, 1, height_ratios=(3, 1), sharex=True)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    ax.plot(predicted, observed, marker="o", label="model (10 equal-width bins)")
    ax.set(ylabel="observed fraud share", title="Fraud reliability diagram")
    ax.legend(loc="upper left")
    hist.hist(p, bins=40, range=(0, 1), color="tab:blue")
    hist.set(xlabel="predicted probability", ylabel="creators", yscale="log")
    return _save(figure, path)


def plot_reasons(table: pd.DataFrame, flagged: int, path: Path) -> Path:
    figure = Figure(figsize=(6, 0.4 * max(len(table), 3) + 1.2))
    ax = figure.add_subplot()
    rows = np.arange(len(table))[::-1]
    ax.barh(rows + 0.2, table["top3_share"], height=0.4, label="in the top 3 reasons")
    ax.barh(rows - 0.2, table["top1_share"], height=0.4, label="the top reason")
    ax.set_yticks(rows, list(table.index))
    ax.set(xlabel=f"share of {flagged} flagged creators", title="Fraud reason frequency")
    ax.legend(loc="lower right")
    return _save(figure, path)


def write_plots(
    y: npt.NDArray[np.bool_],
    p: npt.NDArray[np.float64],
    reasons: pd.DataFrame,
    flagged: int,
    out_dir: Path,
) -> list[Path]:
    """fraud_roc, fraud_pr, fraud_calibration and fraud_reasons PNGs in `out_dir`; their paths."""
    return [
        plot_roc(y, p, out_dir / "fraud_roc.png"),
        plot_pr(y, p, out_dir / "fraud_pr.png"),
        plot_calibration(y, p, out_dir / "fraud_calibration.png"),
        plot_reasons(reasons, flagged, out_dir / "fraud_reasons.png"),
    ]
