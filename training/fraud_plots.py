"""The fraud report's plots as PNGs: ROC, precision-recall, reliability and reason frequency (the
model card), and the evidence-size curve and FPR per group (the held-out evaluation).

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


def plot_evidence_curve(curve: pd.DataFrame, path: Path) -> Path:
    """FPR of clean creators and recall of fraud per evidence row (`evidence_curve` output)."""
    figure = Figure(figsize=(7, 4.5))
    ax = figure.add_subplot()
    x = np.arange(len(curve))
    for column, style in (
        ("fpr_high", "o-"),
        ("fpr_medium", "s-"),
        ("insufficient_clean", "^:"),
        ("recall_high", "o--"),
        ("recall_flagged", "s--"),
    ):
        ax.plot(x, curve[column], style, label=column)
    ax.set_xticks(x, list(curve.index), rotation=30, ha="right")
    ax.set(ylabel="share", ylim=(-0.02, 1.02), title="Fraud bands by evidence size")
    ax.legend(loc="center right", fontsize="small")
    return _save(figure, path)


def plot_group_fpr(tables: dict[str, tuple[pd.DataFrame, float]], group: str, path: Path) -> Path:
    """FPR per group with its Wilson 95 % interval, one panel per band; `tables` maps a band to
    (`group_fpr` table, permutation p)."""
    figure = Figure(figsize=(5 * len(tables), 0.3 * max(len(t) for t, _ in tables.values()) + 2))
    for ax, (band, (table, p)) in zip(figure.subplots(1, len(tables)), tables.items(), strict=True):
        rows = np.arange(len(table))
        errors = [table["fpr"] - table["low"], table["high"] - table["fpr"]]
        ax.errorbar(table["fpr"], rows, xerr=errors, fmt="o", capsize=3)
        if len(table):  # every group under the size floor leaves nothing to compare
            ax.axvline(table["flagged"].sum() / table["clean"].sum(), linestyle=":", color="grey")
        ax.set_yticks(rows, list(table.index))
        ax.set(xlabel=f"FPR at `{band}`", title=f"by {group}: permutation p = {p:.3f}")
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
