"""An L2 logistic regression over a frame with missing values, kept as plain numbers (JSON).

Each column is standardised with its training mean and spread. A missing value contributes the
mean (0 once standardised) and a 1 in that column's missing indicator, which has its own weight:
missing is a value the model sees, never a silent zero. A value outside the training range counts
as the nearest end of it, as it would in a tree: a line fitted on 0-10 million followers says
nothing about 10^300, and an unbounded score would overflow. Fitted by scikit-learn, stored as
the numbers that define it (never pickled), applied with numpy.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression

from creatormatch.core import InvalidInput
from creatormatch.models.booster import check_fitted


class LinearScorer:
    def __init__(self, *, inverse_l2: float = 1.0, max_iter: int = 2000) -> None:
        self.inverse_l2 = inverse_l2
        self.max_iter = max_iter

    def fit(self, X: pd.DataFrame, y: npt.ArrayLike) -> Self:
        if len(X) == 0:
            raise InvalidInput("cannot fit on an empty frame")
        self.feature_names_in_ = list(X.columns)
        self.low_ = X.min().fillna(0.0).to_numpy(dtype=np.float64)  # (d,)
        self.high_ = X.max().fillna(0.0).to_numpy(dtype=np.float64)  # (d,)
        # A column never seen (all missing) or constant gets weight through its indicator only.
        self.mean_ = X.mean().fillna(0.0).to_numpy(dtype=np.float64)  # (d,)
        self.scale_ = X.std().fillna(1.0).replace(0.0, 1.0).to_numpy(dtype=np.float64)  # (d,)
        regression = LogisticRegression(C=self.inverse_l2, max_iter=self.max_iter)
        regression.fit(self._design(X), np.asarray(y, dtype=bool))
        self.coef_ = regression.coef_[0].astype(np.float64)  # (2 d,)
        self.intercept_ = float(regression.intercept_[0])
        return self

    def _design(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """(n, 2 d): standardised values with missing as 0, then the missing indicators."""
        values = np.clip(X.to_numpy(dtype=np.float64), self.low_, self.high_)  # NaN stays NaN
        missing = np.isnan(values)
        standard = np.where(missing, 0.0, (values - self.mean_) / self.scale_)
        return np.hstack([standard, missing.astype(np.float64)])

    def predict_raw(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Log-odds, shape (n,)."""
        check_fitted(self, learned="coef_")
        if list(X.columns) != self.feature_names_in_:
            raise InvalidInput(
                f"expected the columns {self.feature_names_in_}, got {list(X.columns)}"
            )
        return self._design(X) @ self.coef_ + self.intercept_

    def to_json(self) -> dict[str, Any]:
        check_fitted(self, learned="coef_")
        return {
            "inverse_l2": self.inverse_l2,
            "max_iter": self.max_iter,
            "feature_names": self.feature_names_in_,
            "low": self.low_.tolist(),
            "high": self.high_.tolist(),
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        """The scorer `to_json` wrote; ValueError when its arrays disagree in length."""
        scorer = cls(inverse_l2=float(data["inverse_l2"]), max_iter=int(data["max_iter"]))
        scorer.feature_names_in_ = [str(name) for name in data["feature_names"]]
        scorer.low_ = np.asarray(data["low"], dtype=np.float64)
        scorer.high_ = np.asarray(data["high"], dtype=np.float64)
        scorer.mean_ = np.asarray(data["mean"], dtype=np.float64)
        scorer.scale_ = np.asarray(data["scale"], dtype=np.float64)
        scorer.coef_ = np.asarray(data["coef"], dtype=np.float64)
        scorer.intercept_ = float(data["intercept"])
        d = len(scorer.feature_names_in_)
        arrays = (scorer.low_, scorer.high_, scorer.mean_, scorer.scale_, scorer.coef_)
        shapes = tuple(a.shape for a in arrays)
        if shapes != ((d,),) * 4 + ((2 * d,),):
            raise ValueError(
                f"expected 4 × {d} bounds, means and scales and {2 * d} weights, got {shapes}"
            )
        return scorer
