"""Features of a (brief, creator) pair: what the conversion model reads.

One code path for training (campaign outcomes) and serving (shortlist candidates): the creator
side is held as arrays (`CreatorSide`, built from records, or once from the catalog for a
shortlist's candidate table), and `CreatorSide.pairs` computes every pair feature of a brief over
any of its rows. `pair_frame` is that path for a list of records.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features.brief import Brief
from creatormatch.features.columns import Codes, Floats, Ragged, Rows, Shares
from creatormatch.features.records import CreatorRecord

# Creator columns the conversion model reads next to the pair columns; missing ones are NaN.
CREATOR_COLUMNS = (
    "log_followers",
    "engagement_rate",
    "posts_per_week",
    "sponsored_share",
    "price_per_post",
    "fraud_probability",
    "audience_fake_share",
)
# Pair column -> the audience block whose shares inside the brief's targets it sums.
AUDIENCE_FITS = {
    "country_fit": "countries",
    "age_fit": "ages",
    "gender_fit": "genders",
    "interest_fit": "interests",
}


def folded(values: Iterable[str | None]) -> Codes:
    """Lower-cased codes: languages and countries match a brief's whatever their case."""
    return Codes.of([None if v is None else v.lower() for v in values])


def _match(codes: Codes, rows: Rows, wanted: Sequence[str]) -> Floats:
    """1.0 where the value is among `wanted` (any case); NaN where either is unknown."""
    if not wanted:
        return np.full(len(rows), np.nan)
    hit = codes.among({w.lower() for w in wanted}, rows).astype(np.float64)
    return np.where(codes.codes[rows] < 0, np.nan, hit)


@dataclass(frozen=True)
class CreatorSide:
    """What pair features read of each creator, one row per creator."""

    language: Codes  # folded
    country: Codes  # folded
    categories: Ragged
    audience: dict[str, Shares]  # audience block ("countries", ...) -> shares

    @classmethod
    def of(cls, records: Sequence[CreatorRecord]) -> CreatorSide:
        audiences = [r.audience.model_dump() if r.audience else {} for r in records]
        return cls.build(
            [r.language for r in records],
            [r.country for r in records],
            [r.categories for r in records],
            audiences,
        )

    @classmethod
    def build(
        cls,
        languages: Sequence[str | None],
        countries: Sequence[str | None],
        categories: Sequence[Sequence[str] | None],
        audiences: Sequence[dict[str, dict[str, float]]],
    ) -> CreatorSide:
        """From per-creator values; an audience is a dict of blocks, {} where unknown."""
        blocks = AUDIENCE_FITS.values()
        return cls(
            language=folded(languages),
            country=folded(countries),
            categories=Ragged.of(categories),
            audience={b: Shares.of([a.get(b) for a in audiences]) for b in blocks},
        )

    def pairs(
        self, rows: Rows, brief: Brief, similarity: npt.NDArray[np.float32], index: pd.Index
    ) -> pd.DataFrame:
        """(len(rows), 8) float64 pair features indexed by `index`; `similarity` is the cosine
        of the brief's text with each row's content, shape (len(rows),)."""
        targets: dict[str, Sequence[str]] = {
            "countries": list(brief.countries),
            "ages": brief.ages,
            "genders": brief.genders,
            "interests": brief.interests,
        }
        fits = {
            column: self.audience[block].inside(rows, targets[block])
            for column, block in AUDIENCE_FITS.items()
        }
        columns = {
            "content_similarity": similarity.astype(np.float64),
            **fits,
            "language_match": _match(self.language, rows, brief.languages),
            "country_match": _match(self.country, rows, list(brief.countries)),
            "niche_match": self.categories.overlap(rows, brief.interests),
        }
        values = np.column_stack([np.asarray(v, dtype=np.float64) for v in columns.values()])
        return pd.DataFrame(values, index=index, columns=_labels(tuple(columns)))


def with_creator_columns(pairs: pd.DataFrame, creators: pd.DataFrame) -> pd.DataFrame:
    """What the conversion model reads: `pairs`, then the CREATOR_COLUMNS of `creators` (the
    same creators' engineered features, all numeric, row for row; NaN where a column is
    missing), float64."""
    if not pairs.index.equals(creators.index):
        raise ValueError("expected the pairs and the creators of the same creators, row for row")
    # Columns picked by position from one float block, a missing one from a NaN column at the
    # end: `reindex` took 0.1 ms of a 10 ms shortlist, this 5 µs (docs/decisions/0026).
    where = {column: i for i, column in enumerate(creators.columns)}
    at = [where.get(column, -1) for column in CREATOR_COLUMNS]
    own = np.hstack([creators.to_numpy(dtype=np.float64), np.full((len(creators), 1), np.nan)])
    values = np.hstack([pairs.to_numpy(dtype=np.float64), own[:, at]])
    return pd.DataFrame(
        values, index=pairs.index, columns=_labels((*pairs.columns, *CREATOR_COLUMNS))
    )


@functools.lru_cache(maxsize=16)
def _labels(columns: tuple[str, ...]) -> pd.Index:
    """Column labels as one object index per set of names: a list given to each new frame
    becomes an Arrow string index whose lookup table pandas builds again for every frame (~5 %
    of a shortlist, docs/decisions/0026); a shared object index keeps its table."""
    return pd.Index(columns, dtype=object)


def pair_features(
    brief: Brief, records: Sequence[CreatorRecord], similarity: npt.NDArray[np.float32]
) -> pd.DataFrame:
    """(n_records, 8) float64 pair features, indexed by creator_id, in `records` order;
    `similarity` is the cosine of the brief's text with each creator's content, shape (n,)."""
    if similarity.shape != (len(records),):
        raise ValueError(
            f"expected content_similarity of shape ({len(records)},), got {similarity.shape}"
        )
    ids = pd.Index([r.creator_id for r in records], name="creator_id")
    rows = np.arange(len(records), dtype=np.intp)
    return CreatorSide.of(records).pairs(rows, brief, similarity, ids)


def pair_frame(
    brief: Brief,
    records: Sequence[CreatorRecord],
    creators: pd.DataFrame,
    content_similarity: npt.NDArray[np.float32],
) -> pd.DataFrame:
    """(n_records, n_pair_features) float64, indexed by creator_id, in `records` order: the
    pair features, then the CREATOR_COLUMNS of `creators` (engineered features by creator_id)."""
    pairs = pair_features(brief, records, content_similarity)
    return with_creator_columns(pairs, creators.reindex(pairs.index))
