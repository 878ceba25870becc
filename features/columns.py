"""Creator attributes as arrays, one row per creator: what filters and pair features read.

A string column is `Codes` (int32 codes into a vocabulary), a list of strings `Ragged` (offsets
into codes), a mapping of shares `Shares` (a dense float64 matrix). Questions about many rows are
then a few numpy operations instead of a Python loop over records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Floats = npt.NDArray[np.float64]
Rows = npt.NDArray[np.intp]
# Up to this many wanted values, one comparison each beats a lookup table gathered per row.
_COMPARED = 4


@dataclass(frozen=True)
class Codes:
    """A string column as int32 codes into `vocabulary`, -1 where unknown."""

    codes: npt.NDArray[np.int32]  # (n,)
    vocabulary: dict[str, int]

    @classmethod
    def of(cls, values: Iterable[str | None] | pd.Series) -> Codes:
        empty = cls(np.zeros(0, dtype=np.int32), {})
        return empty.appended(pd.Series(values, dtype=object))

    def appended(self, values: pd.Series) -> Codes:
        """`values` coded after these rows; values not seen before extend the vocabulary."""
        local, uniques = pd.factorize(values, use_na_sentinel=True)
        vocabulary = dict(self.vocabulary)
        for value in uniques:
            vocabulary.setdefault(str(value), len(vocabulary))
        known = np.array([vocabulary[str(v)] for v in uniques] + [-1], dtype=np.int32)
        return Codes(np.concatenate([self.codes, known[local]]), vocabulary)

    def among(self, wanted: Iterable[str], rows: Rows | None = None) -> npt.NDArray[np.bool_]:
        """(n,) bool, or one per row of `rows`: the value is one of `wanted` (unknown never is)."""
        codes = self.codes if rows is None else self.codes[rows]
        known = [self.vocabulary[w] for w in wanted if w in self.vocabulary]
        if len(known) > _COMPARED:
            table = np.zeros(len(self.vocabulary) + 1, dtype=bool)  # the last slot is -1
            table[known] = True
            return table.take(codes)
        hit = np.zeros(len(codes), dtype=bool)
        for code in known:
            hit |= codes == code
        return hit


@dataclass(frozen=True)
class Ragged:
    """Lists of strings (categories): row i holds items[offsets[i] : offsets[i + 1]]."""

    offsets: npt.NDArray[np.int64]  # (n + 1,)
    items: Codes

    @classmethod
    def of(cls, lists: Sequence[Sequence[str] | None]) -> Ragged:
        lengths = np.array([len(x or ()) for x in lists], dtype=np.int64)
        flat = [value for x in lists for value in (x or ())]
        return cls(np.concatenate([[0], np.cumsum(lengths)]), Codes.of(flat))

    def overlap(self, rows: Rows, wanted: Sequence[str]) -> Floats:
        """(len(rows),) 1.0 where a list item is among `wanted`; NaN for empty lists or wanted."""
        if not wanted:
            return np.full(len(rows), np.nan)
        starts, lengths = self.offsets[rows], self.offsets[rows + 1] - self.offsets[rows]
        owner = np.repeat(np.arange(len(rows)), lengths)  # (m,) row of each item
        within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        hit = self.items.among(wanted, starts[owner] + within)
        any_hit = np.bincount(owner[hit], minlength=len(rows)) > 0
        return np.where(lengths == 0, np.nan, any_hit.astype(np.float64))


@dataclass(frozen=True)
class Shares:
    """A mapping of shares per row (an audience block) as a dense (n, keys) float64 matrix.

    A row without shares is NaN throughout, so column 0 tells known rows from unknown ones.
    """

    values: Floats  # (n, max(1, len(keys)))
    keys: dict[str, int]  # key -> column

    @classmethod
    def of(cls, blocks: Sequence[dict[str, float] | None]) -> Shares:
        keys = {key: i for i, key in enumerate(sorted({k for b in blocks if b for k in b}))}
        values = np.zeros((len(blocks), max(1, len(keys))), dtype=np.float64)
        for row, block in enumerate(blocks):
            if not block:
                values[row] = np.nan
            for key, share in (block or {}).items():
                values[row, keys[key]] = share
        return cls(values, keys)

    def inside(self, rows: Rows, wanted: Sequence[str]) -> Floats:
        """(len(rows),) summed shares of the `wanted` keys, left to right; NaN where the row
        has no shares or nothing is wanted."""
        if not wanted:
            return np.full(len(rows), np.nan)
        total = np.zeros(len(rows))
        for key in wanted:
            column = self.keys.get(key)
            total = total + (self.values[rows, column] if column is not None else 0.0)
        return np.where(np.isnan(self.values[rows, 0]), np.nan, total)
