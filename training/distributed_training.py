"""Boosters grown with `lightgbm.dask` on a Dask cluster, for training frames bigger than one
worker's memory (docs/decisions/0023-lightgbm-dask-training.md).

`ClusterFitter(client)` is a `Fitter` (models/booster.py): FraudModel and ConversionModel take one
and do the rest as they always do (validation split, calibration, band thresholds, monotone
constraints, exposure offsets, saving, reasons), on the `lgb.Booster` it brings back. It shuffles
the rows with the params' seed (LightGBM finds each feature's bins on one worker's rows, so a
worker must not hold one sorted slice), cuts them into one partition per worker and scatters each
partition to its own worker: no worker holds more than its share, though this process still holds
the frame it was given. `train_on_partitions` takes a dask DataFrame instead (`dd.read_parquet`
of partitioned files) for a frame that never sits whole anywhere.

Dask is an optional extra (`pip install creatormatch[scale]`), imported only where it is used.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.models import BoosterParams

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

# Columns that travel beside the features in each partition; names no feature column uses.
LABEL, WEIGHT, INIT_SCORE = "__label__", "__weight__", "__init_score__"


@dataclass(frozen=True)
class ClusterFitter:
    """A `Fitter` that trains with `lightgbm.dask` on the workers of `client`."""

    client: Client

    def __call__(
        self,
        X: pd.DataFrame,
        label: npt.NDArray[np.float64],
        *,
        params: BoosterParams,
        weight: npt.NDArray[np.float64] | None,
        init_score: npt.NDArray[np.float64] | None,
        group: npt.NDArray[np.int64] | None,
    ) -> lgb.Booster:
        if group is not None:
            raise InvalidInput("expected no query groups on a Dask cluster, got a ranking fit")
        clashes = sorted({LABEL, WEIGHT, INIT_SCORE} & set(X.columns))
        if clashes:
            raise InvalidInput(f"expected feature columns other than {clashes}")
        extra = {LABEL: label, WEIGHT: weight, INIT_SCORE: init_score}
        frame = X.assign(**{name: v for name, v in extra.items() if v is not None})
        partitions = scattered(self.client, frame, seed=params.seed)
        return train_on_partitions(
            self.client, partitions, list(X.columns), label=LABEL, params=params,
            weight=WEIGHT if weight is not None else None,
            init_score=INIT_SCORE if init_score is not None else None,
        )  # fmt: skip


def scattered(client: Client, frame: pd.DataFrame, *, seed: int) -> dd.DataFrame:
    """`frame`'s rows, shuffled with `seed`, as one partition on each worker of `client`."""
    import dask.dataframe as dd

    workers = sorted(client.scheduler_info()["workers"])
    order = np.random.default_rng(seed).permutation(len(frame))
    shares = [np.sort(rows) for rows in np.array_split(order, len(workers)) if len(rows)]
    futures = [
        client.scatter(frame.iloc[rows], workers=[worker], hash=False)
        for rows, worker in zip(shares, workers, strict=False)
    ]
    return dd.from_delayed(futures, meta=frame.iloc[:0], verify_meta=False)


def train_on_partitions(
    client: Client,
    frame: dd.DataFrame,
    features: list[str],
    *,
    label: str,
    params: BoosterParams,
    weight: str | None = None,
    init_score: str | None = None,
) -> lgb.Booster:
    """A booster trained by `lightgbm.dask` on `frame`'s partitions, where they are; `label`,
    `weight` and `init_score` name columns of `frame` beside `features`.

    Only the workers holding a partition train (LightGBM's data-parallel learner), so the
    partitions should be spread over the workers, as `scattered` spreads them.
    """
    from distributed import wait
    from lightgbm.dask import DaskLGBMRegressor

    # Computed once, so the feature and label columns come from the same partitions (dask may
    # otherwise plan a projection of a few columns with fewer, fused partitions).
    frame = client.persist(frame)
    wait(frame)
    settings = params.lightgbm()
    # lightgbm.dask gives each worker as many threads as it has Dask threads.
    settings.pop("num_threads")
    # The regressor only carries the booster: `objective` in the settings decides the loss, and
    # the labels go in as the same floats `train_local` gives lgb.train.
    estimator = DaskLGBMRegressor(client=client, n_estimators=params.n_estimators, **settings)
    with warnings.catch_warnings():
        # lightgbm.dask warns of the estimator's own `n_jobs` on every fit, set or not.
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored", UserWarning)
        estimator.fit(
            frame[features],
            frame[label],
            sample_weight=None if weight is None else frame[weight],
            init_score=None if init_score is None else frame[init_score],
        )
    booster: lgb.Booster = estimator.booster_
    return booster
