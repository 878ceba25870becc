"""Hard filters of a search and the per-creator attributes they read.

A filter that is set excludes creators whose attribute is unknown: a brief asking for tiktok
creators must not get a creator whose platform nobody knows. Empty tuples and None mean "any".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.errors import InvalidInput
from features.taxonomy import tier_of

REQUIRED_COLUMNS = ("platform", "country", "language", "followers")
OPTIONAL_COLUMNS = ("engagement_rate",)


@dataclass(frozen=True)
class Filters:
    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        low, high = self.min_followers, self.max_followers
        if low is not None and high is not None and low > high:
            raise InvalidInput(f"expected min_followers <= max_followers, got {low} > {high}")

    @property
    def is_empty(self) -> bool:
        return self == Filters()


def attribute_frame(ids: Sequence[str], attributes: pd.DataFrame) -> pd.DataFrame:
    """The filterable columns, one row per id in order, with normalised case and derived tier."""
    missing = [c for c in REQUIRED_COLUMNS if c not in attributes.columns]
    if missing:
        raise InvalidInput(
            f"expected attribute columns {list(REQUIRED_COLUMNS)}, missing {missing}"
        )
    if len(attributes) != len(ids):
        raise InvalidInput(
            f"expected {len(ids)} attribute rows (one per id), got {len(attributes)}"
        )
    source = attributes.reset_index(drop=True)
    followers = pd.to_numeric(source["followers"], errors="coerce").astype("float64")
    frame = pd.DataFrame(
        {
            "creator_id": list(ids),
            "platform": _text(source["platform"]).str.lower(),
            "country": _text(source["country"]).str.upper(),
            "language": _text(source["language"]).str.lower(),
            "followers": followers,
            "tier": [tier_of(f) for f in followers],
        }
    )
    for column in OPTIONAL_COLUMNS:
        values = source[column] if column in source.columns else np.nan
        frame[column] = pd.to_numeric(values, errors="coerce")
    return frame


def _text(column: pd.Series) -> pd.Series:
    return column.astype("string")


def _among(column: pd.Series, wanted: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    return column.isin(wanted).to_numpy(dtype=bool, na_value=False)


def _at_least(column: pd.Series, bound: float) -> npt.NDArray[np.bool_]:
    return (column >= bound).to_numpy(dtype=bool)


def selection_mask(frame: pd.DataFrame, filters: Filters) -> npt.NDArray[np.bool_]:
    """(n,) bool: rows of `frame` (from attribute_frame) that every set filter keeps."""
    keep = np.ones(len(frame), dtype=bool)
    if filters.platforms:
        keep &= _among(frame["platform"], tuple(p.lower() for p in filters.platforms))
    if filters.countries:
        keep &= _among(frame["country"], tuple(c.upper() for c in filters.countries))
    if filters.languages:
        keep &= _among(frame["language"], tuple(lang.lower() for lang in filters.languages))
    if filters.tiers:
        keep &= _among(frame["tier"], filters.tiers)
    if filters.min_followers is not None:
        keep &= _at_least(frame["followers"], filters.min_followers)
    if filters.max_followers is not None:
        keep &= (frame["followers"] <= filters.max_followers).to_numpy(dtype=bool)
    if filters.min_engagement is not None:
        keep &= _at_least(frame["engagement_rate"], filters.min_engagement)
    if filters.exclude:
        keep &= ~_among(frame["creator_id"], filters.exclude)
    return keep
