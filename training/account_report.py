"""The account model's report: its metrics beside the three-rule heuristic and its reliability
diagram, on the Kaggle test split (the frozen set the account model is judged on, which no
account model trains on; docs/decisions/0003)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from creatormatch.features import SUSPICIOUS_PROBABILITY
from creatormatch.models import AccountModel
from creatormatch.training.account_metrics import METRICS, account_metrics, heuristic_scores
from creatormatch.training.accounts import features_and_labels, load_sets
from creatormatch.training.markdown import frame_table
from creatormatch.training.model_plots import plot_binary_calibration

HEURISTIC_CUT = 1.0  # the heuristic flags an account when one of its rules fires


def account_table(model: AccountModel, frame: pd.DataFrame) -> pd.DataFrame:
    """METRICS of the model (flagging at SUSPICIOUS_PROBABILITY) and of the heuristic, one row
    each, on the canonical account rows of `frame` (column `is_fake`)."""
    X, y = features_and_labels(frame)
    rows = {
        "account model": account_metrics(
            y, model.predict_proba(X), SUSPICIOUS_PROBABILITY, calibrated=True
        ),
        "heuristic (3 rules)": account_metrics(
            y, heuristic_scores(frame), HEURISTIC_CUT, calibrated=False
        ),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(METRICS)).rename_axis("method")


def write_account_report(model: AccountModel, data_dir: Path, out_dir: Path) -> list[Path]:
    """account_report.md and account_calibration.png in `out_dir`; their paths (the card last)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = load_sets(data_dir)["kaggle_test"]
    X, y = features_and_labels(frame)
    table = account_table(model, frame)
    plot = plot_binary_calibration(
        y, model.predict_proba(X), "Account reliability diagram (Kaggle test split)",
        out_dir / "account_calibration.png",
    )  # fmt: skip
    card = "\n\n".join([
        "# Model report: account model",
        f"Scored on the Kaggle test split: {len(y)} accounts, {int(np.sum(y))} fake. MCC flags "
        f"at p ≥ {SUSPICIOUS_PROBABILITY} (the model) and at one rule fired (the heuristic); "
        "the heuristic has no probability, so no ECE. Transfer to the other public sets, with "
        "bootstrap intervals: `creatormatch accounts train`.",
        "## Metrics", frame_table(table),
        "## Plots", f"![{plot.stem}]({plot.name})",
    ])  # fmt: skip
    path = out_dir / "account_report.md"
    path.write_text(card + "\n", encoding="utf-8")
    return [plot, path]
