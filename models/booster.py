"""A LightGBM booster behind scikit-learn's contract, saved as native text with a manifest.

Every model of creatormatch (account, fraud, conversion) composes one `Booster`: it fixes the
feature columns at `fit`, refuses frames whose columns differ at predict time, and never pickles.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import ArtifactError, InvalidInput, NotFitted, publish, verify
from creatormatch.models.compiled_trees import CompiledTrees, compiled_trees

MODEL_FILE = "model.txt"
EXTRA_FILE = "extra.json"
# Up to this many rows (a shortlist's candidates), a prediction runs on one thread.
SMALL_BATCH = 5_000


def check_fitted(model: object, *, learned: str = "booster_") -> None:
    """NotFitted unless `model` holds its `learned` state (a `booster_`), set by `fit` or `load`."""
    if not hasattr(model, learned):
        name = type(model).__name__
        raise NotFitted(f"this {name} is not fitted: call fit() or {name}.load() first")


def _threads(rows: int) -> int:
    """LightGBM's threads for a prediction: one for a request-sized batch, all for bulk.

    On two shared cores, two threads made 50 rows take 4.6-6.5 ms instead of 0.2-0.5 ms, and
    1,000 rows 8.4 ms instead of 6.3 (docs/decisions/0008); requests are parallel already.
    """
    return 1 if rows <= SMALL_BATCH else 0


def verified_model(directory: Path, kind: str) -> dict[str, Any]:
    """The verified manifest of `directory`, whose "model" must be `kind`: a fraud model is never
    loaded as an account model because someone copied a directory."""
    manifest = verify(directory)
    if manifest.get("model") != kind:
        raise ArtifactError(f"{directory} holds a {manifest.get('model')!r} model, not {kind}")
    return manifest


@dataclass(frozen=True)
class BoosterParams:
    """Hyperparameters of one LightGBM model; logged to MLflow as they are."""

    objective: str = "binary"
    n_estimators: int = 300
    learning_rate: float = 0.05
    num_leaves: int = 31
    min_child_samples: int = 20
    feature_fraction: float = 0.9
    bagging_fraction: float = 0.9
    bagging_freq: int = 1
    lambda_l2: float = 1.0
    seed: int = 0
    num_threads: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def lightgbm(self) -> dict[str, Any]:
        params = asdict(self)
        params.pop("n_estimators")
        params.update(params.pop("extra"))
        return {**params, "verbosity": -1, "deterministic": True, "force_row_wise": True}


class Fitter(Protocol):
    """Trains one LightGBM booster from a frame and float labels: `train_local` in this process,
    or `ClusterFitter` (training/distributed_training.py) with `lightgbm.dask` on a cluster. The
    models take one, so where the trees are grown changes and nothing else does."""

    def __call__(
        self,
        X: pd.DataFrame,
        label: npt.NDArray[np.float64],
        *,
        params: BoosterParams,
        weight: npt.NDArray[np.float64] | None,
        init_score: npt.NDArray[np.float64] | None,
        group: npt.NDArray[np.int64] | None,
    ) -> lgb.Booster: ...


def train_local(
    X: pd.DataFrame,
    label: npt.NDArray[np.float64],
    *,
    params: BoosterParams,
    weight: npt.NDArray[np.float64] | None,
    init_score: npt.NDArray[np.float64] | None,
    group: npt.NDArray[np.int64] | None,
) -> lgb.Booster:
    """`lgb.train` in this process: the default `Fitter`."""
    data = lgb.Dataset(
        X, label=label, weight=weight, init_score=init_score, group=group, free_raw_data=True
    )
    return lgb.train(params.lightgbm(), data, num_boost_round=params.n_estimators)


def _array(values: npt.ArrayLike | None, dtype: type) -> Any:
    return None if values is None else np.asarray(values, dtype=dtype)


class Booster:
    """Fit on a DataFrame, predict on a DataFrame with the same columns.

    `fitter` grows the trees (None: `train_local`); it is not saved, since a booster grown on a
    cluster is the same kind of model as one grown here.
    """

    def __init__(
        self, *, params: BoosterParams | None = None, fitter: Fitter | None = None
    ) -> None:
        self.params = params
        self.fitter = fitter
        self.compiled_: CompiledTrees | None = None

    def compile(self) -> bool:
        """Predict from now on with the trees compiled to machine code, for a server that asks
        about a few hundred rows at a time; False (and LightGBM predicting) where they cannot be
        compiled."""
        check_fitted(self)
        self.compiled_ = compiled_trees(self.booster_)
        return self.compiled_ is not None

    def fit(
        self,
        X: pd.DataFrame,
        y: npt.ArrayLike,
        *,
        sample_weight: npt.ArrayLike | None = None,
        init_score: npt.ArrayLike | None = None,
        group: npt.ArrayLike | None = None,
    ) -> Self:
        if len(X) == 0:
            raise InvalidInput("cannot fit on an empty frame")
        self.booster_ = (self.fitter or train_local)(
            X,
            np.asarray(y, dtype=np.float64),
            params=self.params or BoosterParams(),
            weight=_array(sample_weight, np.float64),
            init_score=_array(init_score, np.float64),
            group=_array(group, np.int64),
        )
        self.feature_names_in_ = list(X.columns)
        self.compiled_ = None  # of the trees replaced
        return self

    def _checked(self, X: pd.DataFrame) -> pd.DataFrame:
        check_fitted(self)
        if list(X.columns) != self.feature_names_in_:
            missing = sorted(set(self.feature_names_in_) - set(X.columns))
            extra = sorted(set(X.columns) - set(self.feature_names_in_))
            raise InvalidInput(
                f"expected the {len(self.feature_names_in_)} fitted columns in order; "
                f"missing {missing[:5]}, unexpected {extra[:5]}"
            )
        return X

    def predict_raw(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Raw scores (log-odds or log-rate), shape (n,)."""
        X = self._checked(X)
        # As a float64 array: LightGBM's own DataFrame conversion costs ~0.3 ms a call, a third
        # of a shortlist's conversion model (the values are the same).
        values = X.to_numpy(dtype=np.float64)
        if self.compiled_ is not None:
            return self.compiled_.predict_raw(values)
        out = self.booster_.predict(values, raw_score=True, num_threads=_threads(len(X)))
        return np.asarray(out, dtype=np.float64)

    def contributions(self, X: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Per-feature contributions to the raw score, shape (n, n_features + 1); last is bias."""
        X = self._checked(X)
        out = self.booster_.predict(X, pred_contrib=True)
        return np.asarray(out, dtype=np.float64)

    def save(self, directory: Path, *, extra: dict[str, Any], metadata: dict[str, Any]) -> dict:
        """Publish the booster and a JSON sidecar (`extra`) atomically under `directory`."""
        check_fitted(self)
        text = self.booster_.model_to_string()
        sidecar = {"feature_names": self.feature_names_in_, **extra}
        return publish(
            directory,
            {MODEL_FILE: text.encode(), EXTRA_FILE: json.dumps(sidecar, sort_keys=True).encode()},
            metadata,
        )

    @classmethod
    def load(
        cls, directory: Path, *, kind: str | None = None
    ) -> tuple[Self, dict[str, Any], dict[str, Any]]:
        """(booster, extra sidecar, manifest) after verifying every file's hash; with `kind`,
        the manifest's "model" must name it (`verified_model`)."""
        manifest = verify(directory) if kind is None else verified_model(directory, kind)
        try:
            booster = lgb.Booster(model_str=(directory / MODEL_FILE).read_text())
            extra = json.loads((directory / EXTRA_FILE).read_text())
        except (OSError, ValueError, lgb.basic.LightGBMError) as error:
            raise ArtifactError(f"cannot read the model in {directory}: {error}") from error
        model = cls()
        model.booster_ = booster
        model.feature_names_in_ = extra.pop("feature_names")
        return model, extra, manifest
