"""Reductions over groups of a flat column: one value per creator from the values of its posts,
days or comments (`owner` holds the creator's row of each value, `n` the number of creators).

Each gives what numpy gives for one creator's values (`np.median`, `np.std`), NaN where a creator
has fewer than `min_count` values.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def counts(owner: Ints, n: int) -> Ints:
    return np.bincount(owner, minlength=n).astype(np.int64)


def sums(owner: Ints, values: npt.ArrayLike, n: int) -> Floats:
    weights = np.asarray(values, dtype=np.float64)
    return np.bincount(owner, weights=weights, minlength=n).astype(np.float64)


def medians(owner: Ints, values: Floats, n: int, *, min_count: int = 1) -> Floats:
    """Median of each group's values, NaN values left out; NaN below `min_count` values.

    `owner` must be non-decreasing (every column here is grouped by creator). The groups are laid
    out as rows of a grid padded with +inf and sorted row by row: ~5x faster than one sort of
    the whole column by (owner, value), unless one group dwarfs the others.
    """
    known = ~np.isnan(values)
    owner, values = owner[known], values[known]
    size = counts(owner, n)
    out = np.full(n, np.nan)
    ok = size >= max(min_count, 1)
    if not ok.any():
        return out
    start = np.cumsum(size) - size
    width = int(size.max())
    if n * width > 4 * values.size + 1_000_000:  # ragged: one sort of the whole column
        by_value = np.argsort(values)
        grouped = by_value[np.argsort(owner[by_value], kind="stable")]
        low, high = start[ok] + (size[ok] - 1) // 2, start[ok] + size[ok] // 2
        out[ok] = (values[grouped][low] + values[grouped][high]) / 2
        return out
    grid = np.full((n, width), np.inf)  # (n, width): row i holds group i's values, then +inf
    grid[owner, np.arange(values.size) - start[owner]] = values
    grid.sort(axis=1)
    rows = np.flatnonzero(ok)
    # np.median: the middle value, or the mean of the two middle ones.
    out[ok] = (grid[rows, (size[ok] - 1) // 2] + grid[rows, size[ok] // 2]) / 2
    return out


def stds(owner: Ints, values: Floats, n: int, *, min_count: int = 1) -> Floats:
    """Population standard deviation of each group (np.std), NaN below `min_count` values."""
    size = counts(owner, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums(owner, values, n) / size
        out = np.sqrt(sums(owner, (values - mean[owner]) ** 2, n) / size)
    return np.where(size >= max(min_count, 1), out, np.nan)


def firsts(owner: Ints, n: int) -> Ints:
    """Position of each group's first value in a column sorted by owner; -1 for an empty group."""
    size = counts(owner, n)
    return np.where(size > 0, np.cumsum(size) - size, -1)


def lasts(owner: Ints, n: int) -> Ints:
    """Position of each group's last value in a column sorted by owner; -1 for an empty group."""
    size = counts(owner, n)
    return np.where(size > 0, np.cumsum(size) - 1, -1)


def pick(values: Floats, positions: Ints) -> Floats:
    """values[positions], NaN where a position is -1 (an empty group)."""
    out = np.full(positions.shape, np.nan)
    ok = positions >= 0
    out[ok] = values[positions[ok]]
    return out
