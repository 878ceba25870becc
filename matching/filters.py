"""Hard filters of a search and the per-creator attributes they read.

A filter that is set excludes creators whose attribute is unknown: a brief asking for tiktok
creators must not get a creator whose platform nobody knows. Empty tuples and None mean "any".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.features import Codes, tier_of

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


# Each text filter: the Filters field, the attribute_frame column it reads, its case rule.
_TEXT_FILTERS = (
    ("platforms", "platform", str.lower),
    ("countries", "country", str.upper),
    ("languages", "language", str.lower),
    ("tiers", "tier", str),
)


@dataclass(frozen=True)
class FilterColumns:
    """Rows of attribute_frame by FAISS label, as arrays: a filter at 1M creators in ~2 ms.

    pandas `isin` on string columns took ~30 ms per search at 1M (docs/decisions/0008). Row
    `label` holds that label's attributes; `alive` is False for labels removed or never used.
    Changes return a new object, so a shallow copy of the index shares nothing mutable.
    """

    alive: npt.NDArray[np.bool_]  # (labels,)
    ids: npt.NDArray[np.object_]  # (labels,) creator_id, None where not alive
    label_of: dict[str, int]  # creator_id -> label, alive only
    text: dict[str, Codes]  # attribute_frame column -> codes
    followers: npt.NDArray[np.float64]  # (labels,) NaN where unknown
    engagement_rate: npt.NDArray[np.float64]  # (labels,)

    @classmethod
    def empty(cls) -> FilterColumns:
        return cls(
            alive=np.zeros(0, dtype=bool),
            ids=np.empty(0, dtype=object),
            label_of={},
            text={column: Codes.of([]) for _, column, _ in _TEXT_FILTERS},
            followers=np.zeros(0),
            engagement_rate=np.zeros(0),
        )

    def __len__(self) -> int:
        return len(self.alive)

    @property
    def nbytes(self) -> int:
        """Arrays, the dict and the id strings and labels it holds (shared with `ids`)."""
        arrays = [self.alive, self.ids, self.followers, self.engagement_rate]
        arrays += [coded.codes for coded in self.text.values()]
        held = sum(sys.getsizeof(c) + sys.getsizeof(label) for c, label in self.label_of.items())
        return sum(a.nbytes for a in arrays) + sys.getsizeof(self.label_of) + held

    def appended(self, frame: pd.DataFrame) -> FilterColumns:
        """These columns with `frame`'s rows added, its labels (index) all past the last one."""
        labels = frame.index.to_numpy(dtype=np.int64)
        size = int(labels.max()) + 1 if len(labels) else len(self)
        if len(labels) and labels.min() < len(self):
            raise InvalidInput(f"expected new labels >= {len(self)}, got {labels.min()}")
        dense = frame.reindex(pd.RangeIndex(len(self), size))  # NaN rows for unused labels
        ids = dense["creator_id"].to_numpy(dtype=object)
        ids[dense["creator_id"].isna().to_numpy()] = None
        return FilterColumns(
            alive=np.concatenate([self.alive, dense["creator_id"].notna().to_numpy()]),
            ids=np.concatenate([self.ids, ids]),
            label_of=self.label_of
            | dict(zip(ids[labels - len(self)], labels.tolist(), strict=True)),
            text={column: self.text[column].appended(dense[column]) for column in self.text},
            followers=np.concatenate([self.followers, _floats(dense["followers"])]),
            engagement_rate=np.concatenate(
                [self.engagement_rate, _floats(dense["engagement_rate"])]
            ),
        )

    def removed(self, labels: npt.NDArray[np.int64]) -> FilterColumns:
        alive, ids = self.alive.copy(), self.ids.copy()
        alive[labels], ids[labels] = False, None
        label_of = dict(self.label_of)
        for creator_id in self.ids[labels]:
            label_of.pop(creator_id, None)
        return replace(self, alive=alive, ids=ids, label_of=label_of)

    def labels(self, creator_ids: Sequence[str]) -> npt.NDArray[np.int64]:
        """Labels of the ids held, once each, in the order asked; unknown ids are left out."""
        found = [self.label_of[c] for c in dict.fromkeys(creator_ids) if c in self.label_of]
        return np.array(found, dtype=np.int64)

    def mask(self, filters: Filters) -> npt.NDArray[np.bool_]:
        """(labels,) bool: alive labels that every set filter keeps."""
        keep = self.alive.copy()
        for field, column, case in _TEXT_FILTERS:
            wanted = getattr(filters, field)
            if wanted:
                keep &= self.text[column].among([case(w) for w in wanted])
        with np.errstate(invalid="ignore"):  # NaN compares False: unknown is excluded
            if filters.min_followers is not None:
                keep &= self.followers >= filters.min_followers
            if filters.max_followers is not None:
                keep &= self.followers <= filters.max_followers
            if filters.min_engagement is not None:
                keep &= self.engagement_rate >= filters.min_engagement
        keep[self.labels(filters.exclude)] = False
        return keep


def _floats(column: pd.Series) -> npt.NDArray[np.float64]:
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def selection_mask(frame: pd.DataFrame, filters: Filters) -> npt.NDArray[np.bool_]:
    """(n,) bool: rows of `frame` (from attribute_frame) that every set filter keeps."""
    rows = frame.reset_index(drop=True)
    return FilterColumns.empty().appended(rows).mask(filters)
