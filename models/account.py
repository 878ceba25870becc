"""Account model: is this Instagram account fake?

An L2 logistic regression (`models.linear.LinearScorer`) on `features.accounts.FEATURES`: log
counts, log ratios, flags and username shape, each with a missing indicator. It replaced LightGBM
because it transfers better to a data set it has never seen (docs/decisions/0003: trees learn
each set's own thresholds). Trained with feature-group dropout (copies of the training rows with
whole groups of fields blanked out) so that it stays good when a follower sample lacks bios,
pictures or post counts. Platt-calibrated on a stratified validation split (also with dropout
copies) that the regression never saw, then shifted from the training prevalence to a deployment
prior (10 % fake, the rate among real influencers' followers). Band thresholds are chosen on the
validation split re-weighted to that prior, for stated precisions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from creatormatch.core import ArtifactError, InvalidInput, publish
from creatormatch.features import (
    FEATURE_GROUPS,
    FEATURES,
    account_features,
    fields_used,
    validated_accounts,
)
from creatormatch.models.booster import check_fitted, verified_model
from creatormatch.models.calibration import (
    bands_of,
    calibrated,
    calibration_from_json,
    calibration_json,
)
from creatormatch.models.linear import LinearScorer

MODEL_FILE = "account.json"


@dataclass(frozen=True)
class AccountParams:
    """Hyperparameters of the account model; logged to MLflow as they are."""

    inverse_l2: float = 1.0  # scikit-learn's C: smaller is a stronger pull of weights to 0
    max_iter: int = 2000
    seed: int = 0  # of the validation split and the dropout copies


DEFAULT_PARAMS = AccountParams()
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
        params: AccountParams = DEFAULT_PARAMS,
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
        """X: (n, len(FEATURES)) from `account_features`. The regression on (1 -
        validation_share) of X with dropout copies; calibration and band thresholds on the rest."""
        labels = np.asarray(y, dtype=bool)
        if labels.shape != (len(X),) or labels.all() or not labels.any():
            raise InvalidInput(f"expected {len(X)} labels of both classes, got {labels.shape}")
        if list(X.columns) != list(FEATURES):
            raise InvalidInput(f"expected the columns {list(FEATURES)}, got {list(X.columns)}")
        seed = self.params.seed
        train, val = train_test_split(
            np.arange(len(X)), test_size=self.validation_share, stratify=labels, random_state=seed
        )
        copies, rate = self.dropout_copies, self.dropout_rate
        X_fit, y_fit = _augmented(X.iloc[train], labels[train], copies, rate, seed)
        scorer = LinearScorer(inverse_l2=self.params.inverse_l2, max_iter=self.params.max_iter)
        self.scorer_ = scorer.fit(X_fit, y_fit)
        X_val, y_val = _augmented(X.iloc[val], labels[val], copies, rate, seed + 1)
        raw = self.scorer_.predict_raw(X_val).reshape(-1, 1)
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
        check_fitted(self, learned="scorer_")
        return self.scorer_.feature_names_in_

    def predict_proba(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Calibrated probability of a fake account at the deployment prior, shape (n,)."""
        check_fitted(self, learned="scorer_")
        return calibrated(self.scorer_.predict_raw(X), self.calibration_)

    def risk_band(self, probabilities: npt.ArrayLike) -> list[str]:
        """Band of each probability: the strictest whose threshold it reaches, else "low"."""
        check_fitted(self, learned="scorer_")
        return bands_of(probabilities, self.thresholds_)

    def params_dict(self) -> dict[str, Any]:
        """Hyperparameters, flat, for MLflow."""
        return {
            "estimator": "logistic regression",
            **asdict(self.params),
            "prior": self.prior,
            "validation_share": self.validation_share,
            "dropout_copies": self.dropout_copies,
            "dropout_rate": self.dropout_rate,
            **{f"band_{name}_precision": p for name, p in self.bands},
        }

    def save(self, directory: Path, *, metadata: Mapping[str, Any] | None = None) -> dict:
        check_fitted(self, learned="scorer_")
        state = {
            "params": asdict(self.params),
            "bands": [list(b) for b in self.bands],
            "prior": self.prior,
            "validation_share": self.validation_share,
            "dropout": [self.dropout_copies, self.dropout_rate],
            "scorer": self.scorer_.to_json(),
            **calibration_json(self.calibration_, self.thresholds_),
        }
        files = {MODEL_FILE: json.dumps(state, sort_keys=True).encode()}
        return publish(directory, files, {"model": "account", **(metadata or {})})

    @classmethod
    def load(cls, directory: Path) -> tuple[Self, dict[str, Any]]:
        """(model, manifest) after every file's sha256 is verified."""
        manifest = verified_model(directory, "account")
        if MODEL_FILE not in manifest.get("files", {}):
            raise ArtifactError(
                f"{directory} holds an account model of an older format (LightGBM, before "
                "docs/decisions/0003 chose a logistic regression): run `creatormatch accounts "
                "train` to replace it"
            )
        state = json.loads((directory / MODEL_FILE).read_text())
        copies, rate = state["dropout"]
        model = cls(
            params=AccountParams(**state["params"]),
            bands=tuple((str(n), float(p)) for n, p in state["bands"]),
            prior=float(state["prior"]),
            validation_share=float(state["validation_share"]),
            dropout_copies=int(copies),
            dropout_rate=float(rate),
        )
        model.scorer_ = LinearScorer.from_json(state["scorer"])
        model.calibration_, model.thresholds_ = calibration_from_json(state)
        return model, manifest


@dataclass(frozen=True)
class ScoredAccounts:
    """Every input row and column plus `fake_probability`, `risk_band` and `error`; and the
    canonical fields the scored rows gave (`features.fields_used`)."""

    frame: pd.DataFrame
    fields_used: list[str]


def score_accounts(frame: pd.DataFrame, model: AccountModel) -> ScoredAccounts:
    """Score a sample of accounts (any number of rows, any subset of the canonical fields).

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
    return ScoredAccounts(out, fields_used(clean.loc[ok]))
