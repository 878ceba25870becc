"""Account model: is this Instagram account fake?

A binary LightGBM on `features.accounts.FEATURES`, trained with feature-group dropout (copies of
the training rows with whole groups of fields blanked out) so that it stays good when a follower
sample lacks bios, pictures or post counts. Platt-calibrated on a stratified validation split
(also with dropout copies) that the trees never saw, then shifted from the training prevalence to
a deployment prior (10 % fake, the rate among real influencers' followers). Band thresholds are
chosen on the validation split re-weighted to that prior, for stated precisions.
See docs/decisions/0003-account-model-data.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from creatormatch.core import InvalidInput
from creatormatch.features import (
    FEATURE_GROUPS,
    FEATURES,
    account_features,
    validated_accounts,
)
from creatormatch.models.booster import Booster, BoosterParams, check_fitted
from creatormatch.models.calibration import (
    bands_of,
    calibrated,
    calibration_from_json,
    calibration_json,
)

# One thread: on a few thousand rows OpenMP start-up costs more than it saves (0.4 s vs 3-40 s
# with threads on a shared 2-core machine).
DEFAULT_PARAMS = BoosterParams(
    n_estimators=300,
    learning_rate=0.03,
    num_leaves=15,
    min_child_samples=20,
    lambda_l2=5.0,
    num_threads=1,
)
# Band name → precision its threshold must reach at the deployment prior; strictest first.
DEFAULT_BANDS = (("high", 0.9), ("medium", 0.6))
DROPOUT_COPIES = 2  # augmented copies of each training row
COUNTS = ("followers", "following")
COUNT_DROPOUT_SHARE = 0.25
MIN_FLAGGED = 10  # a threshold needs this many validation fakes above it to be trusted


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def dropout_copies(X: pd.DataFrame, *, copies: int, rate: float, seed: int) -> pd.DataFrame:
    """`copies` × len(X) rows: X repeated, each feature group blanked with probability `rate`."""
    rng = np.random.default_rng(seed)
    blocks = []
    for _ in range(copies):
        block = X.copy()
        for group, columns in FEATURE_GROUPS.items():
            # Counts are rarely missing in real samples: blank them less often (they carry the
            # most signal, and each blanked copy of them costs in-sample quality).
            drop = rng.random(len(X)) < (rate * COUNT_DROPOUT_SHARE if group in COUNTS else rate)
            block.loc[drop, list(columns)] = np.nan
        blocks.append(block)
    return pd.concat(blocks, ignore_index=True)


def _augmented(
    X: pd.DataFrame, y: npt.NDArray[np.bool_], copies: int, rate: float, seed: int
) -> tuple[pd.DataFrame, npt.NDArray[np.bool_]]:
    if copies == 0:
        return X.reset_index(drop=True), y
    extra = dropout_copies(X, copies=copies, rate=rate, seed=seed)
    return pd.concat([X, extra], ignore_index=True), np.concatenate([y] * (copies + 1))


def prior_threshold(
    probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], precision: float, prior: float
) -> float:
    """Lowest probability whose flagged set reaches `precision` once fakes are re-weighted to
    make up `prior` of the data (max recall); 1.0 if none does."""
    weight = prior / (1 - prior) * (~y).sum() / max(y.sum(), 1)  # each fake counts this much
    order = np.argsort(-probabilities, kind="stable")
    hits = np.cumsum(y[order]) * weight  # (n,)
    false = np.cumsum(~y[order])
    ok = np.flatnonzero((hits / (hits + false) >= precision) & (hits >= MIN_FLAGGED * weight))
    return float(probabilities[order][ok[-1]]) if ok.size else 1.0


class AccountModel:
    def __init__(
        self,
        *,
        params: BoosterParams = DEFAULT_PARAMS,
        bands: tuple[tuple[str, float], ...] = DEFAULT_BANDS,
        prior: float = 0.10,
        validation_share: float = 0.25,
        dropout_copies: int = DROPOUT_COPIES,
        dropout_rate: float = 0.35,
    ) -> None:
        self.params = params
        self.bands = bands
        self.prior = prior
        self.validation_share = validation_share
        self.dropout_copies = dropout_copies
        self.dropout_rate = dropout_rate

    def fit(self, X: pd.DataFrame, y: npt.ArrayLike) -> Self:
        """X: (n, len(FEATURES)) from `account_features`. Trees on (1 - validation_share) of X
        with dropout copies; calibration and band thresholds on the rest."""
        labels = np.asarray(y, dtype=bool)
        if labels.shape != (len(X),) or labels.all() or not labels.any():
            raise InvalidInput(f"expected {len(X)} labels of both classes, got {labels.shape}")
        if list(X.columns) != list(FEATURES):
            raise InvalidInput(f"expected the columns {list(FEATURES)}, got {list(X.columns)}")
        train, val = train_test_split(
            np.arange(len(X)),
            test_size=self.validation_share,
            stratify=labels,
            random_state=self.params.seed,
        )
        copies, rate = self.dropout_copies, self.dropout_rate
        X_fit, y_fit = _augmented(X.iloc[train], labels[train], copies, rate, self.params.seed)
        self.booster_ = Booster(params=self.params).fit(X_fit, y_fit)
        X_val, y_val = _augmented(X.iloc[val], labels[val], copies, rate, self.params.seed + 1)
        raw = self.booster_.predict_raw(X_val).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(raw, y_val)
        shift = _logit(self.prior) - _logit(float(labels.mean()))
        self.calibration_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]) + shift)
        probabilities = self.predict_proba(X_val)
        self.thresholds_ = {
            name: prior_threshold(probabilities, y_val, precision, self.prior)
            for name, precision in self.bands
        }
        return self

    @property
    def feature_names_in_(self) -> list[str]:
        return self.booster_.feature_names_in_

    def predict_proba(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Calibrated probability of a fake account at the deployment prior, shape (n,)."""
        check_fitted(self)
        return calibrated(self.booster_.predict_raw(X), self.calibration_)

    def risk_band(self, probabilities: npt.ArrayLike) -> list[str]:
        """Band of each probability: the strictest whose threshold it reaches, else "low"."""
        check_fitted(self)
        return bands_of(probabilities, self.thresholds_)

    def params_dict(self) -> dict[str, Any]:
        """Hyperparameters, flat, for MLflow."""
        return {
            **{k: v for k, v in asdict(self.params).items() if k != "extra"},
            "prior": self.prior,
            "validation_share": self.validation_share,
            "dropout_copies": self.dropout_copies,
            "dropout_rate": self.dropout_rate,
            **{f"band_{name}_precision": p for name, p in self.bands},
        }

    def save(self, directory: Path, *, metadata: Mapping[str, Any] | None = None) -> dict:
        check_fitted(self)
        extra = {
            "params": asdict(self.params),
            "bands": [list(b) for b in self.bands],
            "prior": self.prior,
            "validation_share": self.validation_share,
            "dropout": [self.dropout_copies, self.dropout_rate],
            **calibration_json(self.calibration_, self.thresholds_),
        }
        return self.booster_.save(
            directory, extra=extra, metadata={"model": "account", **(metadata or {})}
        )

    @classmethod
    def load(cls, directory: Path) -> tuple[Self, dict[str, Any]]:
        """(model, manifest) after every file's sha256 is verified."""
        booster, extra, manifest = Booster.load(directory, kind="account")
        copies, rate = extra["dropout"]
        model = cls(
            params=BoosterParams(**extra["params"]),
            bands=tuple((str(n), float(p)) for n, p in extra["bands"]),
            prior=float(extra["prior"]),
            validation_share=float(extra["validation_share"]),
            dropout_copies=int(copies),
            dropout_rate=float(rate),
        )
        model.booster_ = booster
        model.calibration_, model.thresholds_ = calibration_from_json(extra)
        return model, manifest


def score_accounts(frame: pd.DataFrame, model: AccountModel) -> pd.DataFrame:
    """Every input row and column, plus `fake_probability`, `risk_band` and `error`.

    A row with an invalid value (text in a number column, a negative count) gets its problem in
    `error` and no score; the other rows are scored. Absent columns are missing, never zero.
    """
    clean, problems = validated_accounts(frame)
    ok = (problems == "").to_numpy()  # (n,)
    out = frame.copy()
    out["fake_probability"] = np.nan
    out["risk_band"] = pd.Series(pd.NA, index=frame.index, dtype="object")
    if ok.any():
        probabilities = model.predict_proba(account_features(clean.loc[ok]))
        out.loc[ok, "fake_probability"] = probabilities
        out.loc[ok, "risk_band"] = model.risk_band(probabilities)
    out["error"] = problems.where(~ok)
    return out
