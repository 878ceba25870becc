"""The drift monitor's plots as PNGs: PSI per check against the thresholds, the binned
distributions that moved most, and the missing-evidence shares.

matplotlib's Agg canvas through `Figure` (no pyplot, no global backend), as the fraud report.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from creatormatch.training.drift import Thresholds
from creatormatch.training.fraud_plots import _save
from creatormatch.training.monitor import Check

COLOURS = {"ok": "tab:green", "watch": "tab:orange", "drift": "tab:red"}
SHOWN = 6  # distributions drawn, the highest PSI first


def _floats(values: list[float | None]) -> npt.NDArray[np.float64]:
    """None (nothing measured) as NaN, which matplotlib leaves undrawn."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def plot_psi(checks: list[Check], thresholds: Thresholds, path: Path) -> Path:
    """One bar per check with a PSI (features, scores, embeddings), highest at the top."""
    rated = sorted((c for c in checks if c.psi is not None), key=lambda c: c.psi or 0.0)
    figure = Figure(figsize=(7, 0.28 * max(len(rated), 4) + 1.4))
    ax = figure.add_subplot()
    rows = np.arange(len(rated))
    ax.barh(rows, _floats([c.psi for c in rated]), color=[COLOURS[c.status] for c in rated])
    ax.set_yticks(rows, [f"{c.kind}: {c.name}" for c in rated], fontsize="small")
    ax.axvline(thresholds.psi_watch, linestyle=":", color="tab:orange", label="watch")
    ax.axvline(thresholds.psi_drift, linestyle="--", color="tab:red", label="drift")
    ax.set(xlabel="PSI against the training snapshot (linear to `watch`, log above)",
           title="Drift per check")  # fmt: skip
    # Log above `watch`: a drifted feature's PSI can be 100 times the threshold.
    ax.set_xscale("symlog", linthresh=thresholds.psi_watch)
    top = max([thresholds.psi_drift * 2, *(1.5 * (c.psi or 0.0) for c in rated)])
    ticks = [t for t in (0.0, thresholds.psi_watch, thresholds.psi_drift, 1, 10, 100) if t < top]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlim(0, top)
    ax.legend(loc="lower right")
    return _save(figure, path)


def plot_distributions(checks: list[Check], path: Path) -> Path:
    """Share per reference bin at training and today, for the SHOWN checks that moved most."""
    moved = sorted((c for c in checks if c.shares is not None), key=lambda c: -(c.psi or 0.0))
    moved = moved[:SHOWN]
    columns = min(len(moved), 3) or 1
    rows = max((len(moved) + columns - 1) // columns, 1)
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows))
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False).ravel())
    for ax, check in zip(axes, moved, strict=False):
        assert check.shares is not None
        before, today = check.shares
        x = np.arange(len(before))
        ax.bar(x - 0.2, before, width=0.4, label="training")
        ax.bar(x + 0.2, today, width=0.4, label="today")
        ax.set_xticks(x, [*(str(i + 1) for i in range(len(before) - 1)), "NaN"], fontsize="small")
        ax.set(title=f"{check.name} (PSI {check.psi:.2f})", xlabel="reference bin", ylabel="share")
        ax.legend(fontsize="small")
    for ax in axes[len(moved) :]:
        ax.set_axis_off()
    return _save(figure, path)


def plot_evidence(checks: list[Check], path: Path) -> Path:
    """Share of creators missing each kind of evidence, at training and today."""
    evidence = [c for c in checks if c.kind == "evidence"]
    figure = Figure(figsize=(6, 3.8))
    ax = figure.add_subplot()
    x = np.arange(len(evidence))
    ax.bar(x - 0.2, _floats([c.reference for c in evidence]), width=0.4, label="training")
    ax.bar(x + 0.2, _floats([c.current for c in evidence]), width=0.4, label="today",
           color=[COLOURS[c.status] for c in evidence])  # fmt: skip
    ax.set_xticks(x, [c.name for c in evidence], rotation=20, ha="right")
    ax.set(ylabel="share of creators", ylim=(0, 1), title="Creators missing evidence")
    ax.legend()
    return _save(figure, path)


def write_monitor_plots(checks: list[Check], thresholds: Thresholds, out_dir: Path) -> list[Path]:
    """drift_psi, drift_distributions and drift_evidence PNGs in `out_dir`; their paths."""
    return [
        plot_psi(checks, thresholds, out_dir / "drift_psi.png"),
        plot_distributions(checks, out_dir / "drift_distributions.png"),
        plot_evidence(checks, out_dir / "drift_evidence.png"),
    ]
