"""Fraud model: did this creator buy followers or engagement?

A binary LightGBM on the signals of features/fraud_signals.py, Platt-calibrated on a stratified
validation split the trees never saw; risk-band thresholds are chosen on that split for stated
precisions. Reasons come from `pred_contrib` (models/reasons.py), evidence from the record.
See docs/decisions/0004-fraud-model.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Self, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from creatormatch.core import InvalidInput, NotFitted
from creatormatch.features import (
    CreatorRecord,
    EngagementBenchmark,
    Evidence,
    fraud_evidence,
    fraud_signal_frame,
)
from creatormatch.models.booster import Booster, BoosterParams, check_fitted
from creatormatch.models.calibration import (
    bands_of,
    calibrated,
    calibration_from_json,
    calibration_json,
)
from creatormatch.models.reasons import Reason, reasons

DEFAULT_PARAMS = BoosterParams(
    n_estimators=400, learning_rate=0.05, num_leaves=15, min_child_samples=20
)
# Band name → the precision its threshold must reach on validation data; strictest first.
DEFAULT_BANDS = (("high", 0.9), ("medium", 0.6))
MIN_FLAGGED = 10  # a threshold needs this many validation creators above it to be trusted


@dataclass(frozen=True)
class FraudReport:
    probability: float
    band: str
    reasons: list[Reason]  # only for a band above "low"
    evidence: Evidence


def precision_threshold(
    probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], precision: float
) -> float:
    """Lowest probability whose flagged set reaches `precision` (max recall); 1.0 if none does."""
    order = np.argsort(-probabilities, kind="stable")
    hits = np.cumsum(y[order])  # (n,)
    flagged = np.arange(1, y.size + 1)
    # Only cutoffs just below a fraud case: extending over a clean one never adds recall.
    ok = np.flatnonzero((hits / flagged >= precision) & (flagged >= MIN_FLAGGED) & y[order])
    return float(probabilities[order][ok[-1]]) if ok.size else 1.0


class FraudModel:
    def __init__(
        self,
        *,
        params: BoosterParams = DEFAULT_PARAMS,
        bands: tuple[tuple[str, float], ...] = DEFAULT_BANDS,
        validation_share: float = 0.25,
    ) -> None:
        self.params = params
        self.bands = bands
        self.validation_share = validation_share

    def fit(
        self, X: pd.DataFrame, y: npt.ArrayLike, *, benchmark: EngagementBenchmark | None = None
    ) -> Self:
        """Trees on (1 - validation_share) of X, calibration and thresholds on the rest.

        `benchmark` is the one X was computed with; `reports` needs it to score records.
        """
        labels = np.asarray(y, dtype=bool)
        if labels.shape != (len(X),) or labels.all() or not labels.any():
            raise InvalidInput(f"expected {len(X)} labels of both classes, got {labels.shape}")
        train, val = train_test_split(
            np.arange(len(X)),
            test_size=self.validation_share,
            stratify=labels,
            random_state=self.params.seed,
        )
        self.booster_ = Booster(params=self.params).fit(X.iloc[train], labels[train])
        raw = self.booster_.predict_raw(X.iloc[val]).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(raw, labels[val])
        self.calibration_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        probabilities = self.predict_proba(X.iloc[val])
        self.thresholds_ = {
            name: precision_threshold(probabilities, labels[val], precision)
            for name, precision in self.bands
        }
        self.benchmark_ = benchmark
        return self

    @property
    def feature_names_in_(self) -> list[str]:
        return self.booster_.feature_names_in_

    def predict_proba(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Calibrated probability of fraud, shape (n,)."""
        check_fitted(self)
        return calibrated(self.booster_.predict_raw(X), self.calibration_)

    def risk_band(self, probabilities: npt.ArrayLike) -> list[str]:
        """Band of each probability: the strictest whose threshold it reaches, else "low"."""
        check_fitted(self)
        return bands_of(probabilities, self.thresholds_)

    def explain(
        self, X: pd.DataFrame, top: int = 3, *, evidence: Sequence[Evidence | None] | None = None
    ) -> list[list[Reason]]:
        """For each row, up to `top` reasons pushing toward fraud, strongest first."""
        check_fitted(self)
        contributions = self.booster_.contributions(X)[:, :-1]  # (n, n_features), bias dropped
        evidence = evidence if evidence is not None else [None] * len(X)
        rows = cast("list[dict[str, float]]", X.to_dict(orient="records"))
        return [
            reasons(row, contrib, self.feature_names_in_, top=top, evidence=ev)
            for row, contrib, ev in zip(rows, contributions, evidence, strict=True)
        ]

    def reports(
        self, records: Sequence[CreatorRecord], *, quality: pd.DataFrame | None = None
    ) -> list[FraudReport]:
        """Probability, band, reasons and evidence of each record, in order.

        `quality` holds the account model's shares by creator_id (see fraud_signal_frame).
        pred_contrib is 98 % of scoring time; a low-risk creator needs no reasons, so only the
        flagged ones are explained.
        """
        check_fitted(self)
        if self.benchmark_ is None:
            raise NotFitted("expected a fraud model fitted with its engagement benchmark, got none")
        frame = fraud_signal_frame(records, benchmark=self.benchmark_, quality=quality)
        X = frame.loc[:, self.feature_names_in_]
        probabilities = self.predict_proba(X)
        bands = self.risk_band(probabilities)
        evidence = [fraud_evidence(r, benchmark=self.benchmark_) for r in records]
        flagged = [i for i, band in enumerate(bands) if band != "low"]
        explained = (
            self.explain(X.iloc[flagged], evidence=[evidence[i] for i in flagged])
            if flagged
            else []
        )
        why = dict(zip(flagged, explained, strict=True))
        return [
            FraudReport(float(p), band, why.get(i, []), ev)
            for i, (p, band, ev) in enumerate(zip(probabilities, bands, evidence, strict=True))
        ]

    def save(self, directory: Path, *, metadata: Mapping[str, Any] | None = None) -> dict:
        check_fitted(self)
        extra = {
            "params": asdict(self.params),
            "bands": [list(b) for b in self.bands],
            "validation_share": self.validation_share,
            **calibration_json(self.calibration_, self.thresholds_),
            "benchmark": None if self.benchmark_ is None else self.benchmark_.to_json(),
        }
        return self.booster_.save(
            directory, extra=extra, metadata={"model": "fraud", **(metadata or {})}
        )

    @classmethod
    def load(cls, directory: Path) -> tuple[Self, dict[str, Any]]:
        """(model, manifest) after every file's sha256 is verified."""
        booster, extra, manifest = Booster.load(directory, kind="fraud")
        model = cls(
            params=BoosterParams(**extra["params"]),
            bands=tuple((str(n), float(p)) for n, p in extra["bands"]),
            validation_share=float(extra["validation_share"]),
        )
        model.booster_ = booster
        model.calibration_, model.thresholds_ = calibration_from_json(extra)
        bench = extra["benchmark"]
        model.benchmark_ = None if bench is None else EngagementBenchmark.from_json(bench)
        return model, manifest
