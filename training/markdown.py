"""Markdown pipe tables for the reports; NaN (too few creators to rate) prints as "–"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def cell(value: object, digits: int = 3) -> str:
    """A float to `digits` decimals ("–" when NaN); anything else as `str` writes it."""
    if isinstance(value, float | np.floating):
        return "–" if value != value else f"{value:.{digits}f}"
    return str(value)


def pipe_table(header: Sequence[object], rows: Iterable[Sequence[object]]) -> list[str]:
    """The lines of a pipe table; cells are written as `str` writes them."""

    def line(values: Iterable[object]) -> str:
        return "| " + " | ".join(str(v) for v in values) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(row) for row in rows)]


def frame_table(table: pd.DataFrame, digits: int = 3) -> str:
    """`table` with its index as the first column (named "segment" when the index has no name)."""
    header = ["segment" if table.index.name is None else str(table.index.name), *map(str, table)]
    rows = [  # itertuples keeps each column's dtype (ints stay ints)
        [str(key), *(cell(v, digits) for v in values)]
        for key, *values in table.itertuples(name=None)
    ]
    return "\n".join(pipe_table(header, rows))
