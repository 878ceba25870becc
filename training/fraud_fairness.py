"""False-positive rates per group of clean creators (language, country) with Wilson 95 % intervals,
and a permutation test of "every group has the same FPR".

The test shuffles the flags among the clean creators of the compared groups and counts how often a
spread between groups as large as the observed one arises by chance. It is exact for the small
groups (a few hundred creators, a handful flagged) where the chi-square approximation is not.
Over several held-out worlds (`strata`) the flags are shuffled within each world and a group is
expected to match each world's own FPR: pooling worlds gives the test the power to see a gap of
a point, which one 30,000-creator world cannot tell from chance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.features import wilson_interval

MIN_GROUP_CLEAN = 100  # groups with fewer clean creators are left out of the table and the test
PERMUTATIONS = 2_000
FAIR_P = 0.05  # the goal: no difference between groups significant at this level


def group_fpr(
    flagged: npt.NDArray[np.bool_],
    clean: npt.NDArray[np.bool_],
    groups: npt.ArrayLike,
    *,
    min_clean: int = MIN_GROUP_CLEAN,
) -> pd.DataFrame:
    """Per group with ≥ `min_clean` clean creators: clean, flagged, fpr and its Wilson 95 % bounds
    `low` / `high`, lowest FPR first. The arguments hold one entry per creator, by position."""
    keys = np.asarray(groups, dtype=object)
    if not flagged.shape == clean.shape == keys.shape:
        raise InvalidInput(f"expected aligned arrays, got {flagged.shape, clean.shape, keys.shape}")
    table = pd.DataFrame({"group": keys[clean], "flagged": flagged[clean]})
    stats = table.groupby("group")["flagged"].agg(clean="size", flagged="sum")
    stats = stats.loc[stats["clean"] >= min_clean].astype("int64")
    bounds = [
        wilson_interval(int(k), int(n))
        for k, n in zip(stats["flagged"], stats["clean"], strict=True)
    ]
    return stats.assign(
        fpr=stats["flagged"] / stats["clean"],
        low=[low for low, _ in bounds],
        high=[high for _, high in bounds],
    ).sort_values("fpr")


def _spread(
    flags: npt.NDArray[np.float64],
    codes: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    expected: npt.NDArray[np.float64],
) -> float:
    """Σ (flagged − expected)² / size over groups: the chi-square statistic up to a constant that
    permutations do not change."""
    hits = np.bincount(codes, weights=flags, minlength=sizes.size)
    return float(np.sum((hits - expected) ** 2 / sizes))


def permutation_p(
    flagged: npt.NDArray[np.bool_],
    groups: npt.ArrayLike,
    *,
    strata: npt.ArrayLike | None = None,
    permutations: int = PERMUTATIONS,
    seed: int = 0,
) -> float:
    """p-value of "all groups share one FPR" for clean creators' flags: (k + 1) / (permutations +
    1), k the shuffles spreading at least as much as observed; 1.0 with one group or one outcome.
    With `strata` (one per creator: its world), "one FPR per stratum", shuffled within each."""
    codes, uniques = pd.factorize(np.asarray(groups, dtype=object))
    flags = flagged.astype(np.float64)
    if len(uniques) < 2 or flags.min(initial=0.0) == flags.max(initial=0.0):
        return 1.0
    layers = pd.factorize(np.zeros(flags.size) if strata is None else np.asarray(strata))[0]
    sizes = np.bincount(codes)
    rates = np.bincount(layers, weights=flags) / np.bincount(layers)
    expected = np.bincount(codes, weights=rates[layers], minlength=sizes.size).astype(np.float64)
    observed = _spread(flags, codes, sizes, expected)
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(layers == layer) for layer in range(rates.size)]
    shuffled = flags.copy()
    extreme = 0
    for _ in range(permutations):
        for rows in members:
            shuffled[rows] = rng.permutation(flags[rows])
        # A tolerance: a shuffle that reproduces the observed table must count as "as large".
        extreme += _spread(shuffled, codes, sizes, expected) >= observed - 1e-9
    return (extreme + 1) / (permutations + 1)


def fairness(
    flagged: npt.NDArray[np.bool_],
    clean: npt.NDArray[np.bool_],
    groups: npt.ArrayLike,
    *,
    strata: npt.ArrayLike | None = None,
) -> tuple[pd.DataFrame, float]:
    """`group_fpr` and the `permutation_p` of the groups it keeps (within `strata` if given)."""
    table = group_fpr(flagged, clean, groups)
    keys = np.asarray(groups, dtype=object)
    kept = clean & np.isin(keys, table.index.to_numpy())
    layers = None if strata is None else np.asarray(strata)[kept]
    return table, permutation_p(flagged[kept], keys[kept], strata=layers)
