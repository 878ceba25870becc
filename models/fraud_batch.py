"""Fraud scores of a batch of creators: what `FraudModel.reports` gives (probability, band,
reasons), computed for thousands of creators at once.

The same model and the same rules; only the route is faster: signals from flat columns
(`features.fraud_batch`), reasons' TreeSHAP shared between rows that take the same paths
(`models.tree_shap`), and evidence built only for the creators whose reasons cite it. Nothing is
approximated: tests/models/test_batch_fraud_scores.py holds probabilities equal to `reports` within
1e-9 and bands and reasons identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import NotFitted
from creatormatch.features import CreatorRecord, Evidence, fraud_signal_batch
from creatormatch.models.booster import check_fitted
from creatormatch.models.calibration import LOW
from creatormatch.models.fraud import FraudModel, _with_counts
from creatormatch.models.fraud_bands import FraudBand
from creatormatch.models.reasons import Reason, reasons
from creatormatch.models.tree_shap import TreeExplainer


@dataclass(frozen=True)
class FraudScores:
    """One entry per creator, in the order scored."""

    creator_id: list[str]
    probability: npt.NDArray[np.float64]  # (n,)
    band: list[FraudBand]
    reasons: list[list[Reason]]  # empty for `low`, as in `FraudReport`


class BatchFraudScorer:
    """`FraudModel.reports` for large batches; built once per model (it reads every tree)."""

    def __init__(self, model: FraudModel) -> None:
        check_fitted(model)
        if model.benchmark_ is None:
            raise NotFitted("expected a fraud model fitted with its engagement benchmark, got none")
        self.model = model
        self.benchmark_ = model.benchmark_
        self.explainer_ = TreeExplainer(model.booster_.booster_)

    def score(
        self, records: Sequence[CreatorRecord], *, quality: pd.DataFrame | None = None
    ) -> FraudScores:
        """Probability, band and reasons of each record; `quality` as for `reports`."""
        model = self.model
        batch = fraud_signal_batch(records, benchmark=self.benchmark_, quality=quality)
        X = batch.frame.loc[:, model.feature_names_in_]
        probabilities = model.predict_proba(X)
        bands = model.risk_band(probabilities, batch.context)
        # As in `reports`: only probabilities that reach a flag get the model's reasons.
        flagged = np.flatnonzero(probabilities >= min(model.thresholds_.values()))
        # Reasons cite evidence: build it for the flagged and the unjudged (a verdict is flagged).
        cited = sorted({*flagged.tolist(), *(i for i, b in enumerate(bands) if b != LOW)})
        evidence = {i: batch.evidence(i) for i in cited}
        why = self._explained(X, flagged, evidence)
        return FraudScores(
            creator_id=list(batch.frame.index),
            probability=probabilities,
            band=bands,
            reasons=[
                [] if band == LOW else _with_counts(band, why.get(i, []), evidence[i])
                for i, band in enumerate(bands)
            ],
        )

    def _explained(
        self, X: pd.DataFrame, rows: npt.NDArray[np.intp], evidence: dict[int, Evidence]
    ) -> dict[int, list[Reason]]:
        """The model's reasons of each of `rows`, by row."""
        if rows.size == 0:
            return {}
        flagged = X.iloc[rows]
        contributions = self.explainer_.contributions(flagged.to_numpy(dtype=np.float64))
        values = cast("list[dict[str, float]]", flagged.to_dict(orient="records"))
        names = self.model.feature_names_in_
        return {
            i: reasons(row, contrib, names, evidence=evidence[i])
            for i, row, contrib in zip(rows.tolist(), values, contributions[:, :-1], strict=True)
        }
