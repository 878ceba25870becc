"""What the fraud and account models are judged on, over one evaluation set: the same function
scores a challenger and its champion, so the numbers compare (the conversion and reach models'
are in conversion.py, beside their data).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features import SUSPICIOUS_PROBABILITY
from creatormatch.models import AccountModel, FraudModel
from creatormatch.training.account_metrics import METRICS, account_metrics
from creatormatch.training.accounts import features_and_labels, load_sets
from creatormatch.training.evalset import model_columns
from creatormatch.training.fraud import LOOK_ALIKES, aligned_labels, flagged_at, scored

FLAG = "high"  # the band a brand acts on: its false positives are what the gates count


def _binary(y: npt.NDArray[np.bool_], p: npt.NDArray[np.float64], cut: float) -> dict[str, float]:
    """METRICS (ROC-AUC, PR-AUC, MCC at `cut`, recall at 5 % FPR, ECE) by name."""
    values = account_metrics(y, p, cut, calibrated=True)
    return {name: float(value) for name, value in zip(METRICS, values, strict=True)}


def fraud_tables(
    signals: pd.DataFrame, context: pd.DataFrame, labels: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """A fraud evaluation set: signal rows, evidence context and labels, all by creator_id."""
    return {"signals": signals, "context": context.loc[signals.index], "labels": labels}


def fraud_scorecard(model: FraudModel, tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Ranking (PR-AUC, ROC-AUC), calibration (ECE over 10 bins) and, at the high band, the
    false-positive rate on clean creators and on legitimate look-alikes."""
    frame = model_columns(tables["signals"], model.feature_names_in_)
    table = aligned_labels(frame, tables["labels"].reset_index())
    y = table["is_fraud"].to_numpy()
    p, bands = scored(model, frame, tables["context"])
    binary = _binary(y, p, model.thresholds_[FLAG])
    flagged = flagged_at(bands, FLAG)
    lookalike = table["archetype"].isin(LOOK_ALIKES).to_numpy()
    return {
        "pr_auc": binary["pr_auc"],
        "roc_auc": binary["roc_auc"],
        "ece": binary["ece"],
        "fpr_high": float(flagged[~y].mean()) if (~y).any() else float("nan"),
        "fpr_high_lookalikes": float(flagged[lookalike].mean()) if lookalike.any() else np.nan,
        "recall_high": float(flagged[y].mean()) if y.any() else float("nan"),
        "eval_creators": float(len(y)),
        "eval_lookalikes": float(lookalike.sum()),
    }


def account_scorecard(model: AccountModel, data_dir: Path) -> dict[str, float]:
    """ROC-AUC, PR-AUC and ECE on the Kaggle test split, which no account model trains on."""
    X, y = features_and_labels(load_sets(data_dir)["kaggle_test"])
    p = model.predict_proba(X)
    binary = _binary(y, p, SUSPICIOUS_PROBABILITY)
    return {
        "roc_auc": binary["roc_auc"],
        "pr_auc": binary["pr_auc"],
        "ece": binary["ece"],
        "eval_accounts": float(len(y)),
    }
