"""Plots of the account, conversion and reach model reports, as PNGs through matplotlib's Agg
canvas (`Figure`, no pyplot), like the fraud report's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve

from creatormatch.training.fraud_plots import CALIBRATION_BINS, _save


def plot_decile_calibration(table: pd.DataFrame, unit: str, title: str, path: Path) -> Path:
    """Observed against predicted per unit of exposure, one point per decile (`decile_table`),
    on log axes: a calibrated model sits on the diagonal."""
    predicted, observed = table["predicted_per_unit"], table["observed_per_unit"]
    figure = Figure(figsize=(5, 5))
    ax = figure.add_subplot()
    shown = np.r_[predicted[predicted > 0], observed[observed > 0]]
    low, high = (shown.min() / 1.5, shown.max() * 1.5) if shown.size else (0.1, 10.0)
    ax.plot([low, high], [low, high], linestyle=":", color="grey", label="perfectly calibrated")
    ax.plot(predicted, observed, marker="o", label="model, one point per decile")
    for decile, x, y in zip(table.index, predicted, observed, strict=True):
        ax.annotate(str(decile), (x, y), textcoords="offset points", xytext=(4, -8), fontsize=7)
    ax.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high), title=title,
           xlabel=f"predicted {unit}", ylabel=f"observed {unit}")  # fmt: skip
    ax.legend(loc="upper left")
    return _save(figure, path)


def plot_deciles(table: pd.DataFrame, what: str, title: str, path: Path) -> Path:
    """Predicted and observed totals per decile of the prediction, side by side."""
    figure = Figure(figsize=(7, 4))
    ax = figure.add_subplot()
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["predicted"], width=0.4, label="predicted")
    ax.bar(x + 0.2, table["observed"], width=0.4, label="observed")
    ax.set_xticks(x, [str(d) for d in table.index])
    ax.set(xlabel="decile of the prediction (1 = lowest)", ylabel=what, title=title)
    ax.legend(loc="upper left")
    return _save(figure, path)


def plot_ndcg_by_category(table: pd.DataFrame, title: str, path: Path) -> Path:
    """Mean nDCG@10 per brief category (`ndcg_by_category`), the model beside its baselines."""
    rankers = [c for c in table.columns if c != "campaigns"]
    figure = Figure(figsize=(7, 0.3 * len(table) * max(len(rankers) / 2, 1) + 1.5))
    ax = figure.add_subplot()
    rows = np.arange(len(table))[::-1]
    height = 0.8 / len(rankers)
    for i, ranker in enumerate(rankers):
        ax.barh(rows + 0.4 - (i + 0.5) * height, table[ranker], height=height, label=ranker)
    ax.set_yticks(
        rows, [f"{c} ({n})" for c, n in zip(table.index, table["campaigns"], strict=True)]
    )
    ax.set(xlabel="mean nDCG@10 (campaigns in brackets)", xlim=(0, 1), title=title)
    ax.legend(loc="lower right", fontsize="small")
    return _save(figure, path)


def plot_binary_calibration(
    y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], title: str, path: Path
) -> Path:
    """Reliability diagram over CALIBRATION_BINS equal-width bins, with the histogram of p."""
    observed, predicted = calibration_curve(y, p, n_bins=CALIBRATION_BINS, strategy="uniform")
    figure = Figure(figsize=(5, 5.5))
    ax, hist = figure.subplots(2, 1, height_ratios=(3, 1), sharex=True)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    ax.plot(predicted, observed, marker="o", label="model (10 equal-width bins)")
    ax.set(ylabel="observed positive share", title=title)
    ax.legend(loc="upper left")
    hist.hist(p, bins=40, range=(0, 1), color="tab:blue")
    hist.set(xlabel="predicted probability", ylabel="accounts", yscale="log")
    return _save(figure, path)
