"""Fraud model: did this creator buy followers or engagement?

A binary LightGBM on the signals of features/fraud_signals.py, Platt-calibrated on a stratified
validation split the trees never saw; risk-band thresholds are chosen on that split for stated
precisions, and a band also needs evidence (models/fraud_bands.py). Reasons come from
`pred_contrib` (models/reasons.py), evidence from the record.
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
    EVIDENCE_MINIMUMS,
    CreatorRecord,
    EngagementBenchmark,
    Evidence,
    fraud_context,
    fraud_evidence,
    fraud_signal_frame,
)
from creatormatch.models.booster import Booster, BoosterParams, Fitter, check_fitted
from creatormatch.models.calibration import (
    LOW,
    calibrated,
    calibration_from_json,
    calibration_json,
)
from creatormatch.models.fraud_bands import (
    INSUFFICIENT,
    VERDICT_EVIDENCE,
    FraudBand,
    band_thresholds,
    evidence_bands,
    thin_evidence,
)
from creatormatch.models.reasons import Reason, evidence_reason, reasons

DEFAULT_PARAMS = BoosterParams(
    n_estimators=400, learning_rate=0.05, num_leaves=15, min_child_samples=20
)
# Band name → the precision its threshold must reach on validation data; strictest first.
DEFAULT_BANDS = (("high", 0.9), ("medium", 0.6))
# Band name → the least calibrated probability it may start at: "medium" beside one creator
# means at least a one-in-twenty chance of fraud, or half of `high`'s cut where that is lower
# (models/fraud_bands.py; docs/decisions/0004-fraud-model.md).
DEFAULT_FLOORS = {"medium": 0.05}


@dataclass(frozen=True)
class FraudReport:
    probability: float
    band: FraudBand
    # Empty for `low`. Otherwise the model's reasons; for `insufficient_evidence` first the
    # evidence counts that fall short ("1 comment sampled (10 needed)").
    reasons: list[Reason]
    evidence: Evidence


class FraudModel:
    def __init__(
        self,
        *,
        params: BoosterParams = DEFAULT_PARAMS,
        bands: tuple[tuple[str, float], ...] = DEFAULT_BANDS,
        floors: Mapping[str, float] = DEFAULT_FLOORS,
        validation_share: float = 0.25,
        fitter: Fitter | None = None,
    ) -> None:
        self.params = params
        self.bands = bands
        self.floors = dict(floors)
        self.validation_share = validation_share
        self.fitter = fitter

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
        booster = Booster(params=self.params, fitter=self.fitter)
        self.booster_ = booster.fit(X.iloc[train], labels[train])
        raw = self.booster_.predict_raw(X.iloc[val]).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(raw, labels[val])
        self.calibration_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        probabilities = self.predict_proba(X.iloc[val])
        self.thresholds_ = band_thresholds(
            probabilities, labels[val], self.bands, floors=self.floors
        )
        self.benchmark_ = benchmark
        return self

    @property
    def feature_names_in_(self) -> list[str]:
        return self.booster_.feature_names_in_

    def predict_proba(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Calibrated probability of fraud, shape (n,)."""
        check_fitted(self)
        return calibrated(self.booster_.predict_raw(X), self.calibration_)

    def risk_band(self, probabilities: npt.ArrayLike, evidence: pd.DataFrame) -> list[FraudBand]:
        """Band of each creator from its probability and its evidence counts (`fraud_context`
        rows, in the same order): see models/fraud_bands.py."""
        check_fitted(self)
        return evidence_bands(probabilities, self.thresholds_, evidence)

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
        bands = self.risk_band(probabilities, fraud_context(records))
        evidence = [fraud_evidence(r, benchmark=self.benchmark_) for r in records]
        # Only probabilities that reach a flag get the model's reasons.
        flagged = np.flatnonzero(probabilities >= min(self.thresholds_.values())).tolist()
        explained = (
            self.explain(X.iloc[flagged], evidence=[evidence[i] for i in flagged])
            if flagged
            else []
        )
        why = dict(zip(flagged, explained, strict=True))
        return [
            FraudReport(float(p), band, _with_counts(band, why.get(i, []), ev), ev)
            for i, (p, band, ev) in enumerate(zip(probabilities, bands, evidence, strict=True))
        ]

    def save(self, directory: Path, *, metadata: Mapping[str, Any] | None = None) -> dict:
        check_fitted(self)
        extra = {
            "params": asdict(self.params),
            "bands": [list(b) for b in self.bands],
            "floors": self.floors,
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
            # Models saved before floors existed had none; their thresholds are stored as cut.
            floors={str(n): float(p) for n, p in extra.get("floors", {}).items()},
            validation_share=float(extra["validation_share"]),
        )
        model.booster_ = booster
        model.calibration_, model.thresholds_ = calibration_from_json(extra)
        bench = extra["benchmark"]
        model.benchmark_ = None if bench is None else EngagementBenchmark.from_json(bench)
        return model, manifest


def _with_counts(band: FraudBand, why: list[Reason], evidence: Evidence) -> list[Reason]:
    """No reasons for `low`; the model's for a verdict; for no verdict, first what falls short:
    every kind of evidence when none reaches its minimum, else the thin verdict samples."""
    if band != INSUFFICIENT:
        return why if band != LOW else []
    short = thin_evidence(evidence.counts, tuple(EVIDENCE_MINIMUMS))
    if len(short) < len(EVIDENCE_MINIMUMS):
        short = thin_evidence(evidence.counts, VERDICT_EVIDENCE)
    return [evidence_reason(evidence.counts, short), *why]
